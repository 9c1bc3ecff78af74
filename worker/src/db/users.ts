import type { Role } from "@tianbao/shared";

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  unit_id: string;
  password_hash: string;
  password_salt: string;
  password_iterations: number;
  failed_logins: number;
  locked_until: string | null;
  last_failed_at: string | null;
  /** When an administrator disabled the account; it cannot sign in while set. */
  disabled_at: string | null;
  /** 1 while a generated first password stands; it must be changed before anything else. */
  must_change_password: number;
}

export const findUserByName = (db: D1Database, username: string) =>
  db.prepare("SELECT * FROM users WHERE username = ?").bind(username).first<UserRow>();

/**
 * Counts a failed sign-in exactly (one UPDATE) and locks the account once it reaches the limit.
 * Failures count only within the window since `windowStart` (the last lockout period): after a lock
 * runs out, or after a quiet period, counting starts again from one, so an attacker must make the
 * full number of wrong guesses again to lock the account again. While locked nothing is counted.
 */
export function recordFailedLogin(db: D1Database, userId: number, limit: number, now: string, windowStart: string, lockUntil: string) {
  return db.prepare(
    `UPDATE users SET
       failed_logins = CASE WHEN last_failed_at IS NULL OR last_failed_at < ?5 OR (locked_until IS NOT NULL AND locked_until <= ?4) THEN 1 ELSE failed_logins + 1 END,
       locked_until = CASE WHEN last_failed_at IS NULL OR last_failed_at < ?5 OR (locked_until IS NOT NULL AND locked_until <= ?4) THEN (CASE WHEN 1 >= ?2 THEN ?3 END)
                           WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,
       last_failed_at = ?4
     WHERE id = ?1 AND (locked_until IS NULL OR locked_until <= ?4) RETURNING failed_logins, locked_until`,
  ).bind(userId, limit, lockUntil, now, windowStart).first<{ failed_logins: number; locked_until: string | null }>();
}

/** A successful sign-in: failures forgotten, and when it happened (shown to administrators). */
export const recordSignIn = (db: D1Database, userId: number, now: string) =>
  db.prepare("UPDATE users SET failed_logins = 0, locked_until = NULL, last_failed_at = NULL, last_sign_in_at = ?2 WHERE id = ?1").bind(userId, now);

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  unitId: string;
  hash: string;
  salt: string;
  iterations: number;
  /** A generated password, to be changed at first sign-in. */
  mustChangePassword?: boolean;
}

export const insertUser = (db: D1Database, u: NewUser, now: string) =>
  db.prepare(
    `INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at, must_change_password)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
  ).bind(u.username, u.displayName, u.role, u.unitId, u.hash, u.salt, u.iterations, now, now, u.mustChangePassword ? 1 : 0);

export const updatePassword = (db: D1Database, userId: number, p: { hash: string; salt: string; iterations: number }, now: string) =>
  db.prepare(
    "UPDATE users SET password_hash = ?, password_salt = ?, password_iterations = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL, last_failed_at = NULL, must_change_password = 0 WHERE id = ?",
  ).bind(p.hash, p.salt, p.iterations, now, userId);
