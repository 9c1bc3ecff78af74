-- Integrity: totals are integers or nothing, and failed sign-ins count within a window.

-- SQLite turns an integer addition that overflows 2^63 into a REAL. The value domain keeps every
-- total far below that (shared validation/number.ts); should anything ever get there, the whole
-- batch fails instead of storing an inexact total.
CREATE TRIGGER totals_integer_insert BEFORE INSERT ON totals WHEN typeof (NEW.value) <> 'integer'
BEGIN SELECT RAISE (ABORT, 'totals must be integers'); END;
CREATE TRIGGER totals_integer_update BEFORE UPDATE ON totals WHEN typeof (NEW.value) <> 'integer'
BEGIN SELECT RAISE (ABORT, 'totals must be integers'); END;

-- When the last failed sign-in was; failures older than the lockout period no longer count.
ALTER TABLE users ADD COLUMN last_failed_at TEXT;
