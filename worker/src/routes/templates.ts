import { Hono } from "hono";
import {
  BUILTIN_TEMPLATE, CreateTemplateRequestSchema, TemplateSchema, TemplateSummarySchema, compileTemplate, type Template,
} from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv, SessionUser } from "../env";
import { failure, notFound, ok, reply, type Result } from "../errors";
import { auditIfCreated, auditStatement } from "../db/audit";
import { findReadableTemplate, findTemplateToRead, insertTemplate, listTemplates, ownsTemplate, publishTemplate, templateCode, updateDraft } from "../db/templates";
import { insertFamily, planFamily } from "../db/template-families";
import { ALL_ROLES } from "./context";
import { defineRoute } from "./define";

export const templateRoutes = new Hono<AppEnv>();
const TEMPLATE = { zh: "模板", en: "template" };

const summary = (t: Template, code: string) => ({ id: t.id, code, version: t.version, status: t.status, name: t.name, indicatorCount: t.indicators.length });

/** Where a new version of `code` made by the caller goes (its family's next version, or a new family), or why it cannot. */
export async function placeVersion(db: D1Database, user: Pick<SessionUser, "unitId" | "unitPath">, code: string, where: string): Promise<Result<{ id: string; code: string; latest: number; isNew: boolean }>> {
  const plan = await planFamily(db, user, code);
  const names = (o: { zh: string; en: string }[]) => ({ zh: o.map((x) => x.zh).join("、"), en: o.map((x) => x.en).join(", ") });
  switch (plan.kind) {
    case "version": return ok({ id: plan.id, code: plan.code, latest: plan.latest, isNew: false });
    case "new":
      return plan.id ? ok({ id: plan.id, code: plan.code, latest: 0, isNew: true })
        : failure(409, "conflict", `模板代码「${code}」已被多个单位使用，请换一个模板代码`, `Template code '${code}' is used by too many units; use another code`, { where });
    case "above": {
      const n = names(plan.owners);
      return failure(403, "forbidden", `模板代码「${code}」属于上级单位「${n.zh}」，只有该单位或其上级可以新建版本；请换一个模板代码`, `Template code '${code}' belongs to ${n.en}, above your unit; only that unit or a unit above it may add versions. Use another code`, { where });
    }
    case "several": {
      const n = names(plan.owners);
      return failure(409, "conflict", `下级单位${n.zh}都有代码为「${code}」的模板，不能确定是哪一个；请换一个模板代码`, `Units below you (${n.en}) each have a template with code '${code}', so it names more than one; use another code`, { where });
    }
  }
}

/** A template that passed the schema but not the whole-template checks gets every issue back, by path. */
function invalidTemplate(t: Template) {
  const r = compileTemplate(t);
  if (r.ok) return null;
  return failure(422, "template_invalid", "模板有误，请按提示修改", "The template has problems; fix the listed items", {
    where: r.issues.map((i) => i.path).join(", "),
    issues: r.issues.map((i) => ({ code: "template", severity: "error" as const, indicator: i.path, message: i.message })),
  });
}

defineRoute(templateRoutes, { method: "get", path: "/templates", summary: "Templates you can use (drafts only to the administrators who may edit them)", roles: ALL_ROLES, response: z.array(TemplateSummarySchema) }, async (c) =>
  c.json((await listTemplates(c.env.DB, c.var.user)).map((l) => ({ ...summary(l.template, l.code), owner: l.owner, roundCount: l.roundCount, publishedAt: l.publishedAt }))));

defineRoute(templateRoutes, { method: "get", path: "/templates/:id/:version", summary: "One template version, whole: published ones in the reader's line or used by a round it takes part in; a draft only to the administrators of its owner and above (to anyone else it does not exist)", roles: ALL_ROLES, response: TemplateSchema }, async (c) => {
  const id = c.req.param("id")!;
  const version = c.req.param("version")!;
  const t = await findTemplateToRead(c.env.DB, c.var.user, id, Number(version));
  return t ? c.json(t) : reply(c, notFound(TEMPLATE, `${id} v${version}`));
});

defineRoute(templateRoutes, { method: "post", path: "/templates", summary: "Create a draft from JSON or from the built-in template", roles: ["admin"], body: CreateTemplateRequestSchema, response: TemplateSummarySchema }, async (c, { body }) => {
  const source = "builtin" in body ? { ...BUILTIN_TEMPLATE, ...(body.id ? { id: body.id } : {}) } : body.template;
  const db = c.env.DB;
  const user = c.var.user;
  const place = await placeVersion(db, user, source.id, "builtin" in body ? "body.id" : "body.template.id");
  if (!place.ok) return reply(c, place);
  const { id, code, latest, isNew } = place.value;
  const version = latest + 1;
  const t: Template = { ...source, id, version, status: "draft" };
  const bad = invalidTemplate(t);
  if (bad) return reply(c, bad);
  const now = new Date().toISOString();
  const raced = () => reply(c, failure(409, "conflict", `模板「${code}」第 ${version} 版刚被其他人创建，请刷新后再试`, `Version ${version} of template '${code}' was just created by someone else; refresh and try again`, { where: "body" }));
  try {
    const [written] = await db.batch([
      isNew ? insertFamily(db, t, user, user.id, now, code) : insertTemplate(db, t, user.unitId, user.id, now, code),
      auditIfCreated(db, { userId: user.id, action: "template_create", unitId: user.unitId, detail: { template: t.id, version } }, now),
    ]);
    if (written!.meta.changes === 0) return raced();
  } catch (e) {
    if (!/UNIQUE|constraint/i.test(String(e))) throw e;
    return raced();
  }
  return c.json(summary(t, code), 201);
});

defineRoute(templateRoutes, { method: "put", path: "/templates/:id/:version", summary: "Edit a draft (published versions are immutable)", roles: ["admin"], body: TemplateSchema.omit({ version: true, status: true }), response: TemplateSummarySchema }, async (c, { body }) => {
  const id = c.req.param("id")!;
  const version = c.req.param("version")!;
  const existing = await findReadableTemplate(c.env.DB, c.var.user, id, Number(version));
  if (!existing) return reply(c, notFound(TEMPLATE, `${id} v${version}`));
  if (!(await ownsTemplate(c.env.DB, c.var.user.unitPath, id, existing.version))) return reply(c, notOwner(id));
  if (existing.status === "published") return reply(c, immutable(existing));
  if (body.id !== id) return reply(c, failure(422, "invalid_body", "模板代码不能修改", "A template's id cannot change", { where: "body.id" }));
  const t: Template = { ...body, version: existing.version, status: "draft" };
  const bad = invalidTemplate(t);
  if (bad) return reply(c, bad);
  const r = await updateDraft(c.env.DB, t).run();
  if (r.meta.changes === 0) return reply(c, immutable(existing));
  return c.json(summary(t, await templateCode(c.env.DB, id)));
});

defineRoute(templateRoutes, { method: "post", path: "/templates/:id/:version/publish", summary: "Publish a draft; it never changes again", roles: ["admin"], response: TemplateSummarySchema }, async (c) => {
  const id = c.req.param("id")!;
  const version = c.req.param("version")!;
  const existing = await findReadableTemplate(c.env.DB, c.var.user, id, Number(version));
  if (!existing) return reply(c, notFound(TEMPLATE, `${id} v${version}`));
  if (!(await ownsTemplate(c.env.DB, c.var.user.unitPath, id, existing.version))) return reply(c, notOwner(id));
  if (existing.status === "published") return reply(c, immutable(existing));
  const now = new Date().toISOString();
  const [r] = await c.env.DB.batch([
    publishTemplate(c.env.DB, id, existing.version, existing, now),
    auditStatement(c.env.DB, { userId: c.var.user.id, action: "template_publish", unitId: c.var.user.unitId, detail: { template: id, version: existing.version } }, now),
  ]);
  if (r!.meta.changes === 0) return reply(c, immutable(existing));
  return c.json(summary({ ...existing, status: "published" }, await templateCode(c.env.DB, id)));
});

const notOwner = (id: string) =>
  failure(403, "forbidden", `模板「${id}」属于其他单位，只有所属单位或其上级可以修改、发布或新建版本；请换一个模板代码`, `Template '${id}' belongs to another unit; only that unit or a unit above it may edit, publish or add versions. Use another template id`);

const immutable = (t: Template) =>
  failure(409, "template_immutable", `模板「${t.name.zh}」第 ${t.version} 版已发布，不能修改；如需调整请新建版本`, `Version ${t.version} of '${t.name.en}' is published and cannot change; create a new version instead`);
