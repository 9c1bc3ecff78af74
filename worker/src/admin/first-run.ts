// The first run of a new database (`npm run admin -- init`): the top unit and its first
// administrator. Plain SQL text, because `wrangler d1 execute` takes no bound parameters; every value
// is checked against a strict pattern here and quoted before it reaches SQL. Imported by
// scripts/admin.mjs (Node) and by the Worker's first-run test (workerd), so both run the same text.

export interface FirstRun {
  unitId: string;
  unitNameZh: string;
  unitNameEn: string;
  /** Any level the hierarchy has above a county: 国家, 省 or 市. */
  level: "nation" | "province" | "city";
  username: string;
  displayName: string;
  hash: string;
  salt: string;
  iterations: number;
  now: string;
}

/** The levels a root may have: any level with levels below it (a county or 本级 unit heads no tree). */
export const FIRST_RUN_LEVELS = ["nation", "province", "city"] as const;

/** The level as typed after --level: its English name, or 国家 / 省 / 市; unknown text is kept (and refused). */
export function firstRunLevel(text: string): string {
  const zh: Record<string, string> = { 国家: "nation", 全国: "nation", 省: "province", 市: "city" };
  return Object.hasOwn(zh, text.trim()) ? zh[text.trim()]! : text.trim().toLowerCase();
}

const CODE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;
// names: no control characters (no sheet can hold them), no more than the schema allows
const NAME = /^[^\u0000-\u001f\u007f\uFFFE\uFFFF]{1,64}$/;
const HEX = /^[0-9a-f]+$/;
export const WRANGLER_STRIPS = /BEGIN\s+TRANSACTION|COMMIT/i;
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** What is wrong with the arguments, in Chinese and English; empty when they can be used. */
export function firstRunProblems(r: Omit<FirstRun, "hash" | "salt" | "iterations" | "now" | "level"> & { level: string }): string[] {
  const out: string[] = [];
  if (!CODE.test(r.unitId) || RESERVED.has(r.unitId)) out.push("--unit: 单位代码须以字母开头，只含字母、数字和 _，至多 40 个字符 / the unit code must start with a letter and hold only letters, digits and _, at most 40");
  if (!NAME.test(r.unitNameZh)) out.push("--unit-name: 单位名称须为 1–64 个字符 / the unit name must have 1–64 characters");
  if (!NAME.test(r.unitNameEn)) out.push("--unit-name-en: 英文名称须为 1–64 个字符 / the English name must have 1–64 characters");
  if (!(FIRST_RUN_LEVELS as readonly string[]).includes(r.level)) out.push("--level: 须为 nation（国家）、province（省）或 city（市） / must be nation, province or city");
  if (!USERNAME.test(r.username)) out.push("--username: 3–32 个小写字母、数字或 _ . - / 3–32 lower-case letters, digits, _ . -");
  if (!NAME.test(r.displayName)) out.push("--name: 显示名须为 1–64 个字符 / the display name must have 1–64 characters");
  // wrangler d1 execute strips these from the whole command text, inside quoted values too
  for (const [flag, v] of [["--unit-name", r.unitNameZh], ["--unit-name-en", r.unitNameEn], ["--name", r.displayName]] as const) {
    if (WRANGLER_STRIPS.test(v)) out.push(`${flag}: 名称中不能含有「BEGIN TRANSACTION」或「COMMIT」/ a name may not contain "BEGIN TRANSACTION" or "COMMIT" (wrangler removes them)`);
  }
  return out;
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The statements, in order; the user insert returns the username only if the database had no account. */
export function firstRunSql(r: FirstRun): string {
  if (firstRunProblems(r).length > 0 || !HEX.test(r.hash) || !HEX.test(r.salt) || !Number.isInteger(r.iterations)) throw new Error("first run: invalid arguments");
  const empty = "NOT EXISTS (SELECT 1 FROM users)";
  return [
    `INSERT INTO units (id, name_zh, name_en, level, parent_id, path) SELECT ${q(r.unitId)}, ${q(r.unitNameZh)}, ${q(r.unitNameEn)}, ${q(r.level)}, NULL, ${q(`/${r.unitId}/`)} WHERE ${empty} ON CONFLICT (id) DO NOTHING`,
    `INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at, must_change_password)
     SELECT ${q(r.username)}, ${q(r.displayName)}, 'admin', ${q(r.unitId)}, ${q(r.hash)}, ${q(r.salt)}, ${r.iterations}, ${q(r.now)}, ${q(r.now)}, 1 WHERE ${empty} AND EXISTS (SELECT 1 FROM units WHERE id = ${q(r.unitId)} AND parent_id IS NULL) RETURNING username`,
    // written only when the account was: a refused second run leaves no trace
    `INSERT INTO audit (at, user_id, action, unit_id, detail) SELECT ${q(r.now)}, NULL, 'init', ${q(r.unitId)}, ${q(JSON.stringify({ unit: r.unitId, username: r.username }))} WHERE changes() > 0`,
  ].join(";\n") + ";";
}
