-- Production from day one: first-run accounts, contacts, deadline reminders.

-- Accounts made by `npm run admin -- init` or from the units-and-accounts sheet get a generated
-- password that must be changed at first sign-in; until then only /me, password change and sign-out work.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
-- Who to call about a unit's report (shown on the 催报 list).
ALTER TABLE units ADD COLUMN contact_name TEXT;
ALTER TABLE units ADD COLUMN contact_phone TEXT;

-- A unit's group robot (企业微信 or 钉钉) that deadline reminders go to. The URL carries the robot's
-- key and the DingTalk signing secret is a secret: neither is ever returned by the API.
CREATE TABLE unit_webhooks (
  unit_id TEXT PRIMARY KEY REFERENCES units (id),
  kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk')),
  url TEXT NOT NULL,
  secret TEXT,
  updated_by INTEGER REFERENCES users (id),
  updated_at TEXT NOT NULL
);

-- One row per reminder about one unit in one round: automatic ones at most once per Beijing day and
-- kind (the unique index makes a retry or an overlapping run a no-op); manual ones once per request.
CREATE TABLE reminders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  round_id TEXT NOT NULL REFERENCES rounds (id),
  unit_id TEXT NOT NULL REFERENCES units (id),
  day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('due', 'late', 'manual')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'no_webhook', 'dropped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  claimed_at TEXT,
  sent_at TEXT
);
CREATE UNIQUE INDEX reminders_once_a_day ON reminders (round_id, unit_id, day, kind) WHERE kind <> 'manual';
CREATE INDEX reminders_round ON reminders (round_id, unit_id, sent_at);
