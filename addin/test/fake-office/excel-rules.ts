// Excel's own rules that the fake enforces, each with the Microsoft documentation or the
// OfficeDev/office-js issue it comes from. Where Microsoft documents nothing and Excel's behaviour
// is uncertain, the fake takes the stricter side and says so: the add-in must work either way.
// What a written or typed string becomes is in input.ts, what a cell shows (Range.text, valueTypes)
// in display.ts, and an official's typing and pasting in typing.ts.
import { HyperFormula } from "hyperformula";
import { OfficeError } from "./state";

/**
 * Excel on the web refuses a request or a response over 5 MB with a RichApi.Error, and a range
 * read is limited to five million cells (paraphrased from Microsoft's resource limits:
 * https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins;
 * seen in practice in OfficeDev/office-js#1012). How Excel measures the payload is not documented;
 * the fake counts the UTF-8 bytes of the JSON written or read, plus 16 bytes per command.
 */
export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
export const MAX_CELLS_PER_READ = 5_000_000;

/** Excel's grid: 1,048,576 rows by 16,384 columns (XFD). https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3 */
export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;
/** "Total number of characters that a cell can contain: 32,767 characters" (same page). */
export const MAX_CELL_TEXT = 32_767;

/**
 * Sheet names: not blank, at most 31 characters, none of / \ ? * : [ ], not beginning or ending
 * with an apostrophe, and not "History" (reserved by Excel).
 * https://support.microsoft.com/office/rename-a-worksheet-3f1f7148-ee83-404d-8ef0-9ff99fbad1f9
 */
export function checkSheetName(name: string): void {
  const bad = name.trim() === "" || name.length > 31 || /[/\\?*:[\]]/.test(name) || name.startsWith("'") || name.endsWith("'") || name.toLowerCase() === "history";
  if (bad) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: worksheet name '${name}'`);
}

/**
 * Defined names: start with a letter, an underscore or a backslash; then letters, digits, periods
 * and underscores; no spaces; not a cell reference such as "A1" or "R1C1"; at most 255 characters.
 * https://support.microsoft.com/office/names-in-formulas-fc2935f9-115d-4bef-a370-3aa8bb4c91f1
 */
export function checkDefinedName(name: string): void {
  const bad = name.length === 0 || name.length > 255 || !/^[\p{L}_\\][\p{L}\p{N}._]*$/u.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name);
  if (bad) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: name '${name}'`);
}

/**
 * Data validation, as Excel's Data Validation dialog limits it (the API sets the same rule):
 * an error alert's title holds at most 32 characters and its message at most 225; a list typed
 * into the rule (not a range reference) holds at most 255 characters, separators included.
 * https://support.microsoft.com/office/apply-data-validation-to-cells-29fecbcc-d1b9-42c1-9d76-eff3ce5f7249
 * https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-data-validation
 * A rule names exactly one kind of criteria (Excel.DataValidationRule: "only one" of wholeNumber,
 * decimal, textLength, list, date, time, custom), and numeric criteria need formula1.
 * https://learn.microsoft.com/javascript/api/excel/excel.datavalidationrule
 */
export const VALIDATION_LIMITS = { listSource: 255, alertTitle: 32, alertMessage: 225 } as const;

export function checkValidationRule(rule: unknown): void {
  const bad = (why: string) => new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: data validation rule (${why})`);
  if (!rule || typeof rule !== "object") throw bad("no rule");
  const kinds = Object.entries(rule as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
  if (kinds.length !== 1) throw bad("exactly one kind of criteria");
  const [kind, criteria] = kinds[0]! as [string, Record<string, unknown>];
  if (kind === "list") {
    const source = criteria.source;
    if (typeof source !== "string" || source.length === 0) throw bad("list source");
    if (!source.startsWith("=") && source.length > VALIDATION_LIMITS.listSource) throw bad(`list source over ${VALIDATION_LIMITS.listSource} characters`);
    return;
  }
  if (!["wholeNumber", "decimal", "textLength", "date", "time", "custom"].includes(kind)) throw bad(`unknown kind ${kind}`);
  if (criteria.formula1 === undefined || criteria.formula1 === null || criteria.formula1 === "") throw bad("formula1");
  if (kind !== "custom" && !["Between", "NotBetween", "EqualTo", "NotEqualTo", "GreaterThan", "LessThan", "GreaterThanOrEqualTo", "LessThanOrEqualTo"].includes(String(criteria.operator))) throw bad("operator");
  if ((criteria.operator === "Between" || criteria.operator === "NotBetween") && (criteria.formula2 === undefined || criteria.formula2 === null)) throw bad("formula2");
}

export function checkErrorAlert(alert: unknown): void {
  const a = (alert ?? {}) as { title?: unknown; message?: unknown; style?: unknown };
  const bad = (why: string) => new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: data validation error alert (${why})`);
  if (typeof a.title === "string" && a.title.length > VALIDATION_LIMITS.alertTitle) throw bad(`title over ${VALIDATION_LIMITS.alertTitle} characters`);
  if (typeof a.message === "string" && a.message.length > VALIDATION_LIMITS.alertMessage) throw bad(`message over ${VALIDATION_LIMITS.alertMessage} characters`);
  if (a.style !== undefined && !["Stop", "Warning", "Information"].includes(String(a.style))) throw bad("style");
}

/**
 * Number formats: the 2-D array must match the range (Range.numberFormat), and Excel refuses a
 * format it cannot parse. The fake accepts the built-in ones and custom formats made of Excel's
 * format characters with balanced quotes and brackets, at most four sections and 255 characters.
 * https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-numberformat-member
 * https://support.microsoft.com/office/review-guidelines-for-customizing-a-number-format-c0a1d1fa-d3f4-4018-96b7-9c9354dd99f5
 */
export function checkNumberFormat(f: string): void {
  const bad = () => new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: number format '${f}'`);
  if (f === "General" || f === "@") return;
  if (f.length === 0 || f.length > 255) throw bad();
  const outsideQuotes = f.replace(/"[^"]*"/g, "").replace(/\\./g, "");
  if (outsideQuotes.includes('"')) throw bad();
  if ((outsideQuotes.match(/\[/g) ?? []).length !== (outsideQuotes.match(/]/g) ?? []).length) throw bad();
  if (outsideQuotes.split(";").length > 4) throw bad();
  const stripped = outsideQuotes.replace(/\[[^\]]*]/g, "");
  if (!/^[0#?.,%Ee+\-/:()$ ¥_*@;ymdhsAMP年月日时分秒]*$/i.test(stripped)) throw bad();
}

/**
 * Page layout (Worksheet.pageLayout, ExcelApi 1.9), as Microsoft documents it:
 * - paperSize is one of Excel.PaperType and orientation one of Excel.PageOrientation
 *   (https://learn.microsoft.com/javascript/api/excel/excel.pagelayout);
 * - zoom "must be set as a JSON object (use x.zoom = {...} instead of x.zoom.scale = ...)" (same
 *   page); its scale lies "between 10 and 400", and is null when fitting to pages wide or tall
 *   (https://learn.microsoft.com/javascript/api/excel/excel.pagelayoutzoomoptions). The fake refuses
 *   a scale given together with a fit (the stricter side), and takes fits as whole page counts from
 *   0 to 32,767, 0 being "automatic" as in SpreadsheetML's fitToHeight (ECMA-376 Part 1, 18.3.1.63)
 *   and in what Excel records for "Fit All Columns on One Page" ({ horizontalFitToPages: 1,
 *   verticalFitToPages: 0 });
 * - setPrintTitleRows: "The range must span the entire row to be valid" ("$4:$4"); setPrintTitleColumns
 *   likewise: "The range must span the entire column to be valid" ("$A:$B");
 * - setPrintMargins takes "Points", "Inches" or "Centimeters" (Excel.PrintMarginUnit);
 * - a header or footer holds at most 255 characters, its codes included ("Office requires that
 *   the length of the value for this element be less than or equal to 255", MS-OI29500 2.1.651).
 */
export const PAPER_TYPES = new Set(["Letter", "LetterSmall", "Tabloid", "Ledger", "Legal", "Statement", "Executive", "A3", "A4", "A4Small", "A5", "B4", "B5", "Folio", "Quatro", "Paper10x14", "Paper11x17", "Note", "Envelope9", "Envelope10", "Envelope11", "Envelope12", "Envelope14", "Csheet", "Dsheet", "Esheet", "EnvelopeDL", "EnvelopeC5", "EnvelopeC3", "EnvelopeC4", "EnvelopeC6", "EnvelopeC65", "EnvelopeB4", "EnvelopeB5", "EnvelopeB6", "EnvelopeItaly", "EnvelopeMonarch", "EnvelopePersonal", "FanfoldUS", "FanfoldStdGerman", "FanfoldLegalGerman"]);
export const MAX_HEADER_FOOTER = 255;

const badLayout = (why: string) => new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: page layout (${why})`);

export function checkZoom(zoom: unknown): void {
  if (!zoom || typeof zoom !== "object") throw badLayout("zoom must be set as an object");
  const z = zoom as { scale?: unknown; horizontalFitToPages?: unknown; verticalFitToPages?: unknown };
  const given = (v: unknown) => v !== undefined && v !== null;
  const fits = [z.horizontalFitToPages, z.verticalFitToPages].filter(given);
  if (given(z.scale)) {
    if (typeof z.scale !== "number" || z.scale < 10 || z.scale > 400) throw badLayout("scale between 10 and 400");
    if (fits.length > 0) throw badLayout("a scale or pages to fit, not both");
    return;
  }
  if (fits.length === 0) throw badLayout("no scale and no pages to fit");
  for (const f of fits) if (typeof f !== "number" || !Number.isInteger(f) || f < 0 || f > 32_767) throw badLayout("pages to fit are whole numbers from 0 to 32767");
}

/** "$4:$4" or "4:6": whole rows only. */
export function checkTitleRows(rows: string): void {
  const m = /^\$?(\d+):\$?(\d+)$/.exec(rows);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < Number(m[1]) || Number(m[2]) > MAX_ROWS) throw badLayout(`print title rows '${rows}' must span entire rows`);
}

export function checkTitleColumns(columns: string): void {
  const m = /^\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$/.exec(columns);
  const n = (s: string) => [...s].reduce((t, ch) => t * 26 + ch.charCodeAt(0) - 64, 0);
  if (!m || n(m[2]!) < n(m[1]!) || n(m[2]!) > 16_384) throw badLayout(`print title columns '${columns}' must span entire columns`);
}

export const POINTS_PER = { Points: 1, Inches: 72, Centimeters: 72 / 2.54 } as const;

export function checkMargins(unit: string, margins: Record<string, unknown>): void {
  if (!(unit in POINTS_PER)) throw badLayout(`margin unit '${unit}'`);
  for (const [k, v] of Object.entries(margins)) {
    if (!["top", "bottom", "left", "right", "header", "footer"].includes(k)) throw badLayout(`margin '${k}'`);
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw badLayout(`margin ${k} must be a number of at least 0`);
  }
}

/** The three sections of a header or footer as one SpreadsheetML string (&L…&C…&R…), measured as Excel stores it. */
export function checkHeaderFooter(sections: { left: string; center: string; right: string }): void {
  const text = `${sections.left ? `&L${sections.left}` : ""}${sections.center ? `&C${sections.center}` : ""}${sections.right ? `&R${sections.right}` : ""}`;
  if (text.length > MAX_HEADER_FOOTER) throw badLayout(`header or footer over ${MAX_HEADER_FOOTER} characters`);
}

/**
 * Rows: Excel's largest row height is 409 points ("Row height: 409 points", Excel specifications
 * and limits, https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
 */
export const MAX_ROW_HEIGHT = 409;

/**
 * Members the fake offers, by the ExcelApi requirement set that brought them (each member's
 * "[Api set: ExcelApi x.y]" in the Excel JavaScript API reference,
 * https://learn.microsoft.com/javascript/api/excel, and the requirement-set pages
 * https://learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-requirement-sets).
 * In an Excel whose highest set is below a member's, the member is absent (undefined), as in an
 * Excel that predates it; Office.context.requirements.isSetSupported answers by the same number.
 */
export const MEMBER_SETS = {
  "Worksheet.visibility": "1.1",
  "Range.merge": "1.2",
  "Range.unmerge": "1.2",
  "Worksheet.onChanged": "1.7",
  "Workbook.protection": "1.7",
  "RunOptions.delayForCellEdit": "1.11",
  "Worksheet.customProperties": "1.12",
  "WorksheetChangedEventArgs.triggerSource": "1.14",
} as const;

/**
 * A formula Excel cannot parse is refused when its command runs (at sync), with InvalidArgument —
 * "The argument is invalid or missing or has an incorrect format" (the error table of
 * https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling);
 * Range.formulas takes formulas "in A1-style notation"
 * (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-formulas-member).
 * A syntax error ("=SUM(", "=1+", "=(1") is refused; an unknown function name is not a syntax
 * error — Excel stores it and the cell shows #NAME? (error value 5 of ERROR.TYPE,
 * https://support.microsoft.com/office/error-type-function-10958677-7c8d-44f7-ae77-b9a9ee6eefaa).
 * The fake parses with HyperFormula's Excel-compatible grammar.
 */
let parser: HyperFormula | null = null;
export function checkFormulaSyntax(formula: string): void {
  parser ??= HyperFormula.buildEmpty({ licenseKey: "gpl-v3" });
  if (!parser.validateFormula(formula)) throw new OfficeError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: formula '${formula}'`);
}

/**
 * Sheets that must stay: a workbook keeps at least one visible sheet. Microsoft's worksheet sample
 * deletes a sheet only "as long as it's not the only sheet in the workbook"
 * (https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-worksheets#delete-a-worksheet),
 * and the SheetVisibility sample hides one only when another is visible ("Cannot hide the only
 * visible worksheet", https://learn.microsoft.com/javascript/api/excel/excel.sheetvisibility).
 * The error code for these is not documented: the fake uses InvalidOperation. Deleting a
 * VeryHidden sheet "will fail with an InvalidOperation exception" (Worksheet.delete,
 * https://learn.microsoft.com/javascript/api/excel/excel.worksheet#excel-excel-worksheet-delete-member(1)).
 */
export const lastVisible = (what: string) => new OfficeError("InvalidOperation", `The operation attempted is invalid on the object: ${what} would leave the workbook without a visible sheet.`);

/**
 * Workbook structure protection (WorkbookProtection, ExcelApi 1.7: protect() "Fails if the
 * workbook has been protected", https://learn.microsoft.com/javascript/api/excel/excel.workbookprotection).
 * While it is on, sheets cannot be added, deleted, renamed, hidden or unhidden (structure
 * protection fixes "the relative position of the sheets": Workbook.Protect's Structure argument,
 * https://learn.microsoft.com/office/vba/api/excel.workbook.protect; the fake refuses renames too,
 * the stricter side).
 * The API's error code for it is not documented; the fake answers AccessDenied, as for a protected sheet.
 */
export const structureLocked = (what: string) => new OfficeError("AccessDenied", `You cannot perform the requested operation: the workbook's structure is protected (${what}).`);

/**
 * Cell-edit mode. "When false, if the user is in cell edit when the batch request is processed by
 * the host, the batch automatically fails. When true, … the batch request is delayed until the user
 * exits cell edit mode"; the default is false (Excel.RunOptions.delayForCellEdit, ExcelApi 1.11,
 * https://learn.microsoft.com/javascript/api/excel/excel.runoptions). The failure is
 * InvalidOperationInCellEditMode: "The operation isn't available while Excel is in Edit cell mode"
 * (https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling).
 */
export const inCellEdit = () => new OfficeError("InvalidOperationInCellEditMode", "The operation isn't available while Excel is in Edit cell mode. Exit Edit mode by using the Enter or Tab keys, or by selecting another cell, and then try again.");

/**
 * Proxy objects belong to their request context. A command queued on an object whose Excel.run
 * has finished fails with InvalidObjectPath; an object passed to another context's method fails
 * with InvalidRequestContext — office.js's own messages (OfficeExtension.CoreErrorCodes and its
 * resource strings): "The object path '…' isn't working for what you're trying to do. If you're
 * using the object across multiple "context.sync" calls and outside the sequential execution of a
 * ".run" batch, please use the "context.trackedObjects.add()" and "context.trackedObjects.remove()"
 * methods to manage the object's lifetime." and "Cannot use the object across different request
 * contexts." (also https://learn.microsoft.com/javascript/api/office/officeextension.clientrequestcontext#office-officeextension-clientrequestcontext-trackedobjects-member).
 */
export const invalidObjectPath = () => new OfficeError("InvalidObjectPath", `The object path isn't working for what you're trying to do. If you're using the object across multiple "context.sync" calls and outside the sequential execution of a ".run" batch, please use the "context.trackedObjects.add()" and "context.trackedObjects.remove()" methods to manage the object's lifetime.`);
export const invalidRequestContext = () => new OfficeError("InvalidRequestContext", "Cannot use the object across different request contexts.");
