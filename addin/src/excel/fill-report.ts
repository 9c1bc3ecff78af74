// 校验 / 一键上报 on the workbook: reading the report the active sheet belongs to (the one fill sheet,
// or every sheet of a form's report, found by its metadata), and writing the outcome back onto
// every page — status line, marks on the cells, the new revision — in a fixed number of round trips.
import {
  FILL_META_ROW, FILL_STATUS_ROW, cellAddress, decodeFillMeta, encodeFillMeta, fillBook, pageOf, readFillMeta,
  type CellValue, type CompiledTemplate, type DetailGeometry, type FillBook, type FillMeta, type FillSpot, type ShownNumber,
} from "@tianbao/shared";
import { PROTECTION, STYLE_FORMATS, columnRuns } from "./write-plan";
import { readUsedGrids, type Grid, type UsedGrid } from "./read-grid";
import { guardedWrite } from "./guard";
import { watchEdits } from "./edit-marks";

export interface SheetSnapshot {
  name: string;
  /** The sheet from A1, wherever its used range starts. */
  grid: Grid;
  protected: boolean;
  /** Cells holding a formula ("D14"); a formula in an input cell is refused like in an uploaded file. */
  formulaCells?: ReadonlySet<string>;
  /** Cells holding an Excel error value ("D14" → "#N/A"): refused on their cell, never read as text. */
  errors?: ReadonlyMap<string, string>;
  /** Numbers shown as a percent or a date, with what the cell shows: a figure is not what the official sees there. */
  shown?: ReadonlyMap<string, ShownNumber>;
  /** The Excel.run context it was read in: `protected` is current only within that batch. */
  readIn?: Excel.RequestContext;
}

const snapshotOf = (r: UsedGrid, context: Excel.RequestContext): SheetSnapshot =>
  ({ name: r.ws.name, grid: r.grid, protected: r.protected, formulaCells: r.formulaCells, errors: r.errors, shown: r.shown, readIn: context });

const activeSheet = (context: Excel.RequestContext) => () => context.workbook.worksheets.getActiveWorksheet().load("name");

/** Reads the active sheet's cells as shown (one sync; more only for sheets near Excel on the web's payload limit). */
export async function readActiveSheet(context: Excel.RequestContext): Promise<SheetSnapshot> {
  const { grids } = await readUsedGrids(context, [activeSheet(context)]);
  return snapshotOf(grids[0]!, context);
}

/** The report the active sheet is part of. */
export interface ReportSnapshot {
  /** The sheet the official was on. */
  active: SheetSnapshot;
  /**
   * The sheets of its report, the active one first: only it for a template without a form; for a
   * form, every sheet of the workbook whose metadata names the same round and unit (a copy or a
   * backup included: the reader refuses a table there twice, naming both).
   */
  sheets: SheetSnapshot[];
  /**
   * The workbook's other sheets, by their first rows of column A only: what the reader needs to say
   * what became of a table's missing sheet (another unit's in its place, rows inserted above it).
   */
  others?: { name: string; grid: CellValue[][] }[];
}

/**
 * Reads the report the active sheet belongs to, each cell as shown. A one-sheet template's is its
 * sheet: one sync, as ever. On a form's page, two more whatever the number of tables: every other
 * sheet's metadata cell, then in one sync all the sheets of the same round and unit.
 */
/** How many rows of column A are read from the workbook's other sheets (rows inserted above a table's metadata are found within them). */
const HEAD_ROWS = 30;

export async function readActiveReport(context: Excel.RequestContext): Promise<ReportSnapshot> {
  const list = context.workbook.worksheets.load("items/name"); // answered with the active sheet: no round trip of its own
  const { grids, split } = await readUsedGrids(context, [activeSheet(context)]);
  const active = snapshotOf(grids[0]!, context);
  const meta = readFillMeta(active.grid);
  if (!meta?.page) return { active, sheets: [active] };
  if (split) { // the sync that listed the sheets was refused as too large: list them again
    list.load("items/name");
    await context.sync();
  }
  // each other sheet's first rows of column A: its metadata (A2), or where rows inserted above moved it
  const others = list.items.filter((ws) => ws.name !== active.name)
    .map((ws) => ({ name: ws.name, head: ws.getRange(`A1:A${HEAD_ROWS}`).load("values") }));
  if (others.length === 0) return { active, sheets: [active] };
  await context.sync();
  const heads = others.map((o) => ({ name: o.name, grid: o.head.values.map((r) => [r[0] as CellValue]) }));
  const mine = heads.filter((o) => sameReport(decodeFillMeta(o.grid[FILL_META_ROW]?.[0]), meta));
  const rest = heads.filter((o) => !mine.includes(o));
  if (mine.length === 0) return { active, sheets: [active], others: rest };
  const read = await readUsedGrids(context, mine.map((o) => () => context.workbook.worksheets.getItem(o.name).load("name")));
  return { active, sheets: [active, ...read.grids.map((g) => snapshotOf(g, context))], others: rest };
}

const sameReport = (m: FillMeta | null, of: Pick<FillMeta, "roundId" | "unitId">): boolean => !!m && m.roundId === of.roundId && m.unitId === of.unitId;

export interface Mark {
  code: string;
  severity: "error" | "warning";
  text: string;
  /**
   * The cell the mark is on, when it is not the indicator's value cell: a detail list's row and field
   * (issue 25), or a list row's 序号 (a blank row left out). Its text goes in the 校验 cell of that row.
   */
  at?: FillSpot;
}

const MARK_FILL = { error: "#FDE7E9", warning: "#FFF4CE" } as const;

/** A page to write an outcome on: its sheet, its key in the fill book, and the metadata it carries now. */
interface OutcomePage {
  name: string;
  page: string;
  meta: FillMeta | null;
  /** Whether it is protected, when known within this batch. */
  protected?: boolean;
}

interface Outcome { status: string; marks: Mark[] }

/**
 * Writes the outcome of a check or a submit onto the sheet in one sync: clears old marks, colours
 * each marked value cell and writes its message in the check column, updates the status line and,
 * after a successful submit, the revision in the metadata cell. Whether the sheet is protected is
 * taken from the snapshot only within the batch that read it (one sync); otherwise it is loaded
 * again (two syncs): the official may protect or unprotect the sheet during the network call, and
 * protect() fails on a protected sheet. If the write fails the sheet is protected again and a
 * SheetWriteError says so.
 */
export async function writeOutcome(
  context: Excel.RequestContext, sheet: SheetSnapshot | string, compiled: CompiledTemplate,
  outcome: Outcome & { meta?: FillMeta },
): Promise<void> {
  const name = typeof sheet === "string" ? sheet : sheet.name;
  const known = typeof sheet !== "string" && sheet.readIn === context ? { protected: sheet.protected } : {};
  const target: OutcomePage = { name, page: "main", meta: outcome.meta ?? null, ...known };
  await writePages(context, [target], compiled, outcome, outcome.meta !== undefined);
}

/**
 * The outcome of checking or submitting a report, on every page of it: the status line on each,
 * the marks on the page where each figure sits, and after a successful submit the new revision in
 * every page's metadata (each keeping its own page key). Two syncs whatever the number of pages:
 * whether each is protected now, then everything.
 */
export async function writeReportOutcome(
  context: Excel.RequestContext, report: ReportSnapshot, compiled: CompiledTemplate,
  outcome: Outcome & { revision?: number },
): Promise<void> {
  const book = fillBook(compiled);
  const pages: OutcomePage[] = [];
  for (const s of report.sheets) {
    const meta = readFillMeta(s.grid);
    const page = book.single ? "main" : meta?.page;
    if (!page || !book.pages.some((p) => p.key === page) || pages.some((p) => p.page === page)) continue; // another sheet of the round (an old one-sheet drawing)
    const next = meta && outcome.revision !== undefined ? { ...meta, revision: outcome.revision } : null;
    pages.push({ name: s.name, page, meta: next, ...(s.readIn === context ? { protected: s.protected } : {}) });
    if (book.single) break;
  }
  await writePages(context, pages, compiled, outcome, outcome.revision !== undefined);
}

async function writePages(context: Excel.RequestContext, pages: readonly OutcomePage[], compiled: CompiledTemplate, outcome: Outcome, submitted: boolean): Promise<void> {
  if (pages.length === 0) return;
  const sheets = context.workbook.worksheets;
  const unknown = pages.filter((p) => p.protected === undefined);
  const loaded = new Map(unknown.map((p) => [p.name, sheets.getItem(p.name).protection.load("protected")]));
  if (loaded.size > 0) await context.sync();
  const book = fillBook(compiled);
  const byPage = marksByPage(book, outcome.marks);
  const listPages = new Set(book.pages.filter((p) => p.kind === "detail").map((p) => p.key));
  await guardedWrite(context, pages.map((p) => p.name), true, async () => {
    for (const p of pages) {
      const ws = sheets.getItem(p.name);
      if (p.protected ?? loaded.get(p.name)!.protected) ws.protection.unprotect();
      clearMarks(ws, compiled, p.page);
      for (const m of byPage.get(p.page) ?? []) {
        const range = ws.getRange(cellAddress(m.spot.row, m.spot.col));
        if (m.text !== undefined) {
          // a list's 校验 cells are not drawn row by row: Text and the check colour, as a figure's are drawn
          if (listPages.has(p.page)) { range.numberFormat = [["@"]]; range.format.font.color = STYLE_FORMATS.check.color!; }
          range.values = [[asText(m.text)]];
        } else range.format.fill.color = m.fill;
      }
      ws.getRange(cellAddress(FILL_STATUS_ROW, 0)).values = [[asText(outcome.status)]];
      if (p.meta) ws.getRange(cellAddress(FILL_META_ROW, 0)).values = [[encodeFillMeta(p.meta)]];
      // later edits are marked 已修改，未上报 (ExcelApi 1.14; registered at this sync)
      if (submitted) watchEdits(ws, p.name, compiled, p.page);
      ws.protection.protect(PROTECTION);
    }
    await context.sync();
  });
}

/**
 * The page's check cells cleared, and its figures' cells back to their drawn colour: a typed one's
 * input fill, a computed one's (a computed figure out of its range is marked too).
 */
function clearMarks(ws: Excel.Worksheet, compiled: CompiledTemplate, page: string): void {
  const detail = pageOf(fillBook(compiled), page);
  if (detail?.kind === "detail") return clearListMarks(ws, detail.geometry);
  const { checks, typed, computed } = pageSpots(compiled, page);
  if (checks.length === 0) return; // the cover: no figures
  // one check column per page (G on a list page, the one right of 说明 on a grid)
  const col = checks[0]!.col;
  const first = Math.min(...checks.map((s) => s.row));
  const last = Math.max(...checks.map((s) => s.row));
  ws.getRange(`${cellAddress(first, col)}:${cellAddress(last, col)}`).values = Array.from({ length: last - first + 1 }, () => [""]);
  for (const address of columnRuns(typed)) ws.getRange(address).format.fill.color = STYLE_FORMATS.input.fill!;
  for (const address of columnRuns(computed)) ws.getRange(address).format.fill.color = STYLE_FORMATS.derived.fill!;
}

/**
 * A detail list's marks cleared over its whole block, a constant number of commands whatever its
 * length: the 校验 column emptied, the fields back in the input colour, the 序号 column without fill.
 */
function clearListMarks(ws: Excel.Worksheet, geo: DetailGeometry): void {
  const rows = (c0: number, c1: number) => ws.getRange(`${cellAddress(geo.firstRow, c0)}:${cellAddress(geo.lastRow, c1)}`);
  rows(geo.checkCol, geo.checkCol).clear("Contents");
  if (geo.checkCol > 1) rows(1, geo.checkCol - 1).format.fill.color = STYLE_FORMATS.input.fill!;
  rows(0, 0).format.fill.clear();
}

interface PageSpots { checks: FillSpot[]; typed: FillSpot[]; computed: FillSpot[] }

/** A page's check cells and its typed and computed figures' value cells; worked out once per template. */
const spotsOf = new WeakMap<CompiledTemplate, Map<string, PageSpots>>();
function pageSpots(compiled: CompiledTemplate, page: string): PageSpots {
  let byPage = spotsOf.get(compiled);
  if (!byPage) {
    const pages = new Map<string, PageSpots>();
    const of = (p: string) => { const e = pages.get(p) ?? { checks: [], typed: [], computed: [] }; pages.set(p, e); return e; };
    const book = fillBook(compiled);
    for (const spot of book.check.values()) of(spot.page).checks.push(spot);
    for (const [code, spot] of book.value) of(spot.page)[compiled.byCode.get(code)?.kind === "derived" ? "computed" : "typed"].push(spot);
    spotsOf.set(compiled, pages);
    byPage = pages;
  }
  return byPage.get(page) ?? { checks: [], typed: [], computed: [] };
}

type PageMark = { spot: FillSpot; fill: string; text?: undefined } | { spot: FillSpot; fill?: undefined; text: string };

/**
 * The marks as cell writes, by page: each marked figure's value cell coloured by its worst mark, and
 * each check cell's text — on a grid one row's cells share a check cell, so their messages are joined.
 */
function marksByPage(book: FillBook, marks: readonly Mark[]): Map<string, PageMark[]> {
  const byCode = new Map<string, Mark[]>();
  const atCells: Mark[] = [];
  for (const m of marks) {
    if (m.at) atCells.push(m);
    else byCode.set(m.code, [...(byCode.get(m.code) ?? []), m]);
  }
  const out = new Map<string, PageMark[]>();
  const add = (m: PageMark) => out.set(m.spot.page, [...(out.get(m.spot.page) ?? []), m]);
  const texts = new Map<string, { spot: FillSpot; texts: string[] }>();
  const note = (check: FillSpot, ms: readonly Mark[]) => {
    const k = `${check.page}|${check.row}|${check.col}`;
    const entry = texts.get(k) ?? { spot: check, texts: [] };
    entry.texts.push(...ms.map((m) => m.text));
    texts.set(k, entry);
  };
  const worst = (ms: readonly Mark[]) => MARK_FILL[ms.some((m) => m.severity === "error") ? "error" : "warning"];
  for (const [code, ms] of byCode) {
    const value = book.value.get(code);
    const check = book.check.get(code);
    if (!value || !check) continue;
    add({ spot: value, fill: worst(ms) });
    note(check, ms);
  }
  // marks on a detail list's cells (issue 25): the cell coloured, the text in its row's 校验 cell
  const byCell = new Map<string, Mark[]>();
  for (const m of atCells) byCell.set(`${m.at!.page}|${m.at!.row}|${m.at!.col}`, [...(byCell.get(`${m.at!.page}|${m.at!.row}|${m.at!.col}`) ?? []), m]);
  for (const ms of byCell.values()) {
    const at = ms[0]!.at!;
    const page = pageOf(book, at.page);
    if (page?.kind !== "detail" || at.row < page.geometry.firstRow || at.row > page.geometry.lastRow) continue;
    add({ spot: at, fill: worst(ms) });
    note({ page: at.page, row: at.row, col: page.geometry.checkCol }, ms);
  }
  for (const { spot, texts: t } of texts.values()) add({ spot, text: t.join("；") });
  return out;
}

/** Text the add-in writes into cells: a leading = + - keeps an apostrophe so Excel never takes it as a formula. */
const asText = (s: string): string => (/^[=+\-@]/.test(s) ? `'${s}` : s);

/** Selects an indicator's value cell, for a click in the pane's issue list. */
export async function selectCell(context: Excel.RequestContext, sheetName: string, address: string): Promise<void> {
  const ws = context.workbook.worksheets.getItem(sheetName);
  ws.activate();
  ws.getRange(address).select();
  await context.sync();
}

/**
 * Selects a cell on a page of a form's report (an issue's `table`), found by its metadata — the same
 * round, unit and page key — whatever its tab is called now. Three syncs: the sheets, their metadata
 * cells, the selection. Says whether the page was found.
 */
export async function selectReportCell(context: Excel.RequestContext, report: Pick<FillMeta, "roundId" | "unitId">, page: string, address: string): Promise<boolean> {
  const list = context.workbook.worksheets.load("items/name");
  await context.sync();
  const metas = list.items.map((ws) => ({ ws, meta: ws.getRange(cellAddress(FILL_META_ROW, 0)).load("values") }));
  await context.sync();
  const hit = metas.find((m) => { const meta = decodeFillMeta(m.meta.values[0]?.[0]); return sameReport(meta, report) && meta!.page === page; });
  if (!hit) return false;
  hit.ws.activate();
  hit.ws.getRange(address).select();
  await context.sync();
  return true;
}
