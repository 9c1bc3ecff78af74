import {
  BEIJING_LABEL, beijingTime, detailTables, fillBook, fillStatusText, listFigures, locateIssues, pageOf, parseFillBook, readFillMeta, relocateListIssues, validateLists, validateValues,
  withoutRulesOverBadLists, type CompiledTemplate, type FillSheetRead, type IssueBody, type RoundView,
} from "@tianbao/shared";
import { SheetWriteError } from "../excel/errors";
import { readActiveReport, writeReportOutcome, type Mark, type ReportSnapshot, type SheetSnapshot } from "../excel/fill-sheet";
import { T, errorText, type Lang } from "../i18n/messages";
import { api, compiledFor } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

export interface SubmitResult extends FlowResult {
  issues: IssueBody[];
  needsAcknowledgement: boolean;
  sheetName: string | null;
  /**
   * A form's report (its round and unit): an issue's `table` names the page its cell is on, found
   * by this metadata whatever the sheet is called (selectReportCell). Absent for a one-sheet template.
   */
  report?: { roundId: string; unitId: string };
  /** The revision the server stored, when it accepted the submission (even if the sheet could not be updated). */
  revision?: number;
  /** What to send again once the official confirms (warnings, or a 说明 dropped / signature changed), keeping what was confirmed before. */
  acknowledge?: SubmitOptions;
}

export interface SubmitOptions { checkOnly?: boolean; acknowledgeWarnings?: boolean; acknowledgeLoss?: boolean }

async function idempotencyKey(parts: unknown[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(parts));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `tb-${[...hash.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

type Marked = { indicator: string; severity: "error" | "warning"; message: { zh: string; en: string }; table?: string; cell?: string | null };

/** "G17" → its 0-based row and column. */
const cellOf = (address: string): { row: number; col: number } | null => {
  const m = /^([A-Z]+)(\d+)$/.exec(address);
  return m ? { row: Number(m[2]) - 1, col: [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 } : null;
};

/**
 * The marks of issues on the sheet: a figure's on its value cell (by its code); a detail list's (issue
 * 25: a row's field, a blank row's 序号) on the cell it was located on, found on its sheet by the table.
 */
const marksOf = (issues: readonly Marked[], lang: Lang, compiled?: CompiledTemplate): Mark[] => {
  const book = compiled ? fillBook(compiled) : null;
  return issues.map((i) => {
    const mark: Mark = { code: i.indicator, severity: i.severity, text: i.message[lang] };
    const at = book && i.table && i.cell && pageOf(book, i.table)?.kind === "detail" ? cellOf(i.cell) : null;
    return at ? { ...mark, at: { page: i.table!, ...at } } : mark;
  });
};

/** A sheet as the shared reader takes it: its cells and what is known of them. */
const sheetRead = (s: SheetSnapshot): FillSheetRead => ({
  name: s.name, grid: s.grid,
  ...(s.formulaCells ? { formulaCells: s.formulaCells } : {}), ...(s.errors ? { errors: s.errors } : {}), ...(s.shown ? { shown: s.shown } : {}),
});

/**
 * 校验 / 一键上报 — one code path for the pane button and the ribbon button. Reads the report the
 * active sheet belongs to (one Excel.run: the one fill sheet, or every page of a form's report,
 * found by its metadata), checks it with the shared rules and — outside Excel.run, so a slow
 * network never holds Excel and an Excel failure never hides the server's answer — submits it once
 * with the revision it started from and an idempotency key derived from its content (a retry after a
 * lost answer replays). Then a second Excel.run writes the outcome on every page (marks, status,
 * revision). The typed figures are never touched. A submission the server accepted is reported as
 * stored even when the sheets cannot be updated afterwards.
 */
export async function submitActiveSheet(lang: Lang, options: SubmitOptions = {}): Promise<SubmitResult> {
  const fail = (message: string, sheetName: string | null = null): SubmitResult => ({ ok: false, message, issues: [], needsAcknowledgement: false, sheetName });
  if (!api.user || !api.token) return fail(T.signInFirst[lang]);
  const user = api.user;
  let report: ReportSnapshot;
  try {
    report = await excelRun((ctx) => readActiveReport(ctx));
  } catch (e) {
    console.error("reading the active sheet failed", e);
    return fail(T.readFailed[lang]);
  }
  const sheet = report.active;
  const meta = readFillMeta(sheet.grid);
  if (!meta) return fail(T.notFillSheet[lang], sheet.name);
  const round = { id: meta.roundId, templateId: meta.templateId, templateVersion: meta.version } as RoundView;
  const compiled = await compiledFor(round);
  if (!compiled) return fail(T.network[lang], sheet.name);
  // read as the official sees it: formulas, error values and numbers shown as a percent or a date are refused on their cell
  const parsed = parseFillBook(compiled, report.sheets.map(sheetRead), { unitId: user.unitId }, report.others ?? []);
  if (!parsed.ok) return fail(parsed.error.message[lang], parsed.error.sheet ?? sheet.name);
  const where = meta.page ? { report: { roundId: meta.roundId, unitId: meta.unitId } } : {};
  const write = (outcome: Parameters<typeof writeReportOutcome>[3]) => excelRun((ctx) => writeReportOutcome(ctx, report, compiled, outcome));
  // detail lists (issue 25): checked on their rows, their figures computed from them, as the server does;
  // a row is named where it is on its sheet, blank rows above it left out (rowsAt)
  const hasLists = detailTables(compiled.template).length > 0;
  const lists = hasLists ? validateLists(compiled, parsed.lists) : null;
  const checked = validateValues(compiled, lists ? { ...parsed.values, ...listFigures(compiled, lists.lists) } : parsed.values);
  const local = { ...checked, issues: withoutRulesOverBadLists(compiled, [...(lists?.issues ?? []), ...checked.issues]) };
  const errors = locateIssues(compiled, local.issues.filter((i) => i.severity === "error"), parsed.rowsAt);
  // the status line is read in China whatever the computer's clock zone says: Beijing time, labelled
  const time = `${beijingTime(new Date().toISOString())} ${BEIJING_LABEL}`;

  if (errors.length > 0 || options.checkOnly) {
    const shown = options.checkOnly ? [...locateIssues(compiled, local.issues, parsed.rowsAt), ...parsed.notices] : errors;
    const status = shown.length ? `校验未通过：${shown.length} 项（${time}）` : `校验通过（${time}）`;
    const message = shown.length ? `${shown.length} × ${shown[0]!.message[lang]}` : T.noIssues[lang];
    try {
      await write({ status, marks: marksOf(shown, lang, compiled) });
    } catch (e) {
      return { ...fail(`${message} ${sheetProblem(e, lang)}`, sheet.name), issues: shown, ...where };
    }
    return { ok: shown.length === 0, message, issues: shown, needsAcknowledgement: false, sheetName: sheet.name, ...where };
  }

  const revision = parsed.meta.revision ?? 0; // a form's: the cover's (every page carries the same)
  // the signature block goes with the figures: it is kept with the revision, as from an uploaded file
  const body = {
    values: parsed.values, comments: parsed.comments, signature: parsed.signature, ...(hasLists ? { lists: parsed.lists } : {}),
    ...(options.acknowledgeWarnings ? { acknowledgeWarnings: true } : {}), ...(options.acknowledgeLoss ? { acknowledgeLoss: true } : {}),
  };
  const key = await idempotencyKey([meta.roundId, user.unitId, revision, body]);
  const r = await api.submit(meta.roundId, user.unitId, body, revision, key);
  if (!r.ok) {
    // the server numbers a list's rows as sent: moved onto the cells they are on
    const issues = relocateListIssues(compiled, r.error?.error.issues ?? [], parsed.rowsAt);
    const message = errorText(r.error, lang);
    let extra = "";
    try {
      await write({ status: `未上报：${message}（${time}）`, marks: marksOf(issues, lang, compiled) });
    } catch (e) {
      extra = ` ${sheetProblem(e, lang)}`;
    }
    const code = r.error?.error.code;
    const asked = code === "warnings_not_acknowledged" ? { acknowledgeWarnings: true } : code === "loss_not_acknowledged" ? { acknowledgeLoss: true } : null;
    return { ok: false, message: message + extra, issues, needsAcknowledgement: asked !== null, sheetName: sheet.name, ...where, ...(asked ? { acknowledge: { ...options, checkOnly: false, ...asked } } : {}) };
  }
  // warnings on a list's rows, like the errors above, moved onto the cells they are on
  const v = { ...r.value, warnings: relocateListIssues(compiled, r.value.warnings, parsed.rowsAt) };
  // the same words as the status line a pull or a download writes: 已上报（第 N 版）
  const status = `${fillStatusText({ state: "submitted", revision: v.revision })} · ${time}${v.replayed ? "（重试，未重复上报）" : ""}`;
  try {
    await write({ status, marks: marksOf(v.warnings, lang, compiled), revision: v.revision });
  } catch (e) {
    // The server has it: say so, with the revision, and what went wrong with the sheet.
    const stored = lang === "zh"
      ? `${fillStatusText({ state: "submitted", revision: v.revision })}（服务器已保存），但更新工作表失败：${sheetProblem(e, lang)} 请重新“拉取模板”以同步版本号，再修改或上报。`
      : `Submitted as revision ${v.revision} (stored on the server), but updating the sheet failed: ${sheetProblem(e, lang)} Pull the template again to bring the sheet's revision up to date before changing or submitting it.`;
    return { ok: true, message: stored, issues: [...v.warnings, ...parsed.notices], needsAcknowledgement: false, sheetName: sheet.name, ...where, revision: v.revision };
  }
  return { ok: true, message: status, issues: [...v.warnings, ...parsed.notices], needsAcknowledgement: false, sheetName: sheet.name, ...where, revision: v.revision };
}

const sheetProblem = (e: unknown, lang: Lang): string => {
  if (e instanceof SheetWriteError) return e.text[lang];
  console.error("writing the outcome failed", e);
  return lang === "zh" ? "写入工作表时出错，表中已填写的数据未改动。" : "Writing to the sheet failed; the figures typed into it are unchanged.";
};
