import type { LocalizedText } from "../schemas/text";
import { cellAddress, type CellPlan, type CellValue, type SheetPlan } from "../layout/sheet-plan";
import { LEVEL_LABELS } from "./placement";
import { DIRECTORY_SHEETS, FIRST_ROW, ROLE_LABELS, type DirectoryAccount, type DirectoryUnit } from "./sheets";

export * from "./sheets";
export * from "./placement";
export { planDirectory } from "./plan";

/**
 * The units-and-accounts workbook (单位与账号): a city administrator downloads the units and accounts
 * of their subtree, adds or edits rows in Excel or WPS, uploads it, sees a preview with every
 * problem on its cell, and applies it all or nothing. Units are never moved or deleted here and
 * accounts never deleted: rows left out are left as they are. A unit's name, like its parent and
 * level, changes only from above: an administrator renames the units below its own, never its own.
 */

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
    "在「单位」表末尾添加新单位，或修改下级单位的名称和联系人（本单位只能改联系人，名称由上级单位修改）；同一上级下的单位不能重名；单位代码只能用字母、数字和 _，以字母开头，添加后不能修改。",
    "Add units at the end of 单位, or change the name and contact of a unit below yours (your own unit's contact only: its name is changed from above); units under one parent have different names; a unit code (letters, digits, _, starting with a letter) cannot change once added.",
    "级别：市、县（区）、本级（市本级，报送本级数据的单位），不能高于上级单位的级别，本级单位下不能再加单位。上级单位代码必须是您的单位或其下级（可以是本表中新添加的单位）。",
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
