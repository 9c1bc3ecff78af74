-- Tianbao D1 schema. Append-only where it matters: revisions and audit are never updated.

-- Org units form a tree; `path` (/shanxi/jincheng/zezhou/) lets every query scope itself to the
-- caller's subtree with one indexed prefix match.
CREATE TABLE units (
  id TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'self')),
  parent_id TEXT REFERENCES units (id),
  path TEXT NOT NULL UNIQUE
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'reporter', 'viewer')),
  unit_id TEXT NOT NULL REFERENCES units (id),
  password_hash TEXT NOT NULL,
  password_salt TEXT NOT NULL,
  password_iterations INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE templates (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  body TEXT NOT NULL,
  owner_unit_id TEXT NOT NULL REFERENCES units (id),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL,
  published_at TEXT,
  PRIMARY KEY (id, version)
);

CREATE TABLE rounds (
  id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL,
  template_version INTEGER NOT NULL,
  period TEXT NOT NULL,
  deadline TEXT NOT NULL,
  owner_unit_id TEXT NOT NULL REFERENCES units (id),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL,
  FOREIGN KEY (template_id, template_version) REFERENCES templates (id, version)
);

-- The units expected to report in a round; `reopened` lets one unit in after the deadline.
CREATE TABLE round_units (
  round_id TEXT NOT NULL REFERENCES rounds (id),
  unit_id TEXT NOT NULL REFERENCES units (id),
  reopened INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (round_id, unit_id)
);

-- Where each unit stands in a round (one row per unit); history lives in `revisions`.
CREATE TABLE submissions (
  round_id TEXT NOT NULL REFERENCES rounds (id),
  unit_id TEXT NOT NULL REFERENCES units (id),
  state TEXT NOT NULL CHECK (state IN ('submitted', 'returned', 'approved')),
  revision INTEGER NOT NULL,
  first_submitted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  review_comment TEXT,
  seq INTEGER NOT NULL,
  PRIMARY KEY (round_id, unit_id)
);

CREATE TABLE revisions (
  round_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  comments TEXT NOT NULL,
  submitted_by INTEGER NOT NULL REFERENCES users (id),
  submitted_at TEXT NOT NULL,
  PRIMARY KEY (round_id, unit_id, revision)
);

-- One row per reported value per revision; written in one statement from a JSON parameter.
CREATE TABLE revision_values (
  round_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  indicator TEXT NOT NULL,
  value TEXT NOT NULL, -- JSON of the canonical value (number, decimal text, boolean, text)
  PRIMARY KEY (round_id, unit_id, revision, indicator)
);

-- Incremental totals as integer counters per round, ancestor unit and basis (see shared counters).
-- basis 'standing' = latest submitted or approved figures; 'approved' = approved only.
CREATE TABLE totals (
  round_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  basis TEXT NOT NULL CHECK (basis IN ('standing', 'approved')),
  key TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (round_id, unit_id, basis, key)
);

-- Stored results of writes, so a retry with the same Idempotency-Key replays instead of redoing.
CREATE TABLE idempotency (
  user_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  user_id INTEGER,
  action TEXT NOT NULL,
  round_id TEXT,
  unit_id TEXT,
  before_revision INTEGER,
  after_revision INTEGER,
  -- Every state change of a unit's submission takes the next `seq`; the unique index turns two
  -- concurrent changes from the same state into a failed batch instead of a lost update.
  seq INTEGER,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_round ON audit (round_id, unit_id);
CREATE UNIQUE INDEX audit_transition ON audit (round_id, unit_id, seq) WHERE seq IS NOT NULL;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE (ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE (ABORT, 'audit is append-only'); END;
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions BEGIN SELECT RAISE (ABORT, 'revisions are append-only'); END;
CREATE TRIGGER revision_values_no_update BEFORE UPDATE ON revision_values BEGIN SELECT RAISE (ABORT, 'revisions are append-only'); END;
