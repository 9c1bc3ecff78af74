-- Template codes belong to a line of units, not to the deployment (issue 22). `templates.id` stays
-- the storage id that rounds, fill sheets and URLs carry (globally unique, as before); `code` is the
-- code the owner chose. Within one line of units (a unit, those above it and those below it) a code
-- names one template; units in different lines (two cities) may each use the same code, so a second
-- city publishes the built-in template under its usual code `quality_city_annual` while its storage
-- id is another. Every template made before this keeps its id as its code, so every round,
-- revision and fill sheet stays valid unchanged.
ALTER TABLE templates ADD COLUMN code TEXT;
UPDATE templates SET code = id;
CREATE INDEX templates_code ON templates (code);
-- Every version is written with its code, and all versions of one storage id share it.
CREATE TRIGGER templates_code_required BEFORE INSERT ON templates
WHEN NEW.code IS NULL OR EXISTS (SELECT 1 FROM templates WHERE id = NEW.id AND code <> NEW.code)
BEGIN SELECT RAISE (ABORT, 'templates.code: required, and the same for every version of a template'); END;
CREATE TRIGGER templates_code_fixed BEFORE UPDATE OF code, id ON templates
BEGIN SELECT RAISE (ABORT, 'templates.code and id never change'); END;
