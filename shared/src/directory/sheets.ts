import { z } from "zod";
import { InitialPasswordsSchema, RoleSchema, type Role } from "../api/contract";
import { CodeSchema } from "../schemas/text";
import { UnitLevelSchema, type Unit } from "../schemas/unit";

// The units-and-accounts workbook's shapes, shared by the sheets (directory.ts) and the planner (plan.ts).

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
/**
 * Changes one upload may apply on each sheet: new and changed units, and new and changed accounts
 * (so at most 2,000 of each, as before issue 27). Unchanged rows do not count, so a workbook goes back up as downloaded whatever its size
 * (a nation's ~3,400 units and ~3,700 accounts); each change is a few statements of one D1 batch.
 */
export const DIRECTORY_LIMIT = 2000;
/**
 * Rows a sheet may hold below its headers (the upload reader reads a little further, to say so):
 * three times a nation's workbook. Read and planned, 10,000 units and 10,000 accounts cost ~1.8 s of
 * CPU and under 100 MB of heap in Node; twice that passed 128 MB, a Worker's memory.
 */
export const DIRECTORY_MAX_ROWS = 10_000;
/** Header row 1 (Chinese), row 2 (English), data from row 3 (index 2). */
export const FIRST_ROW = 2;

/**
 * One column of a sheet: its titles as drawn in rows 1 (Chinese) and 2 (English), and other titles a
 * person may shorten it to (「姓名」 for 「姓名/显示名」), which still name the same column. Every
 * column holds text (codes, names, phones), so the workbook writes each as Text (@).
 */
export interface DirectoryColumn { key: string; zh: string; en: string; width: number; also?: readonly string[] }

export const UNIT_COLUMNS: readonly DirectoryColumn[] = [
  { key: "id", zh: "单位代码", en: "Unit code", width: 16 },
  { key: "nameZh", zh: "单位名称", en: "Name", width: 22 },
  { key: "nameEn", zh: "英文名称", en: "English name", width: 22 },
  { key: "level", zh: "级别", en: "Level", width: 10 },
  { key: "parentId", zh: "上级单位代码", en: "Parent code", width: 16 },
  { key: "contactName", zh: "联系人", en: "Contact person", width: 12, also: ["Contact"] },
  { key: "contactPhone", zh: "联系电话", en: "Phone", width: 16 },
];
export const ACCOUNT_COLUMNS: readonly DirectoryColumn[] = [
  { key: "username", zh: "用户名", en: "Username", width: 18 },
  { key: "displayName", zh: "姓名/显示名", en: "Display name", width: 18, also: ["姓名", "显示名"] },
  { key: "role", zh: "角色", en: "Role", width: 10 },
  { key: "unitId", zh: "所属单位代码", en: "Unit code", width: 16 },
];
/** Rows drawn below a sheet's rows, Text (@) and with their drop-down, for new ones to be typed into. */
export const DIRECTORY_ROOM = 200;

export const ROLE_LABELS: Record<Role, string> = { admin: "管理员", reviewer: "审核员", reporter: "填报员", viewer: "查看员" };

export const DirectoryProblemSchema = z.strictObject({ sheet: z.enum(["units", "accounts"]), cell: z.string(), message: z.strictObject({ zh: z.string(), en: z.string() }) });
export type DirectoryProblem = z.infer<typeof DirectoryProblemSchema>;

const FieldChangeSchema = z.record(z.string(), z.tuple([z.string().nullable(), z.string().nullable()]));
export const DirectoryPreviewSchema = z.strictObject({
  units: z.strictObject({
    create: z.array(z.strictObject({ id: CodeSchema, name: z.strictObject({ zh: z.string(), en: z.string() }), level: UnitLevelSchema, parentId: CodeSchema, contactName: z.string().nullable(), contactPhone: z.string().nullable() })),
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
