-- A national root (issue 27): units may be of level 'nation' (国家), above province. SQLite cannot
-- change a CHECK constraint, so the table is rebuilt the way SQLite documents (create, copy, drop,
-- rename), every row and column kept as it was. Foreign keys into units (users, templates, rounds,
-- round_units, submissions, unit_webhooks, reminders, round_levels, manual_posts) name the table by
-- name and find the new one once it is renamed; deferring their check to the end of the migration
-- lets the old table go while the new one holds the same ids. The trigger on audit that writes
-- units is dropped first (a rename re-reads every trigger, and this one would name a missing table)
-- and made again as it was; the index on parent_id is made again.
PRAGMA defer_foreign_keys = on;

DROP TRIGGER units_contact_set_by;

CREATE TABLE units_new (
  id TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('nation', 'province', 'city', 'county', 'self')),
  parent_id TEXT REFERENCES units (id),
  path TEXT NOT NULL UNIQUE,
  contact_name TEXT,
  contact_phone TEXT,
  contact_phone_set TEXT,
  contact_phone_set_by TEXT
);
INSERT INTO units_new (id, name_zh, name_en, level, parent_id, path, contact_name, contact_phone, contact_phone_set, contact_phone_set_by)
  SELECT id, name_zh, name_en, level, parent_id, path, contact_name, contact_phone, contact_phone_set, contact_phone_set_by FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;
CREATE INDEX units_parent ON units (parent_id);

CREATE TRIGGER units_contact_set_by AFTER INSERT ON audit
WHEN (NEW.action IN ('unit_contact', 'unit_update') AND json_type(NEW.detail, '$.fields.contactPhone') IS NOT NULL)
  OR (NEW.action = 'unit_contact' AND json_type(NEW.detail, '$.phone') IS NOT NULL)
BEGIN
  UPDATE units SET
    contact_phone_set = COALESCE(json_extract(NEW.detail, '$.fields.contactPhone[1]'), json_extract(NEW.detail, '$.phone')),
    contact_phone_set_by = (SELECT n.path FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = NEW.user_id)
  WHERE id = NEW.unit_id;
END;

PRAGMA defer_foreign_keys = off;
