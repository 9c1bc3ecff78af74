-- Issue 21: a generated first password (shown once, changed at first sign-in) is stored as one
-- salted SHA-256 marked 'first-sha256:' instead of PBKDF2 (it carries ~92.5 random bits, so key
-- stretching adds nothing, and 2,000 of them in one workbook overran the Worker's CPU limit). Such a
-- hash must never outlive the first sign-in: it may stand only while must_change_password is 1, and
-- every path that clears the flag writes a PBKDF2 hash in the same statement.
CREATE TRIGGER users_first_password_insert BEFORE INSERT ON users
  WHEN substr(NEW.password_hash, 1, 13) = 'first-sha256:' AND NEW.must_change_password IS NOT 1
  BEGIN SELECT RAISE (ABORT, 'a first password must be changed at first sign-in'); END;
CREATE TRIGGER users_first_password_update BEFORE UPDATE OF password_hash, must_change_password ON users
  WHEN substr(NEW.password_hash, 1, 13) = 'first-sha256:' AND NEW.must_change_password IS NOT 1
  BEGIN SELECT RAISE (ABORT, 'a first password must be changed at first sign-in'); END;
