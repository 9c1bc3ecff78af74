export interface StoredResponse {
  request_hash: string;
  status: number;
  response: string;
}

export const findStoredResponse = (db: D1Database, userId: number, key: string) =>
  db.prepare("SELECT request_hash, status, response FROM idempotency WHERE user_id = ? AND key = ?").bind(userId, key).first<StoredResponse>();

/** Stored in the same batch as the write it answers, so a replay never sees a half-done write. */
export const storeResponse = (db: D1Database, userId: number, key: string, requestHash: string, status: number, body: unknown, now: string) =>
  db.prepare("INSERT INTO idempotency (user_id, key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(userId, key, requestHash, status, JSON.stringify(body), now);
