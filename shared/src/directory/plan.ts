import type { Role } from "../api/contract";
import { CodeSchema, isSheetSafe, type LocalizedText } from "../schemas/text";
import { UNIT_NAME_MAX, hasVisibleText, type UnitLevel } from "../schemas/unit";
import { cellAddress, type CellValue } from "../layout/sheet-plan";
import { LEVEL_LABELS, placementProblem } from "./placement";
import { DIRECTORY_LIMIT, DIRECTORY_MAX_ROWS, DIRECTORY_SHEETS, FIRST_ROW, ROLE_LABELS, type DirectoryContext, type DirectoryPreview, type DirectoryProblem, type DirectoryUnit } from "./sheets";
import { checkSiblingNames, type NamedRow } from "./siblings";
import type { DirectoryRead, DirectorySheetKey } from "./read";

// Maps, not plain objects: a cell reading "constructor" must not find Object's own property.
const LEVEL_OF: ReadonlyMap<string, UnitLevel> = new Map(Object.entries({
  ...Object.fromEntries(Object.entries(LEVEL_LABELS).map(([k, v]) => [v, k as UnitLevel])),
  国: "nation", 全国: "nation", 省: "province", 市: "city", 县: "county", 区: "county", 县区: "county", 市本级: "self",
  nation: "nation", province: "province", city: "city", county: "county", self: "self",
} as Record<string, UnitLevel>));
const ROLE_OF: ReadonlyMap<string, Role> = new Map(Object.entries({
  ...Object.fromEntries(Object.entries(ROLE_LABELS).map(([k, v]) => [v, k as Role])),
  admin: "admin", reviewer: "reviewer", reporter: "reporter", viewer: "viewer", 查看: "viewer", 审核: "reviewer", 填报: "reporter",
} as Record<string, Role>));

const text = (v: CellValue | undefined): string => (v === null || v === undefined ? "" : String(v).trim());
const USERNAME = /^[a-z][a-z0-9_.-]{2,31}$/;
const PHONE = /^[0-9+()\- ]{5,30}$/;
const RESERVED: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

type SheetKey = DirectorySheetKey;
/** Records a problem on a cell (0-based row and column), its message prefixed with the sheet and cell. */
export type Bad = (sheet: SheetKey, row: number, col: number, zh: string, en: string) => void;
type Grid = readonly (readonly CellValue[])[];
type NewUnit = { row: number; parentId: string; unit: DirectoryPreview["units"]["create"][number] };

/**
 * Reads the two sheets against what exists and says what applying them would do, with every
 * problem on its cell (in sheet, row and column order). Pure: the Worker feeds it the grids as read
 * (readDirectoryBook), with the sheets' names and the problems found reading their cells; a cell
 * refused there keeps that one problem (its blank is not also "required").
 */
export function planDirectory(units: Grid, accountsGrid: Grid, ctx: DirectoryContext, read: Partial<Pick<DirectoryRead, "names" | "problems">> = {}): DirectoryPreview {
  const found = new Map<number, DirectoryProblem>();
  const bad: Bad = (sheetKey, row, col, zh, en) => {
    const name = read.names?.[sheetKey] ?? DIRECTORY_SHEETS[sheetKey];
    const cell = cellAddress(row, col);
    const key = (sheetKey === "units" ? 0 : 1e7) + row * 100 + col;
    if (!found.has(key)) found.set(key, { sheet: sheetKey, cell: `${name}!${cell}`, message: { zh: `${name}!${cell}：${zh}`, en: `${name}!${cell}: ${en}` } });
  };
  for (const p of read.problems ?? []) bad(p.sheet, p.row, p.col, p.zh, p.en);
  const preview: DirectoryPreview = { units: { create: [], change: [] }, accounts: { create: [], change: [] }, unchanged: 0, problems: [] };
  const named: NamedRow[] = [];
  // the rows that create or change something, to say where a workbook passes DIRECTORY_LIMIT
  const changed: { sheet: SheetKey; row: number }[] = [];
  const newUnits = planUnits(units, ctx, preview, bad, named, changed);
  preview.units.create = placeNewUnits(newUnits, ctx, bad);
  for (const u of preview.units.create) {
    const row = newUnits.get(u.id)!.row;
    named.push({ id: u.id, row, zh: true, en: true });
    changed.push({ sheet: "units", row });
  }
  checkSiblingNames(ctx, preview, named, bad);
  planAccounts(accountsGrid, ctx, new Set([...ctx.subtree.map((u) => u.id), ...preview.units.create.map((u) => u.id)]), preview, bad, changed);
  overLimit(changed, bad);
  preview.problems = [...found].sort(([a], [b]) => a - b).map(([, problem]) => problem);
  return preview;
}

/**
 * At most DIRECTORY_LIMIT creations and changes a sheet an upload (units, and accounts, each);
 * unchanged rows do not count. Past it, the sheet's first row over the limit is named, with what to do.
 */
function overLimit(changed: { sheet: SheetKey; row: number }[], bad: Bad): void {
  for (const sheet of ["units", "accounts"] as const) {
    const rows = changed.filter((c) => c.sheet === sheet).map((c) => c.row).sort((a, b) => a - b);
    if (rows.length <= DIRECTORY_LIMIT) continue;
    const [n, limit] = [rows.length.toLocaleString("en-US"), DIRECTORY_LIMIT.toLocaleString("en-US")];
    const what = sheet === "units" ? { zh: "单位", en: "units" } : { zh: "账号", en: "accounts" };
    bad(sheet, rows[DIRECTORY_LIMIT]!, 0,
      `本表有 ${n} 个新增或修改的${what.zh}，每张表每次最多导入 ${limit} 个（未修改的行不计），本行是第 ${limit} 个之后的第一个。请分批导入：先删去本行及以后新增或修改的行，导入后再上传其余的`,
      `this sheet creates or changes ${n} ${what.en}, and one upload applies at most ${limit} a sheet (unchanged rows do not count); this row is the first past ${limit}. Split it: delete this row and the new or changed rows after it, apply, then upload the rest`);
  }
}

/** The non-empty rows of a sheet, at most DIRECTORY_MAX_ROWS (a row past it is reported, never dropped). */
function rowsOf(grid: Grid, key: SheetKey, bad: Bad): { row: number; cells: string[] }[] {
  const out: { row: number; cells: string[] }[] = [];
  for (let r = FIRST_ROW; r < grid.length; r++) {
    const cells = Array.from({ length: 7 }, (_, c) => text(grid[r]?.[c]));
    if (cells.every((c) => c === "")) continue;
    if (out.length >= DIRECTORY_MAX_ROWS) {
      const max = DIRECTORY_MAX_ROWS.toLocaleString("en-US");
      bad(key, r, 0, `每张表最多 ${max} 行，本行已超出；请分批导入`, `at most ${max} rows a sheet, and this row is past it: split the workbook`);
      break;
    }
    out.push({ row: r, cells });
  }
  return out;
}

function nameOk(bad: Bad, key: SheetKey, row: number, col: number, value: string, max: number, what: LocalizedText): boolean {
  if (value === "") { bad(key, row, col, `${what.zh}不能为空`, `${what.en} is required`); return false; }
  if (value.length > max) { bad(key, row, col, `${what.zh}不能超过 ${max} 个字`, `${what.en} has more than ${max} characters`); return false; }
  if (!isSheetSafe(value)) { bad(key, row, col, `${what.zh}含有表格无法保存的控制字符`, `${what.en} contains a control character no spreadsheet can hold`); return false; }
  if (!hasVisibleText(value)) { bad(key, row, col, `${what.zh}只有空格或不可见字符`, `${what.en} holds only spaces or invisible characters`); return false; }
  return true;
}

/** Units: changes of existing ones go into the preview; new ones are returned, to be placed once every row is read. */
function planUnits(grid: Grid, ctx: DirectoryContext, preview: DirectoryPreview, bad: Bad, named: NamedRow[], changed: { sheet: SheetKey; row: number }[]): Map<string, NewUnit> {
  const existing = new Map(ctx.subtree.map((u) => [u.id, u]));
  const seenIds = new Map<string, number>();
  const newUnits = new Map<string, NewUnit>();
  for (const { row, cells } of rowsOf(grid, "units", bad)) {
    const [id = "", nameZh = "", nameEn0 = "", levelText = "", parentId = "", contactName = "", contactPhone = ""] = cells;
    const nameEn = nameEn0 || id;
    if (!CodeSchema.safeParse(id).success || RESERVED.has(id)) { bad("units", row, 0, `单位代码「${id}」无效：以字母开头，只含字母、数字和 _，至多 40 个字符`, `unit code '${id}' is not valid: a letter first, then letters, digits and _, at most 40`); continue; }
    const seen = seenIds.get(id.toLowerCase());
    if (seen !== undefined) { bad("units", row, 0, `单位代码「${id}」与第 ${seen + 1} 行重复`, `unit code '${id}' repeats row ${seen + 1}`); continue; }
    seenIds.set(id.toLowerCase(), row);
    // a name kept as it is stored is not checked again: one set before today's rules (longer than 64, with a
    // space at its end) still goes back up unchanged (review27 F2, F3); the cell's trim is the stored name's
    const stored = existing.get(id)?.name;
    const sameZh = stored !== undefined && stored.zh.trim() === nameZh;
    const sameEn = stored !== undefined && stored.en.trim() === nameEn;
    let ok = (sameZh || nameOk(bad, "units", row, 1, nameZh, UNIT_NAME_MAX, { zh: "单位名称", en: "the name" }))
      && (sameEn || nameOk(bad, "units", row, 2, nameEn, UNIT_NAME_MAX, { zh: "英文名称", en: "the English name" }));
    const level = LEVEL_OF.get(levelText.replace(/[()（）\s]/g, "")) ?? LEVEL_OF.get(levelText);
    if (!level) { bad("units", row, 3, `级别「${levelText}」应为 国家、省、市、县（区）或 本级`, `level '${levelText}' should be 国家, 省, 市, 县（区） or 本级`); ok = false; }
    if (contactName && !nameOk(bad, "units", row, 5, contactName, 32, { zh: "联系人", en: "the contact person" })) ok = false;
    if (contactPhone && !PHONE.test(contactPhone)) { bad("units", row, 6, `联系电话「${contactPhone}」只能含数字、空格、+ - ( )`, `phone '${contactPhone}' may hold only digits, spaces, + - ( )`); ok = false; }
    const contact = { contactName: contactName || null, contactPhone: contactPhone || null };
    const old = existing.get(id);
    if (old) {
      if (ok && changeUnit(old, row, { name: { zh: sameZh ? old.name.zh : nameZh, en: sameEn ? old.name.en : nameEn }, level: level!, parentId, ...contact }, ctx, preview, bad, named)) changed.push({ sheet: "units", row });
      continue;
    }
    if (ctx.takenUnitIds.has(id.toLowerCase())) { bad("units", row, 0, `单位代码「${id}」已被使用（不区分大小写）`, `unit code '${id}' is taken (ignoring case)`); continue; }
    if (ok) newUnits.set(id, { row, parentId, unit: { id, name: { zh: nameZh, en: nameEn }, level: level!, parentId, ...contact } });
  }
  return newUnits;
}

/**
 * An existing unit's row. Parent and level never change here; the name changes only from above
 * (authority comes from above: a unit never renames itself, or its parent would see a name it
 * never gave); the contact changes from the unit itself too, as on the screen (the 催报 list).
 */
function changeUnit(old: DirectoryUnit, row: number, now: { name: LocalizedText; level: UnitLevel; parentId: string; contactName: string | null; contactPhone: string | null }, ctx: DirectoryContext, preview: DirectoryPreview, bad: Bad, named: NamedRow[]): boolean {
  const own = old.id === ctx.caller.unitId;
  if ((old.parentId ?? "") !== now.parentId) { bad("units", row, 4, `不能修改已有单位的上级（应为「${old.parentId ?? ""}」）`, `an existing unit's parent cannot change here (it is '${old.parentId ?? ""}')`); return false; }
  if (now.level !== old.level) { bad("units", row, 3, `不能修改已有单位的级别（应为「${LEVEL_LABELS[old.level]}」）`, `an existing unit's level cannot change here (it is '${LEVEL_LABELS[old.level]}')`); return false; }
  const fields: Record<string, [string | null, string | null]> = {};
  if (old.name.zh !== now.name.zh) fields.nameZh = [old.name.zh, now.name.zh];
  if (old.name.en !== now.name.en) fields.nameEn = [old.name.en, now.name.en];
  if (own && (fields.nameZh || fields.nameEn)) {
    if (fields.nameZh) bad("units", row, 1, `不能修改本单位的名称（应为「${old.name.zh}」）；单位名称只能由上级单位修改`, `you cannot rename your own unit (it is '${old.name.zh}'); a unit's name is changed only by the unit above it`);
    if (fields.nameEn) bad("units", row, 2, `不能修改本单位的英文名称（应为「${old.name.en}」）；单位名称只能由上级单位修改`, `you cannot rename your own unit (its English name is '${old.name.en}'); a unit's name is changed only by the unit above it`);
    return false;
  }
  if ((old.contactName ?? null) !== now.contactName) fields.contactName = [old.contactName, now.contactName];
  if ((old.contactPhone ?? null) !== now.contactPhone) fields.contactPhone = [old.contactPhone, now.contactPhone];
  if (fields.nameZh || fields.nameEn) named.push({ id: old.id, row, zh: fields.nameZh !== undefined, en: fields.nameEn !== undefined });
  if (Object.keys(fields).length > 0) { preview.units.change.push({ id: old.id, fields }); return true; }
  preview.unchanged++;
  return false;
}

/**
 * New units, parents first. A parent is an existing unit of the subtree or a new unit of this sheet
 * that itself resolves, and the unit must be allowed there (placementProblem, the rule POST /units
 * applies too); a unit that is not allowed is named on its level or parent cell.
 */
function placeNewUnits(newUnits: Map<string, NewUnit>, ctx: DirectoryContext, bad: Bad): DirectoryPreview["units"]["create"] {
  const existing = new Map(ctx.subtree.map((u) => [u.id, u]));
  // each new unit settles once: placed (true) or not (false); a loop, not recursion, so a chain of
  // thousands of nested new units costs its length and never the stack
  const settled = new Map<string, boolean>();
  const misplaced = new Set<string>();
  const order: string[] = [];
  for (const start of newUnits.keys()) {
    // walk up to a parent that is settled, existing or unknown, then settle the chain top down
    const chain: string[] = [];
    const onChain = new Set<string>();
    let at: string | undefined = start;
    while (at !== undefined && newUnits.has(at) && !settled.has(at) && !onChain.has(at)) {
      chain.push(at);
      onChain.add(at);
      at = newUnits.get(at)!.parentId;
    }
    // at the top of the chain: an existing unit, a settled new one, or nothing usable (unknown, a cycle)
    let ok = at !== undefined && (existing.has(at) || settled.get(at) === true) && !onChain.has(at);
    for (let i = chain.length - 1; i >= 0; i--) {
      const id = chain[i]!;
      const n = newUnits.get(id)!;
      const wrong = ok ? placementProblem(n.unit.level, existing.get(n.parentId) ?? newUnits.get(n.parentId)!.unit) : null;
      if (wrong) {
        misplaced.add(id);
        bad("units", n.row, wrong.field === "level" ? 3 : 4, wrong.message.zh, wrong.message.en);
        ok = false;
      }
      settled.set(id, ok);
      if (ok) order.push(id);
    }
  }
  for (const [id, n] of newUnits) {
    if (settled.get(id) !== true && !misplaced.has(id)) bad("units", n.row, 4, `上级单位「${n.parentId}」不是您的单位或其下级（也不是本表中能确定的新单位）`, `parent '${n.parentId}' is not your unit or below it (nor a new unit of this sheet that is)`);
  }
  return order.map((id) => newUnits.get(id)!.unit);
}

/** Accounts: new ones, and changes of display name, role and unit within the caller's subtree. */
function planAccounts(grid: Grid, ctx: DirectoryContext, unitsAfter: ReadonlySet<string>, preview: DirectoryPreview, bad: Bad, changed: { sheet: SheetKey; row: number }[]): void {
  const seenNames = new Map<string, number>();
  const me = ctx.caller.username.toLowerCase();
  for (const { row, cells } of rowsOf(grid, "accounts", bad)) {
    const [username = "", displayName = "", roleText = "", unitId = ""] = cells;
    const key = username.toLowerCase();
    if (!USERNAME.test(username)) { bad("accounts", row, 0, `用户名「${username}」无效：3–32 个小写字母、数字或 _ . -，以字母开头`, `username '${username}' is not valid: 3–32 lower-case letters, digits, _ . -, starting with a letter`); continue; }
    const seen = seenNames.get(key);
    if (seen !== undefined) { bad("accounts", row, 0, `用户名「${username}」与第 ${seen + 1} 行重复`, `username '${username}' repeats row ${seen + 1}`); continue; }
    seenNames.set(key, row);
    let ok = nameOk(bad, "accounts", row, 1, displayName, 64, { zh: "姓名", en: "the display name" });
    const role = ROLE_OF.get(roleText);
    if (!role) { bad("accounts", row, 2, `角色「${roleText}」应为 管理员、审核员、填报员 或 查看员`, `role '${roleText}' should be 管理员, 审核员, 填报员 or 查看员`); ok = false; }
    if (!unitsAfter.has(unitId)) { bad("accounts", row, 3, `单位「${unitId}」不是您的单位或其下级`, `unit '${unitId}' is not your unit or below it`); ok = false; }
    const old = ctx.accounts.get(key);
    if (old && !old.inSubtree) { bad("accounts", row, 0, `用户名「${username}」已被使用`, `username '${username}' is taken`); continue; }
    if (!ok) continue;
    if (!old) { preview.accounts.create.push({ username, displayName, role: role!, unitId }); changed.push({ sheet: "accounts", row }); continue; }
    const fields: Record<string, [string | null, string | null]> = {};
    if (old.displayName !== displayName) fields.displayName = [old.displayName, displayName];
    if (old.role !== role) fields.role = [old.role, role!];
    if (old.unitId !== unitId) fields.unitId = [old.unitId, unitId];
    if (key === me && (fields.role || fields.unitId)) { bad("accounts", row, 2, "不能修改您自己账号的角色或单位", "you cannot change your own account's role or unit"); continue; }
    // authority comes from above: a peer administrator of your own unit is changed only by a unit above it
    if (old.role === "admin" && old.unitId === ctx.caller.unitId && Object.keys(fields).length > 0 && key !== me) {
      bad("accounts", row, 2, "同一单位的其他管理员只能由上级单位修改", "another administrator of your own unit can be changed only from a unit above it"); continue;
    }
    if (Object.keys(fields).length > 0) { preview.accounts.change.push({ username: old.username, fields }); changed.push({ sheet: "accounts", row }); }
    else preview.unchanged++;
  }
}
