-- Who may speak in a group robot's chat (issue 21).

-- A contact's phone is @-mentioned in a group only when it was set at the robot's unit or above. A
-- unit keeps the phone as it was last set through the API and the path of the unit whose
-- administrator set it; a phone changed any other way no longer matches and counts as set by the
-- unit itself (mentioned in its own group only).
ALTER TABLE units ADD COLUMN contact_phone_set TEXT;
ALTER TABLE units ADD COLUMN contact_phone_set_by TEXT;

-- Every write of a phone through the API is audited in the same batch, under the same subtree
-- condition, and that row says who set it: the screen's contact route (PUT /units/:id/contact,
-- 'unit_contact') and the units-and-accounts workbook ('unit_update', which also writes these
-- columns itself). The detail is {"fields":{"contactPhone":[before, after]}} (only what changed), or
-- {"name":…,"phone":…} in 'unit_contact' rows written before units had their own audit; a row that
-- changes only the name leaves the phone's setter as it was. A row in any other shape records
-- nothing, so the phone no longer matches what was recorded and counts as set by the unit itself: a
-- change of format can only mention fewer. (Replaying the audit rows, as restoring a backup does,
-- ends with the same columns.)
CREATE TRIGGER units_contact_set_by AFTER INSERT ON audit
WHEN (NEW.action IN ('unit_contact', 'unit_update') AND json_type(NEW.detail, '$.fields.contactPhone') IS NOT NULL)
  OR (NEW.action = 'unit_contact' AND json_type(NEW.detail, '$.phone') IS NOT NULL)
BEGIN
  UPDATE units SET
    contact_phone_set = COALESCE(json_extract(NEW.detail, '$.fields.contactPhone[1]'), json_extract(NEW.detail, '$.phone')),
    contact_phone_set_by = (SELECT n.path FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = NEW.user_id)
  WHERE id = NEW.unit_id;
END;

-- Contacts set before this migration: the audit trail's latest write of each unit's phone (on the
-- screen, by the units-and-accounts workbook, or when the workbook created the unit) says who set
-- it, as the setting account's unit today. A phone with no such record, or that differs from the
-- one recorded, counts as set by the unit itself.
WITH writes AS (
  SELECT id, CASE action WHEN 'unit_create' THEN json_extract(detail, '$.unit') ELSE unit_id END AS unit_id, action, detail, user_id
  FROM audit
  WHERE (action IN ('unit_contact', 'unit_update') AND json_type(detail, '$.fields.contactPhone') IS NOT NULL)
     OR (action = 'unit_contact' AND json_type(detail, '$.phone') IS NOT NULL)
     OR (action = 'unit_create' AND json_extract(detail, '$.from') = 'directory')
), latest AS (
  -- SQLite takes the bare columns from the row holding the MAX
  SELECT MAX(id) AS id, unit_id, action, detail, user_id FROM writes GROUP BY unit_id
)
UPDATE units SET
  contact_phone_set = CASE
    WHEN latest.action = 'unit_create' THEN units.contact_phone
    ELSE COALESCE(json_extract(latest.detail, '$.fields.contactPhone[1]'), json_extract(latest.detail, '$.phone')) END,
  contact_phone_set_by = (SELECT n.path FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = latest.user_id)
FROM latest WHERE latest.unit_id = units.id AND units.contact_phone IS NOT NULL;

-- 立即催报 is limited per group robot: one row per post a press makes to a robot (by the robot's
-- unit), across rounds, so the last hour's posts are counted. Rows are kept as a record of who
-- pressed; the daily reminders are not written here.
CREATE TABLE manual_posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  robot TEXT NOT NULL REFERENCES units (id),
  round_id TEXT NOT NULL REFERENCES rounds (id),
  user_id INTEGER REFERENCES users (id),
  at TEXT NOT NULL
);
CREATE INDEX manual_posts_robot ON manual_posts (robot, at);
