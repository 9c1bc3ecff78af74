import type { LocalizedText } from "../schemas/text";
import { cellAddress, type CellPlan, type CellValue, type SheetPlan } from "../layout/sheet-plan";
import { LEVEL_LABELS } from "./placement";
import { ACCOUNT_COLUMNS, DIRECTORY_LIMIT, DIRECTORY_MAX_ROWS, DIRECTORY_ROOM, DIRECTORY_SHEETS, FIRST_ROW, ROLE_LABELS, UNIT_COLUMNS, type DirectoryAccount, type DirectoryColumn, type DirectoryUnit } from "./sheets";

export * from "./sheets";
export * from "./placement";
export { planDirectory } from "./plan";
export * from "./read";

/**
 * The units-and-accounts workbook (单位与账号): an administrator (of a nation, province or city)
 * downloads the units and accounts of their subtree, adds or edits rows in Excel or WPS, uploads it,
 * sees a preview with every problem on its cell, and applies it all or nothing (at most
 * DIRECTORY_LIMIT new or changed rows a sheet an upload; unchanged rows cost a comparison). Units are never
 * moved or deleted here and accounts never deleted: rows left out are left as they are. A unit's name, like its parent and
 * level, changes only from above: an administrator renames the units below its own, never its own.
 */

/**
 * A sheet: its two header rows, its rows, and empty rows below them to type new ones into. Every
 * cell to type into is Text (@): typed into General, a landline 03562021234 would be stored as the
 * number 3562021234, its 0 gone before anyone could see it.
 */
function sheet(name: string, columns: readonly DirectoryColumn[], rows: CellValue[][], pick: { col: number; list: string[]; error: LocalizedText }): SheetPlan {
  const cells: CellPlan[] = [];
  columns.forEach((c, col) => {
    cells.push({ row: 0, col, value: c.zh, style: "header", locked: true });
    cells.push({ row: 1, col, value: c.en, style: "note", locked: true });
  });
  const drawn = Math.max(rows.length, Math.min(rows.length + DIRECTORY_ROOM, DIRECTORY_MAX_ROWS));
  for (let i = 0; i < drawn; i++) {
    columns.forEach((_, col) => cells.push({ row: FIRST_ROW + i, col, value: rows[i]?.[col] ?? null, style: "input", locked: false, numberFormat: "@" }));
  }
  // the drop-down (level or role) on the same rows
  const validations = Array.from({ length: drawn }, (_, i) => ({ cell: cellAddress(FIRST_ROW + i, pick.col), type: "list" as const, list: pick.list, error: pick.error }));
  return { name, cells, columnWidths: columns.map((c) => c.width), merges: [], validations, freezeRows: 2, protect: false, properties: {}, print: { landscape: true, titleRows: "1:2" } };
}

/** The workbook's sheets, filled with the caller's subtree; room for new rows below. */
export function buildDirectoryPlans(units: readonly DirectoryUnit[], accounts: readonly DirectoryAccount[]): SheetPlan[] {
  const unitRows = units.map((u) => [u.id, u.name.zh, u.name.en, LEVEL_LABELS[u.level], u.parentId, u.contactName, u.contactPhone]);
  const accountRows = accounts.map((a) => [a.username, a.displayName, ROLE_LABELS[a.role], a.unitId]);
  const notes: CellPlan[] = [
    "单位与账号表 · Units and accounts",
    "在「单位」表末尾添加新单位，或修改下级单位的名称和联系人（本单位只能改联系人，名称由上级单位修改）；同一上级下的单位不能重名；单位代码只能用字母、数字和 _，以字母开头，添加后不能修改。",
    "Add units at the end of 单位, or change the name and contact of a unit below yours (your own unit's contact only: its name is changed from above); units under one parent have different names; a unit code (letters, digits, _, starting with a letter) cannot change once added.",
    "级别：国家、省、市、县（区）、本级（如市本级，报送上级本身数据的单位）。可以添加比您的单位低的任何级别（国家可加省、市、县，省可加市、县，市可加县）；新单位的级别不能高于其上级单位的级别，国家级单位只能在初始化时建立，本级单位下不能再加单位。上级单位代码必须是您的单位或其下级（可以是本表中新添加的单位）。",
    "Levels: 国家 (nation), 省 (province), 市 (city), 县（区） (county), 本级 (a unit reporting its parent's own figures, such as 市本级). You may add units of any level below your own (a nation provinces, cities and counties; a province cities and counties; a city counties); a new unit's level is never above its parent's, a nation is made only at the first run, and nothing goes below a 本级 unit. The parent code must be your unit or below it (a unit added in this sheet counts).",
    "在「账号」表末尾添加账号，或修改姓名、角色和所属单位。角色：管理员、审核员、填报员、查看员。用户名 3–32 个小写字母、数字或 _ . -。",
    "Add accounts at the end of 账号, or change a display name, role or unit. Usernames: 3–32 lower-case letters, digits, _ . -.",
    "新账号的初始密码由系统生成，只在导入完成时显示一次，首次登录时必须修改。本表中删除的行不会删除单位或账号。",
    "New accounts get a generated password, shown once when the sheet is applied, to be changed at first sign-in. Rows removed here delete nothing.",
    "上传后先预览：每个问题都标明工作表和单元格；没有问题时才能导入，导入要么全部完成，要么什么都不改。",
    `大小：每张表最多 ${DIRECTORY_MAX_ROWS.toLocaleString("en-US")} 行，下载的表原样上传即可，未修改的行不计；每次导入时每张表的新增和修改最多 ${DIRECTORY_LIMIT.toLocaleString("en-US")} 行（单位、账号各计），更多请分批导入。`,
    `Size: at most ${DIRECTORY_MAX_ROWS.toLocaleString("en-US")} rows a sheet, and the workbook goes back up as downloaded (unchanged rows do not count); one upload applies at most ${DIRECTORY_LIMIT.toLocaleString("en-US")} new or changed rows a sheet (units and accounts each): split more over several uploads.`,
    "各列都是文本格式，电话号码开头的 0（如 0356…）会保留。请勿修改第 1、2 行的表头，也不要插入、删除或移动列；工作表可以隐藏或调整顺序。",
    "Every column is Text, so a phone's leading 0 (0356…) is kept. Leave the header rows 1 and 2 as they are and do not insert, delete or move columns; sheets may be hidden or reordered.",
  ].map((value, row) => ({ row, col: 0, value, style: row === 0 ? "title" : "note", locked: true }));
  return [
    sheet(DIRECTORY_SHEETS.units, UNIT_COLUMNS, unitRows, { col: 3, list: Object.values(LEVEL_LABELS), error: { zh: "请从列表中选择级别", en: "Pick a level from the list" } }),
    sheet(DIRECTORY_SHEETS.accounts, ACCOUNT_COLUMNS, accountRows, { col: 2, list: Object.values(ROLE_LABELS), error: { zh: "请从列表中选择角色", en: "Pick a role from the list" } }),
    { name: DIRECTORY_SHEETS.notes, cells: notes, columnWidths: [120], merges: [], validations: [], freezeRows: 0, protect: false, properties: {}, print: { landscape: false, titleRows: "" } },
  ];
}
