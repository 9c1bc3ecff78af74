import { Hono, type Context } from "hono";
import {
  BEIJING_LABEL, TotalsBasisSchema, beijingTime, buildCompletenessPlan, buildFillPlan, buildTotalsPlan, compareLikeWithLike, fillStatusText, periodLabel,
  previousPeriod, toCsv, totalsAsColumn, totalsCsvRows, type Values,
} from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { reply } from "../errors";
import { readCountedValues, readCurrent, readPreviousValues } from "../db/submissions";
import { findUnitUnder, listUnitsUnder } from "../db/units";
import { fileResponse, renderWorkbook, XLSX_TYPE } from "../export/xlsx";
import { ALL_ROLES, READ_ROLES, loadRound, loadUnit } from "./context";
import { defineRoute } from "./define";
import { readCompleteness, readTotalsView } from "./totals";

export const exportRoutes = new Hono<AppEnv>();
const ExportQuerySchema = z.strictObject({ unit: z.string().optional(), basis: TotalsBasisSchema.default("standing") });

const download = (_c: Context, body: BodyInit, type: string, filename: string) => fileResponse(body, type, filename);

async function loadExport(c: Context<AppEnv>, query: z.infer<typeof ExportQuerySchema>) {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return r;
  const unit = await loadUnit(c, query.unit ?? c.var.user.unitId, "read");
  if (!unit.ok) return unit;
  const view = (await readTotalsView(c.env.DB, r.value.round, unit.value.id, query.basis))!;
  const name = (await findUnitUnder(c.env.DB, c.var.user.unitPath, unit.value.id))!.name.zh;
  return { ok: true as const, value: { ...r.value, unit: unit.value, view, name } };
}

defineRoute(exportRoutes, { method: "get", path: "/rounds/:id/export.xlsx", summary: "汇总表: totals, each unit, previous period, completeness (.xlsx with live formulas)", roles: READ_ROLES, query: ExportQuerySchema, produces: XLSX_TYPE }, async (c, { query }) => {
  const e = await loadExport(c, query);
  if (!e.ok) return reply(c, e);
  const { round, compiled, unit, view, name } = e.value;
  const leafValues = await readCountedValues(c.env.DB, round.id, unit.path, query.basis);
  const columns = view.children.map((ch) => ({
    id: ch.unitId, name: ch.name.zh,
    values: leafValues.get(ch.unitId) ?? (ch.totals.units > 0 ? totalsAsColumn(compiled, ch.totals) : ({} as Values)),
  }));
  const title = `${name} ${periodLabel(round.period, "zh")} ${compiled.template.name.zh}`;
  const basisZh = query.basis === "approved" ? "仅含已审核数据" : "含已上报和已审核数据";
  // like with like: both periods over the units that reported in both (their standing or approved figures alike)
  const comparison = view.previous
    ? compareLikeWithLike(compiled, leafValues, await readCountedValues(c.env.DB, view.previous.roundId, unit.path, query.basis))
    : null;
  const note = `${basisZh}；导出于 ${beijingTime(new Date().toISOString())}（${BEIJING_LABEL}）；合计与比率为实时公式`;
  const totalsPlan = buildTotalsPlan(compiled, { title, note, columns, previous: view.previous?.totals ?? null, comparison });
  const completeness = await readCompleteness(c.env.DB, round, unit.path, new Date());
  // reported level by level: the units under the unit above them, and a row per level (by city)
  const levels = completeness.levels ?? [];
  const parents = levels.length > 0 ? new Map((await listUnitsUnder(c.env.DB, unit.path)).map((u) => [u.id, u.parentId])) : new Map<string, string | null>();
  const compPlan = buildCompletenessPlan(completeness, {
    title: `${name} ${periodLabel(round.period, "zh")} 填报完成情况`,
    unitNames: Object.fromEntries([...completeness.units.map((u) => [u.unitId, u.name.zh]), ...levels.map((l) => [l.unitId, l.name.zh])]),
    comments: Object.fromEntries(completeness.units.map((u) => [u.unitId, u.reviewComment ?? ""])),
    ...(levels.length > 0 ? {
      levels,
      parentOf: Object.fromEntries(completeness.units.flatMap((u) => { const p = parents.get(u.unitId); return p ? [[u.unitId, p]] : []; })),
    } : {}),
  });
  const bytes = await renderWorkbook([totalsPlan, compPlan]);
  return download(c, bytes, XLSX_TYPE, `${title}.xlsx`);
});

defineRoute(exportRoutes, { method: "get", path: "/rounds/:id/export.csv", summary: "汇总 as CSV: a line per unit, a numeric column per figure (UTF-8 with BOM; no cell runs as a formula or turns into a date)", roles: READ_ROLES, query: ExportQuerySchema, produces: "text/csv" }, async (c, { query }) => {
  const e = await loadExport(c, query);
  if (!e.ok) return reply(c, e);
  const { compiled, view, name, round, unit } = e.value;
  const period = round.period;
  const lines = [
    { unitId: unit.id, name: `${name}（合计）`, period, totals: view.totals },
    ...view.children.map((ch) => ({ unitId: ch.unitId, name: ch.name.zh, period, totals: ch.totals })),
    ...(view.previous ? [{ unitId: unit.id, name: `${name}（合计）`, period: view.previous.period, totals: view.previous.totals }] : []),
  ];
  return download(c, toCsv(totalsCsvRows(compiled, lines)), "text/csv; charset=utf-8", `${name}-${round.period}-汇总.csv`);
});

defineRoute(exportRoutes, { method: "get", path: "/rounds/:id/submissions/:unit/template.xlsx", summary: "填报表: the unit's fill sheet (.xlsx), for Excel without the add-in or WPS", roles: ALL_ROLES, produces: XLSX_TYPE }, async (c) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, c.req.param("unit")!, "read");
  if (!unit.ok) return reply(c, unit);
  const { round, compiled } = r.value;
  const db = c.env.DB;
  const [stored, previous] = await Promise.all([readCurrent(db, round.id, unit.value.id), readPreviousValues(db, round, previousPeriod(round.period), unit.value.id)]);
  const current = stored?.row ?? null;
  const name = (await findUnitUnder(db, c.var.user.unitPath, unit.value.id))!.name.zh;
  const plan = buildFillPlan(compiled, {
    roundId: round.id, period: round.period, unit: { id: unit.value.id, name },
    current: stored?.values ?? null,
    previous,
    status: current ? fillStatusText({ state: current.state, revision: current.revision, reviewComment: current.review_comment }) : fillStatusText({ state: "not_started", revision: 0 }),
    revision: current?.revision ?? 0,
  });
  return download(c, await renderWorkbook([plan]), XLSX_TYPE, `${name}-${round.period}-填报表.xlsx`);
});
