import { Hono } from "hono";
import { AuditEntrySchema, CreateUserRequestSchema, CreatedUserSchema, UnitNameSchema, UnitViewSchema, nameKey, placementProblem } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { generatePassword, hashFirstPassword, hashNewPassword } from "../auth/password";
import { auditIfCreated, listUnitAudit } from "../db/audit";
import { findUnitUnder, insertUnit, listUnitsUnder } from "../db/units";
import { findUserByName, insertUser } from "../db/users";
import { ALL_ROLES, loadUnit } from "./context";
import { defineRoute } from "./define";

export const unitRoutes = new Hono<AppEnv>();

defineRoute(unitRoutes, { method: "get", path: "/units", summary: "Your unit and the units below it, with each unit's contact", roles: ALL_ROLES, response: z.array(UnitViewSchema) }, async (c) =>
  c.json(await listUnitsUnder(c.env.DB, c.var.user.unitPath, { contacts: true })));

const CreateUnitRequestSchema = UnitViewSchema.omit({ contact: true }).extend({ name: UnitNameSchema, parentId: UnitViewSchema.shape.id });

defineRoute(unitRoutes, { method: "post", path: "/units", summary: "Add a unit of any level below your own, anywhere in your subtree (a nation adds provinces, cities and counties; a province cities and counties; a city counties and its 市本级): never a nation (only init makes one), nothing below a 本级 unit, never a level above its parent's (the workbook's rule), and no two units of one name under a parent", roles: ["admin"], body: CreateUnitRequestSchema, response: UnitViewSchema }, async (c, { body }) => {
  const parent = await findUnitUnder(c.env.DB, c.var.user.unitPath, body.parentId);
  if (!parent) return reply(c, failure(422, "invalid_body", `上级单位「${body.parentId}」不在本单位管辖范围内`, `Parent unit '${body.parentId}' is not in your unit's subtree`, { where: "body.parentId" }));
  // the workbook's rule, from shared: no nation below anything, nothing below a 本级 unit, no city below a county
  const misplaced = placementProblem(body.level, parent);
  if (misplaced) return reply(c, failure(422, "invalid_body", misplaced.message.zh, misplaced.message.en, { where: misplaced.field === "level" ? "body.level" : "body.parentId" }));
  // Ids are compared exactly everywhere; no two may differ only by case, so nobody confuses them.
  const twin = await c.env.DB.prepare("SELECT id FROM units WHERE lower(id) = lower(?1) AND id <> ?1").bind(body.id).first<{ id: string }>();
  if (twin) return reply(c, failure(409, "conflict", `单位代码「${body.id}」与已有单位仅大小写不同，请换一个代码`, `Unit id '${body.id}' differs from an existing one only by case; choose another`, { where: "body.id" }));
  // nor two units under one parent share a name (as in the workbook): the parent could not tell them apart
  // by how the names look (nameKey): 泽州县 with a zero-width space or a full-width Ｚｅｚｈｏｕ is no new name
  const { results: siblings } = await c.env.DB.prepare("SELECT id, name_zh, name_en FROM units WHERE parent_id = ?1 AND id <> ?2")
    .bind(parent.id, body.id).all<{ id: string; name_zh: string; name_en: string }>();
  const namesake = siblings.find((s) => nameKey(s.name_zh) === nameKey(body.name.zh) || nameKey(s.name_en) === nameKey(body.name.en));
  if (namesake) {
    return reply(c, failure(409, "conflict", `「${parent.name.zh}」下已有同名单位「${namesake.name_zh}」（${namesake.id}），请换一个名称`,
      `'${parent.name.en}' already has a unit named '${body.name.zh}' / '${body.name.en}' (${namesake.id}); choose another name`, { where: "body.name" }));
  }
  const now = new Date().toISOString();
  let r: D1Result | undefined;
  try {
    [r] = await c.env.DB.batch([
      insertUnit(c.env.DB, body),
      auditIfCreated(c.env.DB, { userId: c.var.user.id, action: "unit_create", unitId: body.parentId, detail: { unit: body.id } }, now),
    ]);
  } catch (e) {
    // the same name added under this parent at the same moment (the database's trigger, migration 0013)
    if (!/sibling_name_taken/.test(String(e))) throw e;
    return reply(c, failure(409, "conflict", `「${parent.name.zh}」下刚刚有人新建了同名单位「${body.name.zh}」，请换一个名称`,
      `A unit named '${body.name.zh}' / '${body.name.en}' was just added under '${parent.name.en}'; choose another name`, { where: "body.name" }));
  }
  if (r!.meta.changes === 0) return reply(c, failure(409, "conflict", `单位代码「${body.id}」已被使用`, `Unit id '${body.id}' is taken`, { where: "body.id" }));
  return c.json(body, 201);
});

defineRoute(unitRoutes, { method: "post", path: "/users", summary: "Create a user in your unit or a unit below it; without a password the server generates one, answered this once and changed at first sign-in", roles: ["admin"], body: CreateUserRequestSchema, response: CreatedUserSchema }, async (c, { body }) => {
  const unit = await findUnitUnder(c.env.DB, c.var.user.unitPath, body.unitId);
  if (!unit) return reply(c, failure(422, "invalid_body", `单位「${body.unitId}」不在本单位管辖范围内`, `Unit '${body.unitId}' is not in your unit's subtree`, { where: "body.unitId" }));
  const taken = () => reply(c, failure(409, "conflict", `用户名「${body.username}」已存在`, `Username '${body.username}' is taken`, { where: "body.username" }));
  if (await findUserByName(c.env.DB, body.username)) return taken();
  const now = new Date().toISOString();
  // the creator always knows the first password: theirs, or one generated here and shown once
  const generated = body.password === undefined ? generatePassword() : null;
  const [r] = await c.env.DB.batch([
    insertUser(c.env.DB, { ...body, ...(generated !== null ? await hashFirstPassword(generated) : await hashNewPassword(body.password!)), mustChangePassword: generated !== null }, now),
    auditIfCreated(c.env.DB, { userId: c.var.user.id, action: "user_create", unitId: body.unitId, detail: { username: body.username, role: body.role } }, now),
  ]);
  if (r!.meta.changes === 0) return taken();
  return c.json({ username: body.username, role: body.role, unitId: body.unitId, ...(generated ? { password: generated } : {}) }, 201);
});

/** How many changes the unit audit answers at most (the newest); a unit's history is short. */
const UNIT_AUDIT_LIMIT = 500;

defineRoute(unitRoutes, {
  method: "get", path: "/units/:id/audit", roles: ["admin"], response: z.array(AuditEntrySchema),
  summary: "Changes of a unit and the units below it (created, renamed, contact set), newest first, with who and when: for administrators of the unit or a unit above it (at most 500)",
}, async (c) => {
  const unit = await loadUnit(c, c.req.param("id")!, "read");
  if (!unit.ok) return reply(c, unit);
  const rows = await listUnitAudit(c.env.DB, unit.value.path, UNIT_AUDIT_LIMIT);
  return c.json(rows.map((a) => ({
    id: a.id, at: a.at, username: a.username, displayName: a.display_name, action: a.action, unitId: a.unit_id,
    beforeRevision: null, afterRevision: null, detail: JSON.parse(a.detail) as Record<string, unknown>,
  })));
});
