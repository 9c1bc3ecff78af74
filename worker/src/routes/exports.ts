import { Hono, type Context } from "hono";
import { CodeSchema, TotalsBasisSchema, TotalsSheetsSchema, buildFillPlans, detailTables, fillStatusText, pathNamesBelow, periodLabel, previousPeriod, toCsv, totalsCsvRows } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { notFound, reply } from "../errors";
import { readCurrent, readPreviousSignature, readPreviousValues } from "../db/submissions";
import { readLastYearFigures } from "../db/history";
import { readCurrentLists } from "../db/lists";
import { findUnitUnder, listUnitsUnder } from "../db/units";
import { fileResponse, renderWorkbook, XLSX_TYPE } from "../export/xlsx";
import { buildTotalsBook, buildTotalsPlans } from "../export/totals-book";
import { listCsvStream } from "../export/list-csv";
import { ALL_ROLES, READ_ROLES, loadRound, loadUnit } from "./context";
import { defineRoute } from "./define";
import { unitName } from "../names";
import { readTotalsView } from "./totals";

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
  // a city's totals of the province's round are told from its own round's by the issuer: 晋城市（山西省下发）
  const issuer = r.value.round.owner_unit_id === unit.value.id ? "" : `（${(await unitName(c.env.DB, r.value.round.owner_unit_id)).zh}下发）`;
  return { ok: true as const, value: { ...r.value, unit: unit.value, view, name, issuer } };
}

const SheetsQuerySchema = ExportQuerySchema.extend({ chart: z.string().max(400).optional() });

defineRoute(exportRoutes, {
  method: "get", path: "/rounds/:id/totals/sheets", roles: READ_ROLES, query: SheetsQuerySchema, response: TotalsSheetsSchema,
  summary: "The aggregate workbook's sheets as plans (what the add-in's 下载汇总 draws): the same sheets as export.xlsx (totals, each grid and detail list, completeness, 说明); chart= indicator codes to chart, comma-separated",
}, async (c, { query }) => {
  const e = await loadExport(c, query);
  if (!e.ok) return reply(c, e);
  const { round, compiled, unit, view, name, issuer } = e.value;
  const chartCodes = (query.chart ?? "").split(",").filter((code) => compiled.byCode.has(code)).slice(0, 8);
  const { plans, title } = await buildTotalsPlans(c.env.DB, { round, compiled, unit, view, name, basis: query.basis, chartCodes });
  return c.json({ title: `${title}${issuer}`, sheets: plans });
});

defineRoute(exportRoutes, { method: "get", path: "/rounds/:id/export.xlsx", summary: "汇总表: totals, each unit, previous period, completeness (.xlsx with live formulas)", roles: READ_ROLES, query: ExportQuerySchema, produces: XLSX_TYPE }, async (c, { query }) => {
  const e = await loadExport(c, query);
  if (!e.ok) return reply(c, e);
  const { round, compiled, unit, view, name, issuer } = e.value;
  // the totals (each unit's column marked with where it stands), completeness and 说明 sheets: export/totals-book.ts
  const { bytes, title } = await buildTotalsBook(c.env.DB, { round, compiled, unit, view, name, basis: query.basis });
  return download(c, bytes, XLSX_TYPE, `${title}${issuer}.xlsx`);
});

// list=<code>: a detail list's rows as a CSV of their own (export/list-csv.ts), not a section of the totals
// CSV, which stays one table of a line per unit (the list's figures are already columns of it)
const CsvQuerySchema = ExportQuerySchema.extend({ list: CodeSchema.optional() });

defineRoute(exportRoutes, {
  method: "get", path: "/rounds/:id/export.csv", roles: READ_ROLES, query: CsvQuerySchema, produces: "text/csv",
  summary: "汇总 as CSV: a line per unit, a numeric column per figure (UTF-8 with BOM; no cell runs as a formula or turns into a date); list= a detail list's code: its counted rows instead, a line per row with its unit",
}, async (c, { query }) => {
  const e = await loadExport(c, query);
  if (!e.ok) return reply(c, e);
  const { compiled, view, name, round, unit, issuer } = e.value;
  if (query.list !== undefined) {
    const table = detailTables(compiled.template).find((t) => t.code === query.list);
    if (!table) return reply(c, notFound({ zh: "清单", en: "list" }, query.list));
    // units deeper than a child named by their path below the unit (晋城市 / 城区), as in the workbook
    const paths = pathNamesBelow(await listUnitsUnder(c.env.DB, unit.path), unit.id);
    const body = listCsvStream(c.env.DB, { roundId: round.id, path: unit.path, table, basis: query.basis, nameOf: (id, plain) => paths.get(id) ?? plain });
    return download(c, body, "text/csv; charset=utf-8", `${name}-${round.period}-${[table.formNo, table.name.zh].filter(Boolean).join(" ")}${issuer}.csv`);
  }
  const period = round.period;
  const lines = [
    { unitId: unit.id, name: `${name}（合计）`, period, totals: view.totals },
    ...view.children.map((ch) => ({ unitId: ch.unitId, name: ch.name.zh, period, totals: ch.totals })),
    ...(view.previous ? [{ unitId: unit.id, name: `${name}（合计）`, period: view.previous.period, totals: view.previous.totals }] : []),
  ];
  return download(c, toCsv(totalsCsvRows(compiled, lines)), "text/csv; charset=utf-8", `${name}-${round.period}-汇总${issuer}.csv`);
});

defineRoute(exportRoutes, { method: "get", path: "/rounds/:id/submissions/:unit/template.xlsx", summary: "填报表: the unit's fill sheet (.xlsx), for Excel without the add-in or WPS", roles: ALL_ROLES, produces: XLSX_TYPE }, async (c) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, c.req.param("unit")!, "read");
  if (!unit.ok) return reply(c, unit);
  const { round, compiled } = r.value;
  const db = c.env.DB;
  const [stored, previous, lastCover, lastYear, lists] = await Promise.all([
    readCurrent(db, round.id, unit.value.id), readPreviousValues(db, round, previousPeriod(round.period), unit.value.id),
    readPreviousSignature(db, round, previousPeriod(round.period), unit.value.id),
    // 上年同期 (issue 24): last year's approved figures, shown in a report not yet stored (none without 同比 columns)
    readLastYearFigures(db, round, unit.value.id, compiled),
    // the detail lists' rows (issue 25), each on its sheet (none without lists)
    readCurrentLists(db, compiled.template, round.id, unit.value.id),
  ]);
  const current = stored?.row ?? null;
  const name = (await findUnitUnder(db, c.var.user.unitPath, unit.value.id))!.name.zh;
  const issuer = (await unitName(db, round.owner_unit_id)).zh;
  const plans = buildFillPlans(compiled, {
    roundId: round.id, period: round.period, unit: { id: unit.value.id, name }, issuer,
    // a new report's cover is carried forward from last period's (the date excepted)
    current: stored?.values ?? (Object.keys(lastYear).length > 0 ? lastYear : null), comments: stored?.comments ?? null, signature: stored?.signature ?? lastCover,
    previous,
    status: current ? fillStatusText({ state: current.state, revision: current.revision, reviewComment: current.review_comment }) : fillStatusText({ state: "not_started", revision: 0 }),
    revision: current?.revision ?? 0, lists,
  });
  return download(c, await renderWorkbook(plans), XLSX_TYPE, `${name}-${issuer}${periodLabel(round.period, "zh")}-填报表.xlsx`);
});
