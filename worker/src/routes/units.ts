import { Hono } from "hono";
import { CreateUserRequestSchema, CreatedUserSchema, UnitViewSchema } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { generatePassword, hashNewPassword } from "../auth/password";
import { auditIfCreated } from "../db/audit";
import { findUnitUnder, insertUnit, listUnitsUnder } from "../db/units";
import { findUserByName, insertUser } from "../db/users";
import { ALL_ROLES } from "./context";
import { defineRoute } from "./define";

export const unitRoutes = new Hono<AppEnv>();

defineRoute(unitRoutes, { method: "get", path: "/units", summary: "Your unit and the units below it, with each unit's contact", roles: ALL_ROLES, response: z.array(UnitViewSchema) }, async (c) =>
  c.json(await listUnitsUnder(c.env.DB, c.var.user.unitPath, { contacts: true })));

const CreateUnitRequestSchema = UnitViewSchema.omit({ contact: true }).extend({ parentId: UnitViewSchema.shape.id });

defineRoute(unitRoutes, { method: "post", path: "/units", summary: "Add a unit below your unit (a county, a 市本级 unit, a city under a province)", roles: ["admin"], body: CreateUnitRequestSchema, response: UnitViewSchema }, async (c, { body }) => {
  const parent = await findUnitUnder(c.env.DB, c.var.user.unitPath, body.parentId);
  if (!parent) return reply(c, failure(422, "invalid_body", `上级单位「${body.parentId}」不在本单位管辖范围内`, `Parent unit '${body.parentId}' is not in your unit's subtree`, { where: "body.parentId" }));
  // Ids are compared exactly everywhere; no two may differ only by case, so nobody confuses them.
  const twin = await c.env.DB.prepare("SELECT id FROM units WHERE lower(id) = lower(?1) AND id <> ?1").bind(body.id).first<{ id: string }>();
  if (twin) return reply(c, failure(409, "conflict", `单位代码「${body.id}」与已有单位仅大小写不同，请换一个代码`, `Unit id '${body.id}' differs from an existing one only by case; choose another`, { where: "body.id" }));
  const now = new Date().toISOString();
  const [r] = await c.env.DB.batch([
    insertUnit(c.env.DB, body),
    auditIfCreated(c.env.DB, { userId: c.var.user.id, action: "unit_create", unitId: body.parentId, detail: { unit: body.id } }, now),
  ]);
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
    insertUser(c.env.DB, { ...body, ...(await hashNewPassword(generated ?? body.password!)), mustChangePassword: generated !== null }, now),
    auditIfCreated(c.env.DB, { userId: c.var.user.id, action: "user_create", unitId: body.unitId, detail: { username: body.username, role: body.role } }, now),
  ]);
  if (r!.meta.changes === 0) return taken();
  return c.json({ username: body.username, role: body.role, unitId: body.unitId, ...(generated ? { password: generated } : {}) }, 201);
});
