import { z } from "zod";
import { InitialPasswordsSchema, RoleSchema, type Role } from "../api/contract";
import { CodeSchema } from "../schemas/text";
import type { Unit } from "../schemas/unit";

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
/** Rows per sheet; the upload reader reads sheets to row 2,100 and reports anything beyond. */
export const DIRECTORY_LIMIT = 2000;
/** Header row 1 (Chinese), row 2 (English), data from row 3 (index 2). */
export const FIRST_ROW = 2;

export const ROLE_LABELS: Record<Role, string> = { admin: "管理员", reviewer: "审核员", reporter: "填报员", viewer: "查看员" };

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
