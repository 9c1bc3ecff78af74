import { DESIGNER_READ } from "../upload/read-xlsx";
import { Hono, type Context } from "hono";
import {
  BUILTIN_TEMPLATE, DESIGNER_SHEETS, DesignerResultSchema, TemplateSchema, buildDesignerPlans, buildFillPlans,
  compileTemplate, nextPeriod, parseDesigner, pickDesignerSheets, templateChanges, type Template,
} from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, notFound, reply } from "../errors";
import { auditIfCreated } from "../db/audit";
import { findReadableTemplate, findTemplate, insertTemplate, templateCode, updateDraft } from "../db/templates";
import { insertFamily } from "../db/template-families";
import { placeVersion } from "./templates";
import { findLastRoundFromAbove } from "../db/rounds";
import { fileResponse, renderWorkbook, XLSX_TYPE } from "../export/xlsx";
import { uploadedWorkbook } from "./upload-body";
import { ALL_ROLES } from "./context";
import { defineRoute } from "./define";

export const designerRoutes = new Hono<AppEnv>();
const TEMPLATE = { zh: "模板", en: "template" };

defineRoute(designerRoutes, {
  method: "get", path: "/templates/designer.xlsx", roles: ["admin"], produces: XLSX_TYPE,
  query: z.strictObject({ from: z.enum(["blank", "builtin"]).default("blank") }),
  summary: "模板设计表: a blank designer workbook, or the built-in 质量兴市工作年报 as a start",
}, async (c, { query }) => {
  const plans = buildDesignerPlans(query.from === "builtin" ? TemplateSchema.parse(BUILTIN_TEMPLATE) : null);
  return fileResponse(await renderWorkbook(plans), XLSX_TYPE, query.from === "builtin" ? "模板设计表-质量兴市工作年报.xlsx" : "模板设计表.xlsx");
});

defineRoute(designerRoutes, {
  method: "get", path: "/templates/:id/:version/designer.xlsx", roles: ALL_ROLES, produces: XLSX_TYPE,
  summary: "模板设计表 of a template version: the start of its next version",
}, async (c) => {
  // a draft is its owner's work in progress: read only by those who may edit it, as everywhere
  const t = await findReadableTemplate(c.env.DB, c.var.user, c.req.param("id")!, Number(c.req.param("version")));
  if (!t) return reply(c, notFound(TEMPLATE, `${c.req.param("id")} v${c.req.param("version")}`));
  // the workbook shows the code the owner chose (uploading it again finds the family by it)
  const code = await templateCode(c.env.DB, t.id);
  return fileResponse(await renderWorkbook(buildDesignerPlans({ ...t, id: code })), XLSX_TYPE, `模板设计表-${t.name.zh}-第${t.version}版.xlsx`);
});


defineRoute(designerRoutes, {
  method: "post", path: "/templates/designer", roles: ["admin"], consumes: XLSX_TYPE, response: DesignerResultSchema,
  summary: "Uploads a designer workbook (the body): a new draft, or the draft of that id updated; every problem on its cell, nothing stored from a workbook with errors",
}, async (c) => {
  const book = await uploadedWorkbook(c, DESIGNER_READ);
  if (!book.ok) return reply(c, book);
  // the designer's own sheets by name (hidden or in any order); a missing or renamed one is named
  const picked = pickDesignerSheets(book.value);
  if (!picked.ok) return reply(c, failure(422, "layout_mismatch", picked.message.zh, picked.message.en, { where: picked.where }));
  // the four sheets every designer has, and 表格 / 表格行列 / 清单字段 (the form's tables, its detail lists' fields) when the workbook has them
  const { template: t, sections: sec, indicators: ind, rules, tables, tableLines, detailFields } = picked.sheets;
  if (book.value[0]!.outsideArea > 0) return reply(c, failure(422, "invalid_body", "表中有超出读取范围（Z 列以后或 2100 行以后）的内容，未读取；请删除后重新上传", "The workbook has content past column Z or row 2100; nothing was read. Remove it and upload again"));
  for (const s of [t, sec, ind, rules, ...(tables ? [tables] : []), ...(tableLines ? [tableLines] : []), ...(detailFields ? [detailFields] : [])]) {
    const f = [...s.formulaCells][0];
    if (f) return reply(c, failure(422, "layout_mismatch", `${s.sheetName}!${f}：此单元格是 Excel 公式；计算公式请直接写成文字（不要以 = 开头）`, `${s.sheetName}!${f}: this cell is an Excel formula; write a formula as text (without a leading =)`, { where: `${s.sheetName}!${f}` }));
  }
  // each cell as the person sees it: error values and numbers shown as a percent or a date, per sheet
  const facts = (s: typeof t) => ({ errors: s.errors, shown: s.shown });
  const parsed = parseDesigner(
    { template: t.grid, sections: sec.grid, indicators: ind.grid, rules: rules.grid, ...(tables ? { tables: tables.grid } : {}), ...(tableLines ? { tableLines: tableLines.grid } : {}), ...(detailFields ? { detailFields: detailFields.grid } : {}) },
    { template: facts(t), sections: facts(sec), indicators: facts(ind), rules: facts(rules), ...(tables ? { tables: facts(tables) } : {}), ...(tableLines ? { tableLines: facts(tableLines) } : {}), ...(detailFields ? { detailFields: facts(detailFields) } : {}) },
  );
  if (!parsed.ok) {
    const first = parsed.problems[0]!;
    return reply(c, failure(422, "template_invalid", `模板设计表有 ${parsed.problems.length} 处问题，未保存任何内容。${first.message.zh}`, `The designer workbook has ${parsed.problems.length} problems; nothing was saved. ${first.message.en}`, {
      where: first.cell,
      issues: parsed.problems.map((p) => ({ code: "designer", severity: "error" as const, indicator: p.sheet, cell: p.cell, message: p.message })),
    }));
  }
  return saveDraft(c, parsed.template, `${DESIGNER_SHEETS.template}!B3`);
});

defineRoute(designerRoutes, {
  method: "post", path: "/templates/draft", roles: ["admin"], body: z.strictObject({ template: TemplateSchema.omit({ version: true, status: true }) }), response: DesignerResultSchema,
  summary: "A template read from the designer sheets in Excel (the add-in parses them with the shared rules): a new draft, or the draft of that id updated, with what changed",
}, async (c, { body }) => {
  const parsed = TemplateSchema.safeParse({ ...body.template, version: 1, status: "draft" });
  const compiled = parsed.success ? compileTemplate(parsed.data) : null;
  if (!compiled?.ok) {
    const issues = compiled && !compiled.ok ? compiled.issues : [];
    return reply(c, failure(422, "template_invalid", "模板有误，请按提示修改", "The template has problems; fix the listed items", { issues: issues.map((i) => ({ code: "template", severity: "error" as const, indicator: i.path, message: i.message })) }));
  }
  return saveDraft(c, body.template, "body.template.id");
});

/** Creates the next draft of a template id, or updates its current draft; answers with what changed against the published version. */
async function saveDraft(c: Context<AppEnv>, template: Omit<Template, "version" | "status">, idWhere: string): Promise<Response> {
  const db = c.env.DB;
  const user = c.var.user;
  // the code typed in the workbook names a family in the caller's line (or starts one)
  const place = await placeVersion(db, user, template.id, idWhere);
  if (!place.ok) return reply(c, place);
  const { id, code, latest, isNew } = place.value;
  const current = latest > 0 ? await findTemplate(db, user.unitPath, id, latest) : null;
  const draft: Template = { ...template, id, version: current?.status === "draft" ? current.version : latest + 1, status: "draft" };
  const published = await db.prepare("SELECT version FROM templates WHERE id = ? AND status = 'published' ORDER BY version DESC LIMIT 1").bind(draft.id).first<{ version: number }>();
  const base = published ? await findTemplate(db, user.unitPath, draft.id, published.version) : null;
  const now = new Date().toISOString();
  const raced = () => reply(c, failure(409, "conflict", `模板「${code}」刚被其他人修改或发布，未保存；请重新上传`, `Template '${code}' was just changed or published by someone else; nothing was saved. Upload again`));
  try {
    const [written] = await db.batch([
      current?.status === "draft" ? updateDraft(db, draft) : isNew ? insertFamily(db, draft, user, user.id, now, code) : insertTemplate(db, draft, user.unitId, user.id, now, code),
      // the audit row only if the draft was written: a draft published meanwhile is not updated (see updateDraft)
      auditIfCreated(db, { userId: c.var.user.id, action: current?.status === "draft" ? "template_update" : "template_create", unitId: c.var.user.unitId, detail: { template: draft.id, version: draft.version, from: "designer" } }, now),
    ]);
    if (written!.meta.changes === 0) return raced();
  } catch (e) {
    if (!/UNIQUE|constraint/i.test(String(e))) throw e;
    return raced();
  }
  const { results: olderRows } = await db.prepare("SELECT body FROM templates WHERE id = ? AND status = 'published' ORDER BY version DESC LIMIT 20").bind(draft.id).all<{ body: string }>();
  const older = olderRows.map((r) => TemplateSchema.parse(JSON.parse(r.body)));
  return c.json({
    template: { id: draft.id, code, version: draft.version, status: draft.status, name: draft.name, indicatorCount: draft.indicators.length },
    changes: base ? templateChanges(base, draft, older.slice(1)) : [],
    comparedWith: base?.version ?? null,
  });
}

defineRoute(designerRoutes, {
  method: "get", path: "/templates/:id/:version/preview.xlsx", roles: ["admin", "reviewer"], produces: XLSX_TYPE,
  summary: "预览: the fill sheet exactly as counties will get it, with the previous period from the last round of this template",
}, async (c) => preview(c));

async function preview(c: Context<AppEnv>): Promise<Response> {
  const db = c.env.DB;
  const t = await findReadableTemplate(db, c.var.user, c.req.param("id")!, Number(c.req.param("version")));
  if (!t) return reply(c, notFound(TEMPLATE, `${c.req.param("id")} v${c.req.param("version")}`));
  const compiled = compileTemplate(t);
  if (!compiled.ok) return reply(c, failure(409, "template_invalid", "模板有误，无法预览", "The template has problems and cannot be previewed"));
  // the previous period: the caller's own figures in the last round of this template opened by its
  // unit or a unit above it (never one opened below it), if it reported in it
  const last = await findLastRoundFromAbove(db, c.var.user.unitPath, t.id);
  let previous = null;
  if (last) {
    const { results } = await db.prepare(
      `SELECT cv.indicator, cv.value FROM submissions s JOIN current_values cv ON cv.round_id = s.round_id AND cv.unit_id = s.unit_id
       WHERE s.round_id = ?1 AND s.unit_id = ?2`,
    ).bind(last.id, c.var.user.unitId).all<{ indicator: string; value: string }>();
    if (results.length > 0) previous = Object.fromEntries(results.map((r) => [r.indicator, JSON.parse(r.value) as never]));
  }
  // the period after it (none after 9999: then this year, as with no round at all)
  const period = (last && nextPeriod(last.period)) || String(new Date().getFullYear());
  const plans = buildFillPlans(compiled.compiled, { roundId: "preview", period, unit: { id: c.var.user.unitId, name: c.var.user.unitName.zh }, previous, status: "预览（不是正式填报表）" });
  return fileResponse(await renderWorkbook(plans), XLSX_TYPE, `预览-${t.name.zh}-第${t.version}版.xlsx`);
}
