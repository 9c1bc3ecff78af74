-- The city's desk and the county's inbox: deadlines per unit, closing a round early, disabled
-- accounts, per-indicator review comments and who reviewed a report. Every column is new and
-- nullable (or derived from the audit trail below), so existing data keeps its meaning.

-- A unit's own deadline when the round's was extended for it alone; its effective deadline is the
-- later of this and the round's. NULL: the round's deadline.
ALTER TABLE round_units ADD COLUMN deadline TEXT;
-- When the round's owner closed it early; from then on only reopened units may submit. NULL: open
-- until its deadline.
ALTER TABLE rounds ADD COLUMN closed_at TEXT;

-- A disabled account cannot sign in (the same answer as a wrong password) and has no live session.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;

-- The reviewer's comments per indicator code (a JSON object) left with the last return; cleared by
-- the next submission (the audit entry of the return keeps them).
ALTER TABLE submissions ADD COLUMN review_indicator_comments TEXT;
-- Who last returned or approved the report, and when.
ALTER TABLE submissions ADD COLUMN reviewed_by INTEGER REFERENCES users (id);
ALTER TABLE submissions ADD COLUMN reviewed_at TEXT;

-- Reports reviewed before this migration: the reviewer and time from the last return or approval
-- in the (append-only) audit trail.
UPDATE submissions SET
  reviewed_by = (SELECT a.user_id FROM audit a WHERE a.round_id = submissions.round_id AND a.unit_id = submissions.unit_id AND a.action IN ('return', 'approve') ORDER BY a.id DESC LIMIT 1),
  reviewed_at = (SELECT a.at FROM audit a WHERE a.round_id = submissions.round_id AND a.unit_id = submissions.unit_id AND a.action IN ('return', 'approve') ORDER BY a.id DESC LIMIT 1);

-- The audit trail filtered by action within a round (the desk's audit filter).
CREATE INDEX audit_round_action ON audit (round_id, action);
