import type { DirectoryAccount, DirectoryContext, DirectoryPreview, DirectoryUnit, Role, UnitLevel } from "@tianbao/shared";
import { auditIfCreated } from "./audit";
import { inSubtree } from "./units";

interface Row { id: string; name_zh: string; name_en: string; level: UnitLevel; parent_id: string | null; contact_name: string | null; contact_phone: string | null }

/** Units (with contacts) and accounts of the caller's subtree, the caller's unit first. */
export async function readDirectory(db: D1Database, path: string): Promise<{ units: DirectoryUnit[]; accounts: DirectoryAccount[] }> {
  const [units, accounts] = await db.batch([
    db.prepare(`SELECT id, name_zh, name_en, level, parent_id, contact_name, contact_phone FROM units WHERE ${inSubtree("path", "?1")} ORDER BY length(path), id`).bind(path),
    db.prepare(`SELECT u.username, u.display_name, u.role, u.unit_id FROM users u JOIN units n ON n.id = u.unit_id WHERE ${inSubtree("n.path", "?1")} ORDER BY length(n.path), n.id, u.username`).bind(path),
  ]);
  return {
    units: (units!.results as Row[]).map((r) => ({ id: r.id, name: { zh: r.name_zh, en: r.name_en }, level: r.level, parentId: r.parent_id, contactName: r.contact_name, contactPhone: r.contact_phone })),
    accounts: (accounts!.results as { username: string; display_name: string; role: Role; unit_id: string }[]).map((a) => ({ username: a.username, displayName: a.display_name, role: a.role, unitId: a.unit_id })),
  };
}

/** What the planner needs to know about the ids and usernames a sheet names, wherever they are. */
export async function readDirectoryContext(
  db: D1Database, caller: { unitId: string; username: string; unitPath: string }, unitIds: string[], usernames: string[],
): Promise<DirectoryContext> {
  const mine = await readDirectory(db, caller.unitPath);
  // What the subtree already says is not asked again: a workbook sent back as downloaded names only
  // its own units and accounts, so the queries below carry only the ids and usernames that are new
  // to it (or differ from one of its own by case), however large the workbook.
  const own = new Set(mine.units.map((u) => u.id));
  const accounts = new Map<string, DirectoryAccount & { inSubtree: boolean }>(mine.accounts.map((a) => [a.username.toLowerCase(), { ...a, inSubtree: true }]));
  const takenUnitIds = new Set(mine.units.map((u) => u.id.toLowerCase()));
  const newIds = [...new Set(unitIds.filter((id) => !own.has(id)))];
  const newNames = [...new Set(usernames.filter((name) => !accounts.has(name.toLowerCase())))];
  if (newIds.length > 0 || newNames.length > 0) {
    const [taken, named] = await db.batch([
      db.prepare("SELECT lower(id) AS id FROM units WHERE lower(id) IN (SELECT lower(value) FROM json_each(?1))").bind(JSON.stringify(newIds)),
      db.prepare(
        `SELECT u.username, u.display_name, u.role, u.unit_id, ${inSubtree("n.path", "?2")} AS inside FROM users u JOIN units n ON n.id = u.unit_id
         WHERE lower(u.username) IN (SELECT lower(value) FROM json_each(?1))`,
      ).bind(JSON.stringify(newNames), caller.unitPath),
    ]);
    for (const r of taken!.results as { id: string }[]) takenUnitIds.add(r.id);
    for (const a of named!.results as { username: string; display_name: string; role: Role; unit_id: string; inside: number }[]) {
      accounts.set(a.username.toLowerCase(), { username: a.username, displayName: a.display_name, role: a.role, unitId: a.unit_id, inSubtree: a.inside === 1 });
    }
  }
  return { caller: { unitId: caller.unitId, username: caller.username }, subtree: mine.units, takenUnitIds, accounts };
}

/**
 * Every change of a preview as one batch, all or nothing: new units parents first (plain inserts, so
 * a unit created meanwhile fails the batch), changed units, new accounts with their password hashes
 * (to be changed at first sign-in), changed accounts (their sessions end when role or unit changes),
 * and an audit row for each. A phone written here is recorded as set by the caller's unit (group
 * robots @-mention it only at that unit or below it).
 */
export function applyStatements(
  db: D1Database, p: DirectoryPreview, callerPath: string, userId: number, hashes: Map<string, { hash: string; salt: string; iterations: number }>, now: string,
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const u of p.units.create) {
    out.push(db.prepare(
      `INSERT INTO units (id, name_zh, name_en, level, parent_id, path, contact_name, contact_phone, contact_phone_set, contact_phone_set_by)
       SELECT ?1, ?2, ?3, ?4, ?5, path || ?1 || '/', ?6, ?7, ?7, ?8 FROM units WHERE id = ?5 AND ${inSubtree("path", "?8")}`,
    ).bind(u.id, u.name.zh, u.name.en, u.level, u.parentId, u.contactName, u.contactPhone, callerPath));
    out.push(auditIfCreated(db, { userId, action: "unit_create", unitId: u.parentId, detail: { unit: u.id, from: "directory" } }, now));
  }
  for (const c of p.units.change) {
    const set = Object.fromEntries(Object.entries(c.fields).map(([k, [, v]]) => [k, v]));
    out.push(db.prepare(
      `UPDATE units SET name_zh = COALESCE(?2, name_zh), name_en = COALESCE(?3, name_en),
         contact_name = CASE WHEN ?4 THEN ?5 ELSE contact_name END, contact_phone = CASE WHEN ?6 THEN ?7 ELSE contact_phone END,
         contact_phone_set = CASE WHEN ?6 THEN ?7 ELSE contact_phone_set END, contact_phone_set_by = CASE WHEN ?6 THEN ?8 ELSE contact_phone_set_by END
       WHERE id = ?1 AND ${inSubtree("path", "?8")}`,
    ).bind(c.id, set.nameZh ?? null, set.nameEn ?? null, "contactName" in set ? 1 : 0, set.contactName ?? null, "contactPhone" in set ? 1 : 0, set.contactPhone ?? null, callerPath));
    out.push(auditIfCreated(db, { userId, action: "unit_update", unitId: c.id, detail: { fields: c.fields } }, now));
  }
  for (const a of p.accounts.create) {
    const h = hashes.get(a.username)!;
    out.push(db.prepare(
      `INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at, must_change_password)
       SELECT ?1, ?2, ?3, id, ?4, ?5, ?6, ?7, ?7, 1 FROM units WHERE id = ?8 AND ${inSubtree("path", "?9")}`,
    ).bind(a.username, a.displayName, a.role, h.hash, h.salt, h.iterations, now, a.unitId, callerPath));
    out.push(auditIfCreated(db, { userId, action: "user_create", unitId: a.unitId, detail: { username: a.username, role: a.role, from: "directory" } }, now));
  }
  for (const c of p.accounts.change) {
    const set = Object.fromEntries(Object.entries(c.fields).map(([k, [, v]]) => [k, v]));
    out.push(db.prepare(
      `UPDATE users SET display_name = COALESCE(?2, display_name), role = COALESCE(?3, role),
         unit_id = COALESCE((SELECT id FROM units WHERE id = ?4 AND ${inSubtree("path", "?5")}), unit_id)
       WHERE username = ?1 AND unit_id IN (SELECT id FROM units WHERE ${inSubtree("path", "?5")})`,
    ).bind(c.username, set.displayName ?? null, set.role ?? null, set.unitId ?? null, callerPath));
    // recorded only if the account was still in the caller's subtree when the change ran
    out.push(auditIfCreated(db, { userId, action: "user_update", detail: { username: c.username, fields: c.fields } }, now));
    if (c.fields.role || c.fields.unitId) {
      out.push(db.prepare(`UPDATE sessions SET revoked_at = ?2 WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = ?1 AND unit_id IN (SELECT id FROM units WHERE ${inSubtree("path", "?3")}))`).bind(c.username, now, callerPath));
    }
  }
  return out;
}
