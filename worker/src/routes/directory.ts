import { Hono, type Context } from "hono";
import { DIRECTORY_LIMIT, DIRECTORY_MAX_ROWS, DirectoryAppliedSchema, DirectoryPreviewSchema, buildDirectoryPlans, planDirectory, readDirectoryBook, type DirectoryPreview } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { generatePassword, hashFirstPassword } from "../auth/password";
import { auditIfCreated } from "../db/audit";
import { inSubtree } from "../db/units";
import { applyStatements, readDirectory, readDirectoryContext } from "../db/directory";
import { fileResponse, renderWorkbook, XLSX_TYPE } from "../export/xlsx";
import { DIRECTORY_READ } from "../upload/read-xlsx";
import { uploadedWorkbook } from "./upload-body";
import { accountInReach } from "./accounts";
import { defineRoute } from "./define";

export const directoryRoutes = new Hono<AppEnv>();

defineRoute(directoryRoutes, {
  method: "get", path: "/directory.xlsx", produces: XLSX_TYPE, roles: ["admin"],
  summary: "单位与账号: the units and accounts of your subtree as a workbook to fill in Excel or WPS and upload",
}, async (c) => {
  const d = await readDirectory(c.env.DB, c.var.user.unitPath);
  return fileResponse(await renderWorkbook(buildDirectoryPlans(d.units, d.accounts)), XLSX_TYPE, `单位与账号-${c.var.user.unitName.zh}.xlsx`);
});

/**
 * Reads the uploaded workbook's two sheets (by name, or renamed, by their header rows), checks their
 * headers before any value, and plans what it would change. A workbook that is not one, lacks a
 * sheet or has a moved column is refused whole (422), never previewed.
 */
async function preview(c: Context<AppEnv>): Promise<{ ok: true; value: DirectoryPreview } | { ok: false; response: Response }> {
  // read as far as a sheet of DIRECTORY_MAX_ROWS rows goes (not a fill sheet's 2,100 rows), every other limit the same
  const book = await uploadedWorkbook(c, DIRECTORY_READ);
  if (!book.ok) return { ok: false, response: reply(c, book) };
  const read = readDirectoryBook(book.value.map((s) => ({ name: s.sheetName, grid: s.grid, formulas: s.formulaCells, errors: s.errors, shown: s.shown })));
  if (!read.ok) return { ok: false, response: reply(c, failure(422, "layout_mismatch", read.error.message.zh, read.error.message.en, read.error.cell ? { where: read.error.cell } : {})) };
  if (book.value.some((s) => s.outsideArea > 0)) {
    const [rows, max, limit] = [DIRECTORY_READ.rows, DIRECTORY_MAX_ROWS, DIRECTORY_LIMIT].map((n) => n.toLocaleString("en-US"));
    return { ok: false, response: reply(c, failure(422, "invalid_body",
      `表中第 ${rows} 行以后或 Z 列以后还有内容，未读取任何内容；每张表最多 ${max} 行（每次导入每张表最多 ${limit} 行新增或修改），请删去多余的内容或分批导入`,
      `The workbook has content past row ${rows} or column Z; nothing was read. A sheet holds at most ${max} rows (and one upload applies at most ${limit} new or changed rows a sheet): delete what is extra, or split it`)) };
  }
  const { units, accounts } = read.value;
  const column = (grid: (string | null)[][]) => grid.slice(2).map((r) => (r[0] ?? "").trim()).filter((v) => v !== "").slice(0, DIRECTORY_MAX_ROWS + 1);
  const ctx = await readDirectoryContext(c.env.DB, c.var.user, column(units), column(accounts));
  return { ok: true, value: planDirectory(units, accounts, ctx, read.value) };
}

defineRoute(directoryRoutes, {
  method: "post", path: "/directory/preview", roles: ["admin"], response: DirectoryPreviewSchema, consumes: XLSX_TYPE,
  summary: "What uploading a units-and-accounts workbook (the body, .xlsx) would create and change, with every problem on its cell; changes nothing",
}, async (c) => {
  const p = await preview(c);
  return p.ok ? c.json(p.value) : p.response;
});


defineRoute(directoryRoutes, {
  method: "post", path: "/directory/apply", roles: ["admin"], response: DirectoryAppliedSchema, consumes: XLSX_TYPE,
  summary: "Applies a units-and-accounts workbook (the body, .xlsx) all or nothing; new accounts' initial passwords are in the answer, once",
}, async (c) => {
  const p = await preview(c);
  if (!p.ok) return p.response;
  const plan = p.value;
  if (plan.problems.length > 0) {
    const first = plan.problems[0]!;
    return reply(c, failure(422, "invalid_body", `表中有 ${plan.problems.length} 处问题，未导入任何内容。${first.message.zh}`, `The workbook has ${plan.problems.length} problems; nothing was applied. ${first.message.en}`, {
      where: first.cell,
      issues: plan.problems.map((x) => ({ code: "directory", severity: "error" as const, indicator: x.sheet, cell: x.cell, message: x.message })),
    }));
  }
  const passwords = plan.accounts.create.map((a) => ({ username: a.username, displayName: a.displayName, unitId: a.unitId, password: generatePassword() }));
  // one SHA-256 each, not PBKDF2: 2,000 accounts cost milliseconds, not a minute of CPU (see hashFirstPassword)
  const hashes = new Map(await Promise.all(passwords.map(async (x) => [x.username, await hashFirstPassword(x.password)] as const)));
  const now = new Date().toISOString();
  const statements = applyStatements(c.env.DB, plan, c.var.user.unitPath, c.var.user.id, hashes, now);
  if (statements.length > 0) {
    try {
      await c.env.DB.batch(statements);
    } catch (e) {
      if (!/UNIQUE|constraint/i.test(String(e))) throw e;
      return reply(c, failure(409, "conflict", "导入期间有人新建了同代码或同名的单位、或同名账号，未导入任何内容；请重新预览后再导入", "A unit of the same code or name, or an account of the same name, was created meanwhile; nothing was applied. Preview again, then apply"));
    }
  }
  return c.json({ preview: plan, passwords });
});

defineRoute(directoryRoutes, {
  method: "post", path: "/users/:username/reset-password", roles: ["admin"],
  response: z.strictObject({ username: z.string(), password: z.string() }),
  summary: "A new generated password for an account in your subtree (not your own), shown once; it must be changed at first sign-in and every session of the account ends",
}, async (c) => {
  const username = c.req.param("username")!;
  const db = c.env.DB;
  // the same rule as disabling an account: from above, or a non-administrator of one's own unit; never oneself
  const target = await accountInReach(db, c.var.user, username, {
    self: { zh: "不能在这里重置自己的密码，请用“修改密码”", en: "You cannot reset your own password here; change it instead" },
    peer: { zh: "同一单位的其他管理员的密码只能由上级单位重置", en: "Another administrator of your own unit can have their password reset only from a unit above it" },
  });
  if (!target.ok) return reply(c, target);
  const password = generatePassword();
  const h = await hashFirstPassword(password);
  const now = new Date().toISOString();
  const [r] = await db.batch([
    db.prepare(
      `UPDATE users SET password_hash = ?2, password_salt = ?3, password_iterations = ?4, password_changed_at = ?5, must_change_password = 1, failed_logins = 0, locked_until = NULL, last_failed_at = NULL
       WHERE username = ?1 AND unit_id IN (SELECT id FROM units WHERE ${inSubtree("path", "?6")}) RETURNING username`,
    ).bind(username, h.hash, h.salt, h.iterations, now, c.var.user.unitPath),
    // only if the account was found (and so changed just above)
    auditIfCreated(db, { userId: c.var.user.id, action: "password_reset", detail: { username } }, now),
    db.prepare("UPDATE sessions SET revoked_at = ?2 WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = ?1 AND must_change_password = 1 AND password_changed_at = ?2)").bind(username, now),
  ]);
  if ((r!.results as unknown[]).length === 0) {
    return reply(c, failure(404, "not_found", `您的单位及下级中没有账号「${username}」`, `There is no account '${username}' in your unit or below`, { where: "username" }));
  }
  return c.json({ username, password });
});
