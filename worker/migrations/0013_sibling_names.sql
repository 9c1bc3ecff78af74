-- No two units under one parent share a name (review27 F4): the API and the workbook check it by how
-- names look (NFKC, spaces, invisible characters, case) before they write, but two administrators
-- adding the same name at the same moment both passed that check. The database now refuses an exact
-- repeat at the write itself, in the same statement, so one of the two fails and nothing is half-written.
-- Names that exist already are left as they are; only a new or renamed unit is checked.
CREATE TRIGGER units_sibling_name_insert BEFORE INSERT ON units
WHEN NEW.parent_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM units s WHERE s.parent_id = NEW.parent_id AND s.id <> NEW.id AND (s.name_zh = NEW.name_zh OR s.name_en = NEW.name_en)
)
BEGIN
  SELECT RAISE(ABORT, 'constraint failed: sibling_name_taken');
END;

CREATE TRIGGER units_sibling_name_update BEFORE UPDATE OF name_zh, name_en ON units
WHEN NEW.parent_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM units s WHERE s.parent_id = NEW.parent_id AND s.id <> NEW.id
    AND ((NEW.name_zh <> OLD.name_zh AND s.name_zh = NEW.name_zh) OR (NEW.name_en <> OLD.name_en AND s.name_en = NEW.name_en))
)
BEGIN
  SELECT RAISE(ABORT, 'constraint failed: sibling_name_taken');
END;
