import { z } from "zod";
import { InitialPasswordsSchema, RoleSchema, type Role } from "../api/contract";
import { CodeSchema, isSheetSafe, type LocalizedText } from "../schemas/text";
import type { Unit, UnitLevel } from "../schemas/unit";
import { cellAddress, type CellPlan, type CellValue, type SheetPlan } from "../layout/sheet-plan";

/**
 * The units-and-accounts workbook (单位与账号): a city administrator downloads the units and accounts
 * of their subtree, adds or edits rows in Excel or WPS, uploads it, sees a preview with every
 * problem on its cell, and applies it all or nothing. Units are never moved or deleted here and
 * accounts never deleted: rows left out are left as they are.
 */

export interface DirectoryUnit extends Unit {
  contactName: string | null;
  contactPhone: string | null;
}

export interface DirectoryAccount {
  username: string;
  displayName: string;
  role: Role;
  unitId: string;
}

export const DIRECTORY_SHEETS = { units: "单位", accounts: "账号", notes: "说明" } as const;
/** Rows per sheet; the upload reader reads sheets to row 2,100 and reports anything beyond. */
export const DIRECTORY_LIMIT = 2000;

const UNIT_COLUMNS = [
  { key: "id", zh: "单位代码", en: "Unit code", width: 16 },
  { key: "nameZh", zh: "单位名称", en: "Name", width: 22 },
  { key: "nameEn", zh: "英文名称", en: "English name", width: 22 },
  { key: "level", zh: "级别", en: "Level", width: 10 },
  { key: "parentId", zh: "上级单位代码", en: "Parent code", width: 16 },
  { key: "contactName", zh: "联系人", en: "Contact person", width: 12 },
  { key: "contactPhone", zh: "联系电话", en: "Phone", width: 16 },
] as const;
const ACCOUNT_COLUMNS = [
  { key: "username", zh: "用户名", en: "Username", width: 18 },
  { key: "displayName", zh: "姓名/显示名", en: "Display name", width: 18 },
  { key: "role", zh: "角色", en: "Role", width: 10 },
  { key: "unitId", zh: "所属单位代码", en: "Unit code", width: 16 },
] as const;

export const LEVEL_LABELS: Record<UnitLevel, string> = { province: "省", city: "市", county: "县（区）", self: "本级" };
export const ROLE_LABELS: Record<Role, string> = { admin: "管理员", reviewer: "审核员", reporter: "填报员", viewer: "查看员" };
// Maps, not plain objects: a cell reading "constructor" must not find Object's own property.
const LEVEL_OF: ReadonlyMap<string, UnitLevel> = new Map(Object.entries({
  ...Object.fromEntries(Object.entries(LEVEL_LABELS).map(([k, v]) => [v, k as UnitLevel])),
  省: "province", 市: "city", 县: "county", 区: "county", 县区: "county", 市本级: "self", province: "province", city: "city", county: "county", self: "self",
} as Record<string, UnitLevel>));
const ROLE_OF: ReadonlyMap<string, Role> = new Map(Object.entries({
  ...Object.fromEntries(Object.entries(ROLE_LABELS).map(([k, v]) => [v, k as Role])),
  admin: "admin", reviewer: "reviewer", reporter: "reporter", viewer: "viewer", 查看: "viewer", 审核: "reviewer", 填报: "reporter",
} as Record<string, Role>));

// Header row 1 (Chinese), row 2 (English), data from row 3.
const FIRST_ROW = 2;

function sheet(name: string, columns: readonly { zh: string; en: string; width: number }[], rows: CellValue[][], validations: SheetPlan["validations"]): SheetPlan {
  const cells: CellPlan[] = [];
  columns.forEach((c, col) => {
    cells.push({ row: 0, col, value: c.zh, style: "header", locked: true });
    cells.push({ row: 1, col, value: c.en, style: "note", locked: true });
  });
  rows.forEach((r, i) => r.forEach((value, col) => cells.push({ row: FIRST_ROW + i, col, value, style: "input", locked: false })));
  return { name, cells, columnWidths: columns.map((c) => c.width), merges: [], validations, freezeRows: 2, protect: false, properties: {}, print: { landscape: true, titleRows: "1:2" } };
}

/** The workbook's sheets, filled with the caller's subtree; room for new rows below. */
export function buildDirectoryPlans(units: readonly DirectoryUnit[], accounts: readonly DirectoryAccount[]): SheetPlan[] {
  const listRows = (col: number, list: string[], error: LocalizedText) =>
    Array.from({ length: 200 }, (_, i) => ({ cell: cellAddress(FIRST_ROW + i, col), type: "list" as const, list, error }));
  const unitRows = units.map((u) => [u.id, u.name.zh, u.name.en, LEVEL_LABELS[u.level], u.parentId, u.contactName, u.contactPhone]);
  const accountRows = accounts.map((a) => [a.username, a.displayName, ROLE_LABELS[a.role], a.unitId]);
  const notes: CellPlan[] = [
    "单位与账号表 · Units and accounts",
    "在「单位」表末尾添加新单位，或修改已有单位的名称和联系人；单位代码只能用字母、数字和 _，以字母开头，添加后不能修改。",
    "Add units at the end of 单位, or change a unit's name and contact; a unit code (letters, digits, _, starting with a letter) cannot change once added.",
    "级别：省、市、县（区）、本级（市本级，报送本级数据的单位）。上级单位代码必须是您的单位或其下级（可以是本表中新添加的单位）。",
    "在「账号」表末尾添加账号，或修改姓名、角色和所属单位。角色：管理员、审核员、填报员、查看员。用户名 3–32 个小写字母、数字或 _ . -。",
    "Add accounts at the end of 账号, or change a display name, role or unit. Usernames: 3–32 lower-case letters, digits, _ . -.",
    "新账号的初始密码由系统生成，只在导入完成时显示一次，首次登录时必须修改。本表中删除的行不会删除单位或账号。",
    "New accounts get a generated password, shown once when the sheet is applied, to be changed at first sign-in. Rows removed here delete nothing.",
    "上传后先预览：每个问题都标明工作表和单元格；没有问题时才能导入，导入要么全部完成，要么什么都不改。",
  ].map((value, row) => ({ row, col: 0, value, style: row === 0 ? "title" : "note", locked: true }));
  return [
    sheet(DIRECTORY_SHEETS.units, UNIT_COLUMNS, unitRows, listRows(3, Object.values(LEVEL_LABELS), { zh: "请从列表中选择级别", en: "Pick a level from the list" })),
    sheet(DIRECTORY_SHEETS.accounts, ACCOUNT_COLUMNS, accountRows, listRows(2, Object.values(ROLE_LABELS), { zh: "请从列表中选择角色", en: "Pick a role from the list" })),
    { name: DIRECTORY_SHEETS.notes, cells: notes, columnWidths: [120], merges: [], validations: [], freezeRows: 0, protect: false, properties: {}, print: { landscape: false, titleRows: "" } },
  ];
}

export const DirectoryProblemSchema = z.strictObject({ sheet: z.enum(["units", "accounts"]), cell: z.string(), message: z.strictObject({ zh: z.string(), en: z.string() }) });
export type DirectoryProblem = z.infer<typeof DirectoryProblemSchema>;

const FieldChangeSchema = z.record(z.string(), z.tuple([z.string().nullable(), z.string().nullable()]));
export const DirectoryPreviewSchema = z.strictObject({
  units: z.strictObject({
    create: z.array(z.strictObject({ id: CodeSchema, name: z.strictObject({ zh: z.string(), en: z.string() }), level: z.enum(["province", "city", "county", "self"]), parentId: CodeSchema, contactName: z.string().nullable(), contactPhone: z.string().nullable() })),
    change: z.array(z.strictObject({ id: CodeSchema, fields: FieldChangeSchema })),
  }),
  accounts: z.strictObject({
    create: z.array(z.strictObject({ username: z.string(), displayName: z.string(), role: RoleSchema, unitId: CodeSchema })),
    change: z.array(z.strictObject({ username: z.string(), fields: FieldChangeSchema })),
  }),
  unchanged: z.number().int(),
  problems: z.array(DirectoryProblemSchema),
});
export type DirectoryPreview = z.infer<typeof DirectoryPreviewSchema>;

/** The answer to applying a workbook: what it did, and the new accounts' initial passwords, once. */
export const DirectoryAppliedSchema = z.strictObject({ preview: DirectoryPreviewSchema, passwords: InitialPasswordsSchema });

export interface DirectoryContext {
  caller: { unitId: string; username: string };
  /** Units in the caller's subtree (the caller's unit first), with contacts. */
  subtree: readonly DirectoryUnit[];
  /** Ids that exist anywhere, lower-cased (a new unit cannot take one, nor one differing only by case). */
  takenUnitIds: ReadonlySet<string>;
  /** Accounts that exist anywhere, by lower-cased username, and whether they are in the caller's subtree. */
  accounts: ReadonlyMap<string, DirectoryAccount & { inSubtree: boolean }>;
}

const text = (v: CellValue | undefined): string => (v === null || v === undefined ? "" : String(v).trim());
const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;
const PHONE = /^[0-9+()\- ]{5,30}$/;
const RESERVED: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Reads the two sheets against what exists and says what applying them would do, with every
 * problem on its cell. Pure: the Worker feeds it the grids and the rows it read.
 */
export function planDirectory(units: readonly (readonly CellValue[])[], accountsGrid: readonly (readonly CellValue[])[], ctx: DirectoryContext): DirectoryPreview {
  const problems: DirectoryProblem[] = [];
  const bad = (sheetKey: "units" | "accounts", row: number, col: number, zh: string, en: string) => {
    const name = DIRECTORY_SHEETS[sheetKey];
    const cell = cellAddress(row, col);
    problems.push({ sheet: sheetKey, cell: `${name}!${cell}`, message: { zh: `${name}!${cell}：${zh}`, en: `${name}!${cell}: ${en}` } });
  };
  const existing = new Map(ctx.subtree.map((u) => [u.id, u]));
  const preview: DirectoryPreview = { units: { create: [], change: [] }, accounts: { create: [], change: [] }, unchanged: 0, problems };
  const rowsOf = (grid: readonly (readonly CellValue[])[], key: "units" | "accounts") => {
    const out: { row: number; cells: string[] }[] = [];
    for (let r = FIRST_ROW; r < grid.length; r++) {
      const cells = Array.from({ length: 7 }, (_, c) => text(grid[r]?.[c]));
      if (cells.every((c) => c === "")) continue;
      if (out.length >= DIRECTORY_LIMIT) { bad(key, r, 0, `最多 ${DIRECTORY_LIMIT} 行`, `at most ${DIRECTORY_LIMIT} rows`); break; }
      out.push({ row: r, cells });
    }
    return out;
  };
  const nameOk = (key: "units" | "accounts", row: number, col: number, value: string, max: number, what: LocalizedText) => {
    if (value === "") { bad(key, row, col, `${what.zh}不能为空`, `${what.en} is required`); return false; }
    if (value.length > max) { bad(key, row, col, `${what.zh}不能超过 ${max} 个字`, `${what.en} has more than ${max} characters`); return false; }
    if (!isSheetSafe(value)) { bad(key, row, col, `${what.zh}含有表格无法保存的控制字符`, `${what.en} contains a control character no spreadsheet can hold`); return false; }
    return true;
  };

  // Units: new ones may hang below units of this sheet, so parents are resolved after every row is read.
  const seenIds = new Map<string, number>();
  const newUnits = new Map<string, { row: number; parentId: string; unit: DirectoryPreview["units"]["create"][number] }>();
  for (const { row, cells } of rowsOf(units, "units")) {
    const [id = "", nameZh = "", nameEn0 = "", levelText = "", parentId = "", contactName = "", contactPhone = ""] = cells;
    const nameEn = nameEn0 || id;
    if (!CodeSchema.safeParse(id).success || RESERVED.has(id)) { bad("units", row, 0, `单位代码「${id}」无效：以字母开头，只含字母、数字和 _，至多 40 个字符`, `unit code '${id}' is not valid: a letter first, then letters, digits and _, at most 40`); continue; }
    if (seenIds.has(id.toLowerCase())) { bad("units", row, 0, `单位代码「${id}」与第 ${seenIds.get(id.toLowerCase())! + 1} 行重复`, `unit code '${id}' repeats row ${seenIds.get(id.toLowerCase())! + 1}`); continue; }
    seenIds.set(id.toLowerCase(), row);
    let ok = nameOk("units", row, 1, nameZh, 64, { zh: "单位名称", en: "the name" }) && nameOk("units", row, 2, nameEn, 64, { zh: "英文名称", en: "the English name" });
    const level = LEVEL_OF.get(levelText.replace(/[()（）\s]/g, "")) ?? LEVEL_OF.get(levelText);
    if (!level) { bad("units", row, 3, `级别「${levelText}」应为 省、市、县（区）或 本级`, `level '${levelText}' should be 省, 市, 县（区） or 本级`); ok = false; }
    if (contactName && !nameOk("units", row, 5, contactName, 32, { zh: "联系人", en: "the contact person" })) ok = false;
    if (contactPhone && !PHONE.test(contactPhone)) { bad("units", row, 6, `联系电话「${contactPhone}」只能含数字、空格、+ - ( )`, `phone '${contactPhone}' may hold only digits, spaces, + - ( )`); ok = false; }
    const contact = { contactName: contactName || null, contactPhone: contactPhone || null };
    const old = existing.get(id);
    if (old) {
      if (!ok) continue;
      if ((old.parentId ?? "") !== parentId && !(id === ctx.caller.unitId)) { bad("units", row, 4, `不能修改已有单位的上级（应为「${old.parentId ?? ""}」）`, `an existing unit's parent cannot change here (it is '${old.parentId ?? ""}')`); continue; }
      if (level !== old.level) { bad("units", row, 3, `不能修改已有单位的级别（应为「${LEVEL_LABELS[old.level]}」）`, `an existing unit's level cannot change here (it is '${LEVEL_LABELS[old.level]}')`); continue; }
      const fields: Record<string, [string | null, string | null]> = {};
      if (old.name.zh !== nameZh) fields.nameZh = [old.name.zh, nameZh];
      if (old.name.en !== nameEn) fields.nameEn = [old.name.en, nameEn];
      if ((old.contactName ?? null) !== contact.contactName) fields.contactName = [old.contactName, contact.contactName];
      if ((old.contactPhone ?? null) !== contact.contactPhone) fields.contactPhone = [old.contactPhone, contact.contactPhone];
      if (Object.keys(fields).length > 0) preview.units.change.push({ id, fields });
      else preview.unchanged++;
      continue;
    }
    if (ctx.takenUnitIds.has(id.toLowerCase())) { bad("units", row, 0, `单位代码「${id}」已被使用（不区分大小写）`, `unit code '${id}' is taken (ignoring case)`); continue; }
    if (!ok) continue;
    if (level === "province") { bad("units", row, 3, "不能在这里添加省级单位", "a province cannot be added here"); continue; }
    newUnits.set(id, { row, parentId, unit: { id, name: { zh: nameZh, en: nameEn }, level: level!, parentId, ...contact } });
  }
  // parents: an existing unit of the subtree, or a new unit of this sheet that itself resolves
  const resolved = new Set<string>();
  const resolving = new Set<string>();
  const resolves = (id: string): boolean => {
    if (existing.has(id) || resolved.has(id)) return true;
    const n = newUnits.get(id);
    if (!n || resolving.has(id)) return false;
    resolving.add(id);
    const ok = resolves(n.parentId);
    resolving.delete(id);
    if (ok) resolved.add(id);
    return ok;
  };
  const order: string[] = [];
  const place = (id: string) => { if (existing.has(id) || order.includes(id)) return; place(newUnits.get(id)!.parentId); order.push(id); };
  for (const [id, n] of newUnits) {
    if (!resolves(id)) {
      bad("units", n.row, 4, `上级单位「${n.parentId}」不是您的单位或其下级（也不是本表中能确定的新单位）`, `parent '${n.parentId}' is not your unit or below it (nor a new unit of this sheet that is)`);
      continue;
    }
    place(id);
  }
  preview.units.create = order.map((id) => newUnits.get(id)!.unit);
  const unitsAfter = new Set([...existing.keys(), ...order]);

  // Accounts
  const seenNames = new Map<string, number>();
  for (const { row, cells } of rowsOf(accountsGrid, "accounts")) {
    const [username = "", displayName = "", roleText = "", unitId = ""] = cells;
    const key = username.toLowerCase();
    if (!USERNAME.test(username)) { bad("accounts", row, 0, `用户名「${username}」无效：3–32 个小写字母、数字或 _ . -，以字母开头`, `username '${username}' is not valid: 3–32 lower-case letters, digits, _ . -, starting with a letter`); continue; }
    if (seenNames.has(key)) { bad("accounts", row, 0, `用户名「${username}」与第 ${seenNames.get(key)! + 1} 行重复`, `username '${username}' repeats row ${seenNames.get(key)! + 1}`); continue; }
    seenNames.set(key, row);
    let ok = nameOk("accounts", row, 1, displayName, 64, { zh: "姓名", en: "the display name" });
    const role = ROLE_OF.get(roleText);
    if (!role) { bad("accounts", row, 2, `角色「${roleText}」应为 管理员、审核员、填报员 或 查看员`, `role '${roleText}' should be 管理员, 审核员, 填报员 or 查看员`); ok = false; }
    if (!unitsAfter.has(unitId)) { bad("accounts", row, 3, `单位「${unitId}」不是您的单位或其下级`, `unit '${unitId}' is not your unit or below it`); ok = false; }
    const old = ctx.accounts.get(key);
    if (old && !old.inSubtree) { bad("accounts", row, 0, `用户名「${username}」已被使用`, `username '${username}' is taken`); continue; }
    if (!ok) continue;
    if (old) {
      const fields: Record<string, [string | null, string | null]> = {};
      if (old.displayName !== displayName) fields.displayName = [old.displayName, displayName];
      if (old.role !== role) fields.role = [old.role, role!];
      if (old.unitId !== unitId) fields.unitId = [old.unitId, unitId];
      if (key === ctx.caller.username.toLowerCase() && (fields.role || fields.unitId)) { bad("accounts", row, 2, "不能修改您自己账号的角色或单位", "you cannot change your own account's role or unit"); continue; }
      // authority comes from above: a peer administrator of your own unit is changed only by a unit above it
      if (old.role === "admin" && old.unitId === ctx.caller.unitId && Object.keys(fields).length > 0 && key !== ctx.caller.username.toLowerCase()) {
        bad("accounts", row, 2, "同一单位的其他管理员只能由上级单位修改", "another administrator of your own unit can be changed only from a unit above it"); continue;
      }
      if (Object.keys(fields).length > 0) preview.accounts.change.push({ username: old.username, fields });
      else preview.unchanged++;
      continue;
    }
    preview.accounts.create.push({ username, displayName, role: role!, unitId });
  }
  return preview;
}
