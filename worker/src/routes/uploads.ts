import { Hono } from "hono";
import {
  SubmissionViewSchema, columnLetter, detailExtent, detailTables, diffDetail, fillBook, listFigures, parseFillBook, previousPeriod, relocateListIssues, validateLists, validateValues, type CompiledTemplate, type RawLists, type RawValue, type StaleFileSchema,
} from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { readPreviousValues, readRevisionValues } from "../db/submissions";
import { readRevisionLists } from "../db/lists";
import { fillReadFor, fillSheetsOf } from "../upload/read-xlsx";
import { uploadedWorkbook } from "./upload-body";
import { submitValues } from "../workflow/submit";
import { loadRound, loadUnit, mayWriteReport } from "./context";
import { REVISION_HEADERS, defineRoute } from "./define";
import { XLSX_TYPE } from "../export/xlsx";
import { fillNames } from "../names";

export const uploadRoutes = new Hono<AppEnv>();
type StaleFile = z.infer<typeof StaleFileSchema>;

/** acknowledgeLoss=1: submit knowingly although the file drops a 说明 or changes the signature of the current revision. */
const UploadQuerySchema = z.strictObject({ acknowledgeWarnings: z.enum(["0", "1"]).optional(), acknowledgeLoss: z.enum(["0", "1"]).optional() });

defineRoute(uploadRoutes, {
  method: "post", path: "/rounds/:id/submissions/:unit/upload",
  summary: "上报 from a filled .xlsx (WPS or any Excel): the body is the file; same rules as PUT, its detail lists read from their sheets (blank rows left out, said as a blank_rows notice among the warnings, each list row's issues on the cell it is on). The file's own revision is the base unless If-Match names another; a stale file gets 412 with what differs (error.stale); a file that drops a 说明 or changes the signature of the current revision gets 409 with what would be lost (error.lost) unless acknowledgeLoss=1",
  roles: ["reporter", "admin"], query: UploadQuerySchema, response: SubmissionViewSchema, consumes: XLSX_TYPE, headers: REVISION_HEADERS,
}, async (c, { query }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, c.req.param("unit")!, "write");
  if (!unit.ok) return reply(c, unit);
  const may = mayWriteReport(c.var.user, r.value.round, unit.value);
  if (!may.ok) return reply(c, may);
  const { round, compiled } = r.value;
  // a template's detail lists may hold thousands of rows: the file is read as far as they reach
  const limits = fillReadFor(detailExtent(fillBook(compiled)));
  const book = await uploadedWorkbook(c, limits);
  if (!book.ok) return reply(c, book);
  // rows pasted far below a list's room would be left out without a word: a file with lists is read whole or not at all
  if (detailTables(compiled.template).length > 0 && book.value.some((s) => s.outsideArea > 0)) {
    const n = book.value[0]!.outsideArea;
    return reply(c, failure(422, "layout_mismatch",
      `表中有 ${n} 个单元格在读取范围以外（第 ${limits.rows} 行以下或 ${columnLetter(limits.cols - 1)} 列以右），未读取任何数值：如是清单的行，请移到清单的空行中（每张清单最多的行数见表头），或删除后再上传`,
      `${n} cell(s) of the file are past the area read (below row ${limits.rows} or right of column ${columnLetter(limits.cols - 1)}), and no figure was read: if they are rows of a list, move them into the list's blank rows (each list's most rows are in its heading), or delete them, and upload again`));
  }
  const file = fillSheetsOf(book.value, { roundId: round.id, unitId: unit.value.id });
  if (!file.ok) return reply(c, file);
  const read = (s: (typeof book.value)[number]) => ({ name: s.sheetName, grid: s.grid, formulaCells: s.formulaCells, errors: s.errors, shown: s.shown, formatted: s.formatted });
  const sheets = file.value.map(read);
  // the workbook's other sheets say what became of a table's missing sheet (another unit's in its place, rows inserted above)
  const others = book.value.filter((s) => !file.value.includes(s)).map(read);
  const expect = { roundId: round.id, unitId: unit.value.id };
  let parsed = parseFillBook(compiled, sheets, expect, others);
  // a sheet of another round or unit is named by name (looked up only then, within the caller's subtree)
  if (!parsed.ok && (parsed.error.code === "layout.wrong_round" || parsed.error.code === "layout.wrong_unit")) {
    parsed = parseFillBook(compiled, sheets, { ...expect, names: await fillNames(c.env.DB, c.var.user.unitPath, round, unit.value.id, sheets[0]!.grid) }, others);
  }
  if (!parsed.ok) {
    const { cell, sheet } = parsed.error;
    const where = cell && sheet ? `${sheet}!${cell}` : cell ?? sheet;
    return reply(c, failure(422, "layout_mismatch", parsed.error.message.zh, parsed.error.message.en, where ? { where } : {}));
  }
  const db = c.env.DB;
  const previous = await readPreviousValues(db, round, previousPeriod(round.period), unit.value.id);
  const fileRevision = parsed.meta.revision ?? 0;
  // If-Match, when sent, says which revision the file is knowingly submitted on top of: it wins
  // over the revision the file was made from (and a wrong one is refused like any stale revision).
  const ifMatch = c.req.header("if-match") ?? `"${fileRevision}"`;
  const done = await submitValues(db, {
    round, compiled, unitId: unit.value.id, unitPath: unit.value.path, user: c.var.user, previous, from: "sheet",
    body: {
      values: parsed.values, comments: parsed.comments, signature: parsed.signature,
      ...(detailTables(compiled.template).length > 0 ? { lists: parsed.lists } : {}),
      ...(query.acknowledgeWarnings === "1" ? { acknowledgeWarnings: true } : {}), ...(query.acknowledgeLoss === "1" ? { acknowledgeLoss: true } : {}),
    },
    ifMatch, idempotencyKey: c.req.header("idempotency-key"),
  }, new Date());
  if (!done.ok) {
    if (done.body.error.code === "stale_revision") {
      const currentRevision = done.body.error.currentRevision ?? 0;
      const stale = await staleFile(db, compiled, round.id, unit.value.id, parsed.values, parsed.lists, fileRevision, currentRevision);
      // a list's rows differ as rows (added, removed, changed), each one counted
      const n = stale.changes.length + (stale.lists ?? []).reduce((s, l) => s + l.added + l.removed + l.changed, 0);
      return reply(c, failure(412, "stale_revision",
        `此表按第 ${fileRevision} 版填写，当前已是第 ${currentRevision} 版；与当前版本相比，表中有 ${n} 项不同。确认无误后可以这份文件作为第 ${currentRevision + 1} 版上报，或下载当前版本的填报表`,
        `This file was filled from revision ${fileRevision}; the report is now at revision ${currentRevision}, and ${n} figure(s) in the file differ from it. Submit it knowingly as revision ${currentRevision + 1}, or download the current revision's fill sheet`,
        { currentRevision, where: "If-Match", stale }));
    }
    // the server numbers a list's rows 1…n as sent; on the sheet, blank rows left out above one move it down
    const issues = done.body.error.issues;
    if (issues) done.body.error.issues = [...relocateListIssues(compiled, issues, parsed.rowsAt), ...parsed.notices];
    return reply(c, done);
  }
  // where blank rows were left out is said with the report, asking nothing (isNotice)
  return c.json({ ...done.value.view, warnings: [...done.value.view.warnings, ...parsed.notices] }, done.value.status);
});

/**
 * What a stale file would change: every input indicator whose value in the file (as it would be
 * stored; as typed when it is not valid) differs from the current revision's.
 */
async function staleFile(
  db: D1Database, compiled: CompiledTemplate, roundId: string, unitId: string, raw: Record<string, RawValue>, rawLists: RawLists, fileRevision: number, currentRevision: number,
): Promise<StaleFile> {
  const current = currentRevision > 0 ? await readRevisionValues(db, roundId, unitId, currentRevision) : {};
  // the file's lists as they would be stored, and the figures they would make (never "blank" for a figure no sheet shows)
  const fileLists = validateLists(compiled, rawLists).lists;
  const normalized = validateValues(compiled, { ...raw, ...listFigures(compiled, fileLists) }).values;
  const changes: StaleFile["changes"] = [];
  for (const ind of compiled.template.indicators) {
    if (ind.kind === "derived") continue;
    const file = normalized[ind.code] ?? raw[ind.code] ?? null;
    const now = current[ind.code] ?? null;
    if (JSON.stringify(file) !== JSON.stringify(now)) changes.push({ indicator: ind.code, current: now, file });
  }
  const tables = detailTables(compiled.template);
  const currentLists = tables.length > 0 && currentRevision > 0 ? await readRevisionLists(db, compiled.template, roundId, unitId, currentRevision) : {};
  const lists = tables.map((t) => {
    const d = diffDetail(t, currentLists[t.code] ?? [], fileLists[t.code] ?? []);
    return { table: t.code, added: d.added.length, removed: d.removed.length, changed: d.changed.length };
  }).filter((l) => l.added + l.removed + l.changed > 0);
  return { currentRevision, fileRevision, changes, ...(tables.length > 0 ? { lists } : {}) };
}
