import type { Role } from "@tianbao/shared";

export interface SessionRow {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  unit_id: string;
  unit_path: string;
  unit_name_zh: string;
  unit_name_en: string;
  must_change_password: number;
}

export const insertSession = (db: D1Database, tokenHash: string, userId: number, now: string, expiresAt: string) =>
  db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").bind(tokenHash, userId, now, expiresAt);

/** The live session behind a token hash, with its user and unit; null if unknown, expired, revoked or its account disabled. */
export const findLiveSession = (db: D1Database, tokenHash: string, now: string) =>
  db.prepare(
    `SELECT s.user_id, u.username, u.display_name, u.role, u.unit_id, n.path AS unit_path, n.name_zh AS unit_name_zh, n.name_en AS unit_name_en, u.must_change_password
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN units n ON n.id = u.unit_id
     WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled_at IS NULL`,
  ).bind(tokenHash, now).first<SessionRow>();

export const revokeSession = (db: D1Database, tokenHash: string, now: string) =>
  db.prepare("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL").bind(now, tokenHash);

export const revokeUserSessions = (db: D1Database, userId: number, now: string) =>
  db.prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").bind(now, userId);
