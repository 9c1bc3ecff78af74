-- Revisions are append-only in both directions: no UPDATE (0001) and no DELETE, so a frozen level
-- figure or a county's revision cannot be removed behind the integrity check's back.
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions BEGIN SELECT RAISE (ABORT, 'revisions are append-only'); END;
CREATE TRIGGER revision_values_no_delete BEFORE DELETE ON revision_values BEGIN SELECT RAISE (ABORT, 'revisions are append-only'); END;
