// Worksheet.pageLayout (ExcelApi 1.9): paper, orientation, zoom, print area and titles, margins,
// gridlines, headers and footers. The rules it enforces are in excel-rules.ts with their sources.
import { notLoaded } from "./client-object";
import { PAPER_TYPES, POINTS_PER, checkHeaderFooter, checkMargins, checkTitleColumns, checkTitleRows, checkZoom } from "./excel-rules";
import type { FakeRequestContext } from "./proxies";
import type { FakeRange } from "./range";
import { OfficeError, parseRange, type SheetState } from "./state";

const bad = (why: string) => new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: page layout (${why})`);

/**
 * Page setup on a protected sheet: Microsoft documents nothing either way, so the fake takes the
 * stricter side and refuses; the add-in sets it while the sheet is unprotected.
 */
const refuseOnProtected = (s: SheetState) => {
  if (failing) throw new OfficeError("GeneralException", "There was an internal error while processing the request (page layout).");
  if (s.protected) throw new OfficeError("AccessDenied", "The cell or chart you're trying to change is on a protected sheet (page layout).");
};

type Sections = SheetState["page"]["header"];

/**
 * A host whose page setup fails — not a rule of Excel's but a fault to inject, so the add-in's
 * handling of it is tested: print setup is best-effort and must never cost a pull or the totals.
 */
let failing = false;
export const failPageSetup = (on: boolean): void => { failing = on; };

/** One HeaderFooter: left, centre and right sections, each a write-only property here. */
function headerFooter(ctx: FakeRequestContext, sheet: () => SheetState) {
  const section = (which: "header" | "footer", part: keyof Sections) => ({
    set(v: string) {
      ctx.enqueue(() => {
        const s = sheet();
        refuseOnProtected(s);
        const next = { ...s.page[which], [part]: String(v) };
        checkHeaderFooter(next);
        s.page[which] = next;
      });
    },
    get(): string { throw notLoaded(`headersFooters/defaultForAllPages/${part}${which === "header" ? "Header" : "Footer"}`); },
  });
  const hf = {};
  for (const which of ["header", "footer"] as const) {
    for (const part of ["left", "center", "right"] as const) {
      Object.defineProperty(hf, `${part}${which === "header" ? "Header" : "Footer"}`, { ...section(which, part), enumerable: true });
    }
  }
  return hf as { leftHeader: string; centerHeader: string; rightHeader: string; leftFooter: string; centerFooter: string; rightFooter: string };
}

export class FakePageLayout {
  readonly headersFooters: { defaultForAllPages: ReturnType<typeof headerFooter> };
  constructor(private ctx: FakeRequestContext, private sheet: () => SheetState) {
    this.headersFooters = { defaultForAllPages: headerFooter(ctx, sheet) };
  }
  private change(f: (s: SheetState) => void): void {
    this.ctx.enqueue(() => { const s = this.sheet(); refuseOnProtected(s); f(s); });
  }
  set paperSize(v: string) { this.change((s) => { if (!PAPER_TYPES.has(v)) throw bad(`paper size '${v}'`); s.page.paperSize = v; }); }
  get paperSize(): string { throw notLoaded("paperSize"); }
  set orientation(v: string) { this.change((s) => { if (v !== "Portrait" && v !== "Landscape") throw bad(`orientation '${v}'`); s.page.orientation = v; }); }
  get orientation(): string { throw notLoaded("orientation"); }
  set zoom(v: SheetState["page"]["zoom"]) {
    const copy = v && typeof v === "object" ? { ...v } : v; // taken when queued, as Office serialises it
    this.change((s) => { checkZoom(copy); s.page.zoom = copy; });
  }
  /** Read-only until loaded; a sub-property cannot be set (the doc: set zoom as a whole object). */
  get zoom(): SheetState["page"]["zoom"] { throw notLoaded("zoom"); }
  set printGridlines(v: boolean) { this.change((s) => { if (typeof v !== "boolean") throw bad("printGridlines"); s.page.printGridlines = v; }); }
  get printGridlines(): boolean { throw notLoaded("printGridlines"); }
  setPrintArea(area: string | FakeRange): void {
    if (typeof area !== "string") this.ctx.sameContext(area.context);
    this.change((s) => {
      const text = typeof area === "string" ? area : area.address0;
      const parts = text.split(",").map((p) => p.trim());
      for (const p of parts) parseRange(p); // an address Excel cannot read fails the sync
      s.page.printArea = parts.join(",");
    });
  }
  setPrintTitleRows(rows: string | FakeRange): void {
    if (typeof rows !== "string") this.ctx.sameContext(rows.context);
    this.change((s) => {
      const text = typeof rows === "string" ? rows : rows.address0;
      checkTitleRows(text);
      s.page.printTitleRows = text;
    });
  }
  setPrintTitleColumns(columns: string | FakeRange): void {
    if (typeof columns !== "string") this.ctx.sameContext(columns.context);
    this.change((s) => {
      const text = typeof columns === "string" ? columns : columns.address0;
      checkTitleColumns(text);
      s.page.printTitleColumns = text;
    });
  }
  setPrintMargins(unit: keyof typeof POINTS_PER, margins: Record<string, number>): void {
    const copy = { ...margins };
    this.change((s) => {
      checkMargins(unit, copy);
      for (const [k, v] of Object.entries(copy)) s.page.margins[k] = v * POINTS_PER[unit];
    });
  }
}
