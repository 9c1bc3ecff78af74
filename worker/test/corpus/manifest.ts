import { BUILTIN_TEMPLATE } from "@tianbao/shared";
import { CORPUS } from "./ids";

/**
 * The expected answer for every corpus file (worker/test/corpus/files, made by
 * scripts/corpus/make.mjs) on each of the three upload routes: the exact figures stored or
 * previewed, or a refusal whose error names the problem (`where`, and phrases its message holds).
 * Written by hand from what the file shows a person in Excel or LibreOffice — never copied from
 * what the reader happens to answer.
 */
export const ROUTES = ["fill", "designer", "directory"] as const;
export type Route = (typeof ROUTES)[number];

/** Accepted (200; a fill sheet: 201 for the report's first revision, 200 for a later one, both "stored"), or refused. */
export type Answer =
  | { status: 200 | 201; values?: Record<string, unknown>; comments?: Record<string, string>; template?: { indicatorCount: number }; jumps?: Record<string, number>; preview?: Preview }
  | { status: number; where?: string; says: string[] };
/** What a 单位与账号 preview would do; problems by cell, each with phrases its message holds. */
export interface Preview { unitsCreated: unknown[]; unitsChanged: unknown[]; accountsCreated: unknown[]; accountsChanged: unknown[]; problems: { cell: string; says: string[] }[] }
type Entry = { made: string } & Record<Route, Answer>;

const FILL_SHEET = "晋城市2025年-语料县";
const c = CORPUS.current;
/** The figures typed in the file before any edit, a few of each kind. */
const TYPED = { products: c.products, work_funds: c.work_funds, brand_output: c.brand_output, above_exports: c.above_exports, cn_famous_brands: c.cn_famous_brands, drive_status: c.drive_status, leading_group: c.leading_group, remarks: c.remarks };
const accepted = (values: Record<string, unknown> = {}, comments?: Record<string, string>): Answer => ({ status: 201, values: { ...TYPED, ...values }, ...(comments ? { comments } : {}) });
const refused = (status: number, where: string | undefined, ...says: string[]): Answer => ({ status, ...(where !== undefined ? { where } : {}), says });

// a workbook that is not the route's own kind: refused naming what is missing
const NOT_FILL = refused(422, "A2", "填报表");
const NOT_DESIGNER = refused(422, "模板", "模板");
const NOT_DIRECTORY = refused(422, undefined, "单位");
const PASSWORD = refused(415, undefined, "密码", "password");

const fill = (made: string, answer: Answer): Entry => ({ made, fill: answer, designer: NOT_DESIGNER, directory: NOT_DIRECTORY });
const designer = (made: string, answer: Answer): Entry => ({ made, fill: NOT_FILL, designer: answer, directory: NOT_DIRECTORY });
const directory = (made: string, answer: Answer): Entry => ({ made, fill: NOT_FILL, designer: NOT_DESIGNER, directory: answer });

const INDICATORS = BUILTIN_TEMPLATE.indicators.length;
const { units: [u], accounts: [a] } = CORPUS.directory;
const PREVIEW: Preview = {
  unitsCreated: [{ id: u!.id, name: u!.name, level: u!.level, parentId: u!.parentId, contactName: u!.contactName, contactPhone: u!.contactPhone }],
  unitsChanged: [], accountsCreated: [{ username: a!.username, displayName: a!.displayName, role: a!.role, unitId: a!.unitId }], accountsChanged: [], problems: [],
};

export const MANIFEST: Record<string, Entry> = {
  // ---- the fill sheet
  "f01-lo-zh-resave.xlsx": fill("LibreOffice zh-CN: opened and saved again, no edit", accepted()),
  "f04-lo-zh-typed.xlsx": fill("LibreOffice zh-CN: 520 typed in D29, 3月1日 in the Text answer D56, 12.5% in the Text 说明 F29", accepted({ products: 520, remarks: "3月1日" }, { products: "12.5%" })),
  "f05-lo-de-typed.xlsx": fill("LibreOffice de-DE: 58,9 typed in D22 and 2.750,5 in D39 (decimal comma, grouping dot)", accepted({ brand_output: "58.90", above_exports: "2750.50" })),
  "f06-lo-zh-swap-columns.xlsx": fill("LibreOffice zh-CN: 上期数值 moved in front of 本期数值", refused(422, "D4", "本期数值")),
  "f07-lo-zh-insert-column.xlsx": fill("LibreOffice zh-CN: a blank column inserted before 本期数值", refused(422, "D4", "本期数值")),
  "f08-lo-zh-backup-first.xlsx": fill("LibreOffice zh-CN: a backup copy 备份 placed first, the real sheet then corrected", refused(422, FILL_SHEET, "备份", FILL_SHEET)),
  "f09-lo-zh-last-year-first.xlsx": fill("LibreOffice zh-CN: last year's sheet (r2024) first, this round's filled sheet second", accepted()),
  "f11-openpyxl-other-unit.xlsx": fill("openpyxl: this round's sheet of another county (泽州县, outside the reporter's subtree, so not named)", refused(422, "A2", "另一单位", CORPUS.unitName)),
  // LibreOffice, unlike Excel, keeps the cell's 0.00 format when 45% is typed, so the cell shows 0.45
  "f12-lo-zh-percent-typed-in-amount.xlsx": fill("LibreOffice zh-CN: 45% typed in the 万元 cell D12 (LibreOffice keeps 0.00 and shows 0.45)", accepted({ work_funds: "0.45" })),
  "f13-openpyxl-percent-in-amount.xlsx": fill("openpyxl (as Excel stores 45% typed): 0.45 under 0% in the 万元 cell D12", refused(422, "D12", "45%")),
  // LibreOffice parses 3月1日 as 1 March of the year it is typed in (the file was made in 2026:
  // serial 46082) and keeps the cell's 0 format, so the cell shows 46082: read as shown. Making the
  // file again in another year changes the serial, and this answer with it.
  "f14-lo-zh-date-in-count.xlsx": fill("LibreOffice zh-CN: 3月1日 typed in the count cell D14 (a date serial under the cell's 0 format: it shows 46082)", accepted({ cn_famous_brands: 46082 })),
  "f15-openpyxl-date-percent-in-text.xlsx": fill("openpyxl: a date under m月d日 in the text answer D56, 0.125 under 0.0% in the 说明 F14", accepted({ remarks: "3月1日" }, { cn_famous_brands: "12.5%" })),
  "f16-openpyxl-na-in-count.xlsx": fill("openpyxl: the error value #N/A in the count cell D14", refused(422, "D14", "#N/A")),
  "f17-openpyxl-div0-in-text.xlsx": fill("openpyxl: the error value #DIV/0! in the text answer D56", refused(422, "D56", "#DIV/0!")),
  "f18-openpyxl-17-digits.xlsx": fill("openpyxl: 30.299999999999997 in D22 and 14.200000000000001 in D12, pasted from calculations", accepted({ brand_output: "30.30", work_funds: "14.20" })),
  "f19-openpyxl-over-rate.xlsx": fill("openpyxl: 45% typed over the computed 标准覆盖率 D32", refused(422, "D32", "D32")),
  "f20-lo-zh-hidden-notes-first.xlsx": fill("LibreOffice zh-CN: a notes sheet added first, the fill sheet hidden", accepted()),
  "f21-lo-zh-chart.xlsx": fill("LibreOffice zh-CN: a chart placed on the fill sheet", accepted()),
  "f22-lo-zh-password.xlsx": { made: "LibreOffice zh-CN: saved with an opening password (ECMA-376 Standard encryption)", fill: PASSWORD, designer: PASSWORD, directory: PASSWORD },
  "f23-lo-zh-blank.xlsx": { made: "LibreOffice zh-CN: a new blank workbook", fill: NOT_FILL, designer: NOT_DESIGNER, directory: NOT_DIRECTORY },
  "f24-openpyxl-blank.xlsx": { made: "openpyxl: a new blank workbook", fill: NOT_FILL, designer: NOT_DESIGNER, directory: NOT_DIRECTORY },
  "f25-lo-zh-unrelated.xlsx": { made: "LibreOffice zh-CN: someone's own product list with a SUM", fill: NOT_FILL, designer: NOT_DESIGNER, directory: NOT_DIRECTORY },
  "f26-xml-embedded-worksheet.xlsx": fill("f01 with an embedded Excel worksheet object added as Excel lays one out (xl/embeddings, a package relationship, <oleObjects>)", accepted()),
  "f27-openpyxl-date-in-count.xlsx": fill("openpyxl (as Excel zh-CN stores 3月1日 typed): a date under yyyy年m月d日 in the count cell D14", refused(422, "D14", "日期")),
  // ---- the designer workbook
  "d01-lo-zh-resave.xlsx": designer("LibreOffice zh-CN: the built-in template's designer workbook saved again", { status: 200, template: { indicatorCount: INDICATORS }, jumps: { work_funds: 200 } }),
  "d02-lo-de-typed-30pct.xlsx": designer("LibreOffice de-DE: 30% typed in 环比提示 % of work_funds (K9; stored as 0.3 under 0.00 %)", { status: 200, template: { indicatorCount: INDICATORS }, jumps: { work_funds: 30 } }),
  "d03-openpyxl-30pct-number.xlsx": designer("openpyxl (as Excel stores 30% typed): 0.3 under 0% in 环比提示 % of work_funds", { status: 200, template: { indicatorCount: INDICATORS }, jumps: { work_funds: 30 } }),
  "d04-lo-zh-renamed-sheet.xlsx": designer("LibreOffice zh-CN: the sheet 指标 renamed 指标（新）", refused(422, "指标", "指标")),
  "d05-lo-zh-insert-column.xlsx": designer("LibreOffice zh-CN: a column inserted in 指标 before 类型", refused(422, "指标!E1", "类型")),
  "d06-openpyxl-past-z.xlsx": designer("openpyxl: a note typed in 指标!AB3, past column Z", refused(422, undefined, "Z")),
  // ---- the 单位与账号 workbook
  "u01-lo-zh-resave.xlsx": directory("LibreOffice zh-CN: saved again, no edit", { status: 200, preview: PREVIEW }),
  "u02-lo-de-typed-landline.xlsx": directory("LibreOffice de-DE: a second unit typed in, its landline 03562021235 in the Text phone column", {
    status: 200,
    preview: { ...PREVIEW, unitsCreated: [...PREVIEW.unitsCreated, { id: "corpus_new2", name: { zh: "语料二区", en: "Corpus New 2" }, level: "county", parentId: "jincheng", contactName: "王五", contactPhone: "03562021235" }] },
  }),
  // the preview answers 200 but flags the cell, so applying it is refused (a problem on its cell)
  "u03-openpyxl-landline-number.xlsx": directory("openpyxl: the phone written as the number 3562021234 in a General cell (its 0 already lost)", {
    status: 200,
    preview: { ...PREVIEW, unitsCreated: [{ ...(PREVIEW.unitsCreated[0] as object), contactPhone: null }], problems: [{ cell: "单位!G3", says: ["3562021234", "0", "文本"] }] },
  }),
  "u04-lo-zh-renamed-sheets.xlsx": directory("LibreOffice zh-CN: the sheets renamed Units and Accounts (found by their header rows)", { status: 200, preview: PREVIEW }),
  "u05-lo-zh-insert-column.xlsx": directory("LibreOffice zh-CN: a column inserted in 单位 before 英文名称", refused(422, "单位!C1", "英文名称")),
  "u06-openpyxl-no-accounts-sheet.xlsx": directory("openpyxl: the sheet 账号 deleted", refused(422, undefined, "账号")),
};
