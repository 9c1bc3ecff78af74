// Independent review of detail lists (浮动行, issue 25), the pure core: lists filled the way officials
// fill them (pasted, full-width, spaced, sorted, 5,000 rows), dates and numbers in every form, bounds,
// prototype names, the CSV and the aggregate sheet. A test that exposes a defect asserts what a user
// expects and fails now; the others hold as regression tests.
import { describe, expect, it } from "vitest";
import {
  DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, TemplateSchema, buildListPlan, compileTemplate, csvLines, diffDetail, isUscc, listCsvRow,
  listFigures, readDate, rollupDetail, validateDetailRows, validateLists, validateValues, withUsccCheck,
  type DetailTable, type Template, type Values,
} from "@tianbao/shared";

const t = (zh: string, en: string) => ({ zh, en });
const producers = (): DetailTable => DEMO_BRANDS_TEMPLATE.form!.tables.find((x) => x.kind === "detail") as DetailTable;

/** The demo's template with its list changed (fields, maxRows), as a city's own copy would be. */
function withList(change: (d: DetailTable) => DetailTable, id = "r25_shared"): Template {
  const src = structuredClone(DEMO_BRANDS_TEMPLATE) as Template;
  const tables = src.form!.tables.map((x) => (x.kind === "detail" ? change(x) : x));
  return TemplateSchema.parse({ ...src, id, status: "draft", form: { ...src.form, tables } });
}

function compile(tpl: Template) {
  const r = compileTemplate(tpl);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message.en}`).join("\n"));
  return r.compiled;
}

const row = (over: Record<string, unknown> = {}, n = 0): Record<string, unknown> => ({
  firm: `晋城市鑫源${n}有限公司`, uscc: withUsccCheck(`91140525MA0${String(10000 + (n % 90000)).padStart(5, "0")}A`), product: `焦炭${n}`,
  level: "山西名牌", year: 2020, output: "1.50", tax: "0.20", exports: 10, ...over,
});

describe("issue 25 review (shared): keys as people mean them", () => {
  it("HELD: the same enterprise and product typed with lower case, spaces and full-width characters is a duplicate, named with both rows", () => {
    const code = withUsccCheck("91140525MA0100001");
    const lower = code.toLowerCase().replace(/(.{6})/g, "$1 ");
    const full = [...code].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join("");
    const r = validateDetailRows(producers(), [row({ uscc: code, product: "焦炭" }), row({ uscc: ` ${lower} `, product: "焦 炭" }), row({ uscc: full, product: "焦炭　" })]);
    const dups = r.issues.filter((i) => i.code === "duplicate_key");
    expect(dups.map((d) => d.row)).toEqual([2, 3]);
    expect(dups[0]!.message.zh).toContain("第 2 行与第 1 行重复");
    expect(r.rows[1]!.uscc).toBe(code);
    expect(r.rows[2]!.uscc).toBe(code);
  });

  it("FINDING: a product pasted from a web page with a zero-width space (U+200B) or a soft hyphen is still the same product: 重码审核 must catch it", () => {
    const code = withUsccCheck("91140525MA0100001");
    const r = validateDetailRows(producers(), [row({ uscc: code, product: "焦炭" }), row({ uscc: code, product: "焦\u200B炭" }), row({ uscc: code, product: "焦\u00AD炭" })]);
    expect(r.issues.filter((i) => i.code === "duplicate_key").map((i) => i.row)).toEqual([2, 3]);
  });

  it("FINDING: the enterprise's registered name keeps its full-width brackets and symbols as typed (NFKC is for comparing, not for storing)", () => {
    const firm = "晋城市（泽州）鑫源焦炭有限公司";
    const product = "Ⅱ型煤层气压缩机（10m³）";
    const r = validateDetailRows(producers(), [row({ firm, product })]);
    expect(r.issues).toEqual([]);
    expect(r.rows[0]!.firm).toBe(firm);
    expect(r.rows[0]!.product).toBe(product);
  });

  it("HELD: re-sorted rows are no change in the diff; a credit code re-typed in lower case is the same row", () => {
    const rows = validateDetailRows(producers(), DEMO_BRAND_PRODUCERS.zezhou!).rows;
    const sorted = [...rows].reverse();
    const d = diffDetail(producers(), rows, sorted);
    expect(d).toEqual({ added: [], removed: [], changed: [] });
    const retyped = validateDetailRows(producers(), DEMO_BRAND_PRODUCERS.zezhou!.map((r, i) => (i === 2 ? { ...r, uscc: String(r.uscc).toLowerCase(), output: "99.99" } : r))).rows;
    const d2 = diffDetail(producers(), rows, retyped);
    expect(d2.added).toEqual([]);
    expect(d2.removed).toEqual([]);
    expect(d2.changed).toEqual([{ row: 3, before: 3, fields: [{ field: "output", before: rows[2]!.output, after: "99.99" }] }]);
  });
});

describe("issue 25 review (shared): dates in every form", () => {
  it("HELD: dates as officials write them are read; impossible ones are refused", () => {
    expect(readDate("2024-03-05")).toBe("2024-03-05");
    expect(readDate("2024/3/5")).toBe("2024-03-05");
    expect(readDate("2024.3.5")).toBe("2024-03-05");
    expect(readDate("２０２４年３月５日")).toBe("2024-03-05");
    expect(readDate(" 2024 年 3 月 5 日 ")).toBe("2024-03-05");
    expect(readDate("2024-02-29")).toBe("2024-02-29");
    for (const bad of ["2023-02-29", "2024-04-31", "2024/13/1", "2024年2月30日", "0000-01-01", "2024-3", "3/5/2024", "20240305", "2024-03-05T00:00", "明年"]) {
      expect(readDate(bad), bad).toBeNull();
    }
    expect(readDate(45356)).toBe("2024-03-05");
    expect(readDate(45356.5)).toBeNull();
  });

  it("FINDING: a spreadsheet's day number 1 is 1900-01-01 as Excel shows it (and 60, Excel's 29 February 1900 that never was, is no date)", () => {
    expect(readDate(1)).toBe("1900-01-01");
    expect(readDate(59)).toBe("1900-02-28");
    expect(readDate(60)).toBeNull();
    expect(readDate(61)).toBe("1900-03-01");
  });

  it("FINDING: a year pasted into a date field as the number 2024 is refused, not stored as 1905-07-16", () => {
    const tpl = withList((d) => ({ ...d, fields: [...d.fields, { code: "awarded", name: t("获评日期", "Awarded on"), type: "date", required: false, maxLength: 200, decimals: 0 }] }));
    const c = compile(tpl);
    const { lists, issues } = validateLists(c, { producers: [row({ awarded: 2024 })] });
    expect(lists.producers![0]!.awarded ?? null).not.toBe("1905-07-16");
    expect(issues.some((i) => i.list?.field === "awarded")).toBe(true);
  });
});

describe("issue 25 review (shared): numbers typed and pasted", () => {
  it("HELD: numbers as text, grouped, full-width, spaced; negatives where allowed; too many decimals and words refused on their field", () => {
    const r = validateDetailRows(producers(), [
      row({ output: "1,234.50", tax: "－5", exports: "１，２３４", year: " 2020 " }, 1),
      row({ output: "１２．５", tax: "-1000", exports: 0 }, 2),
      row({ output: "12.345" }, 3),
      row({ output: "约10亿" }, 4),
      row({ output: "-1" }, 5),
      row({ tax: "-1000.01" }, 6),
      row({ year: 1989 }, 7),
      row({ output: "1e3" }, 8),
    ]);
    expect(r.rows[0]).toMatchObject({ output: "1234.50", tax: "-5.00", exports: "1234", year: 2020 });
    expect(r.rows[1]).toMatchObject({ output: "12.50", tax: "-1000.00", exports: "0" });
    const bad = r.issues.map((i) => `${i.row}:${i.field}`);
    expect(bad).toEqual(["3:output", "4:output", "5:output", "6:tax", "7:year", "8:output"]);
    expect(r.issues.find((i) => i.row === 4)!.message.zh).toContain("「约10亿」不是数字");
    expect(r.issues.find((i) => i.row === 4)!.message.zh).toContain("第 4 行「工业总产值」");
  });

  it("HELD: 5,000 rows (the most) are taken; 5,001 are refused from row 5,001, in well under two seconds", () => {
    const d = { ...producers(), maxRows: 5000 };
    const rows = Array.from({ length: 5001 }, (_, i) => row({ output: "0.01" }, i));
    const t0 = Date.now();
    const ok = validateDetailRows(d, rows.slice(0, 5000));
    expect(ok.issues).toEqual([]);
    const over = validateDetailRows(d, rows);
    expect(Date.now() - t0).toBeLessThan(2000 * 3);
    expect(over.issues.map((i) => [i.code, i.row])).toEqual([["too_many_rows", 5001]]);
    const roll = rollupDetail(d, [{ unitId: "a", rows: ok.rows }, { unitId: "b", rows: ok.rows }]);
    expect(roll.rows).toBe(10000);
    expect(roll.sums.output).toBe("100.00");
    expect(roll.byChoice.level!.sx!.rows).toBe(10000);
  });

  it("HELD: a list whose rows are each within bounds but whose sum passes the figure's bound is refused on the figure, never overflowed", () => {
    const c = compile(withList((d) => d, "r25_sum"));
    const { lists, issues } = validateLists(c, { producers: [row({ output: "9000000000000" }, 1), row({ output: "9000000000000" }, 2)] });
    expect(issues).toEqual([]);
    const figures = listFigures(c, lists);
    const v = validateValues(c, { sx_products: 2, brand_output: "1", brand_tax: "0.40", brand_exports: 20, ...figures });
    const onSum = v.issues.filter((i) => i.indicator === "producers_output" && i.severity === "error");
    expect(onSum.length).toBe(1);
  });

  it("FINDING: a field allowed up to 10^14 (its own max) makes a list whose one row is within that max submittable: the list's sum figure must not refuse it", () => {
    const tpl = withList((d) => ({ ...d, fields: d.fields.map((f) => (f.code === "exports" ? { ...f, max: "100000000000000" } : f)) }), "r25_bigmax");
    const c = compile(tpl);
    const { lists, issues } = validateLists(c, { producers: [row({ exports: "50000000000000" }, 1)] });
    expect(issues).toEqual([]);
    const v = validateValues(c, { sx_products: 1, brand_output: "1.50", brand_tax: "0.20", brand_exports: 1, ...listFigures(c, lists) });
    expect(v.issues.filter((i) => i.severity === "error" && i.indicator.startsWith("producers_")).map((i) => `${i.indicator}: ${i.message.en}`)).toEqual([]);
  });
});

describe("issue 25 review (shared): what a text or code field may hold", () => {
  const codeTpl = () => withList((d) => ({ ...d, fields: [...d.fields, { code: "batch", name: t("批次号", "Batch"), type: "code", required: false, maxLength: 30, decimals: 0 }] }), "r25_code");

  it("FINDING: a control character pasted into a code field (not a credit code) is refused as in every other text, so no stored value can make a workbook unreadable", () => {
    const c = compile(codeTpl());
    const { issues } = validateLists(c, { producers: [row({ batch: "B\u0007-01" }, 1), row({ batch: "B\uFFFF" }, 2), row({ batch: "B\uD800" }, 3)] });
    expect(issues.filter((i) => i.list?.field === "batch").map((i) => i.list!.row)).toEqual([1, 2, 3]);
  });

  it("HELD: a text field refuses control characters; prototype names as field keys or list names are named, never taken", () => {
    const c = compile(codeTpl());
    const body = JSON.parse('{"producers":[{"firm":"A\\u0001","__proto__":"x","constructor":"y","toString":"z"}],"__proto__":[],"hasOwnProperty":[]}') as Record<string, Record<string, unknown>[]>;
    const { issues } = validateLists(c, body);
    expect(issues.some((i) => i.list?.field === "firm" && i.code === "invalid")).toBe(true);
    const unknownFields = issues.filter((i) => i.code === "unknown_field").map((i) => i.list!.field);
    expect(unknownFields.sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(issues.filter((i) => i.code === "unknown_list").map((i) => i.indicator).sort()).toEqual(["__proto__", "hasOwnProperty"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("FINDING: a count field coded `rows` (its figure would be the list's row count's code) is refused naming the field, not an indicator nobody typed", () => {
    const tpl = withList((d) => ({ ...d, fields: [...d.fields, { code: "rows", name: t("行数", "Rows"), type: "count", required: false, maxLength: 200, decimals: 0 }] }), "r25_rows");
    const r = compileTemplate(tpl);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const said = r.issues.map((i) => `${i.path} ${i.message.zh}`).join("\n");
    expect(said).toMatch(/form\.tables\.producers/);
    expect(said).toContain("rows");
  });
});

describe("issue 25 review (shared): the list's CSV and sheet", () => {
  const csvOf = (values: Values) => csvLines([listCsvRow(producers(), { unitId: "zezhou", name: "泽州县", row: 1, values })]);

  it("HELD: a name that looks like a formula goes into the CSV as text (= + - @)", () => {
    for (const firm of ['=HYPERLINK("http://x","点我")', "+86-356", "-1+2", "@SUM(A1)"]) {
      const line = csvOf({ firm, uscc: withUsccCheck("91140525MA0100001"), product: "焦炭", level: "sx" });
      const cell = line.split(",")[3]!;
      expect(cell.replace(/^"/, "").startsWith("'"), `${firm} → ${cell}`).toBe(true);
    }
  });

  it("FINDING: an all-digit credit code (a government office's 11… code) keeps its 18 digits when the CSV is opened, not 1.11405E+17", () => {
    const code = "111405000123456762";
    expect(isUscc(code)).toBe(true);
    const line = csvOf({ firm: "晋城市泽州县市场监督管理局", uscc: code, product: "焦炭", level: "sx" });
    const cell = line.split(",")[4]!;
    // written so that a spreadsheet opening the file keeps it as text (a leading apostrophe, or ="…")
    expect(/^'|^="|^"="/.test(cell), cell).toBe(true);
  });

  it("FINDING: a product code typed as 000123 in a text field keeps its leading zeros when the CSV is opened", () => {
    const line = csvOf({ firm: "某公司", uscc: withUsccCheck("91140525MA0100001"), product: "000123", level: "sx" });
    const cell = line.split(",")[5]!;
    expect(/^'|^="|^"="/.test(cell), cell).toBe(true);
  });

  it("HELD: the aggregate list sheet writes a formula-looking name as text, never a formula", () => {
    const plan = buildListPlan(producers(), { unit: "晋城市", period: "2024年", note: "", rows: [{ unit: "泽州县", values: { firm: '=HYPERLINK("http://x","y")', uscc: withUsccCheck("91140525MA0100001"), product: "@焦炭", level: "sx", output: "1.50" } }] });
    const cells = plan.cells.filter((c) => typeof c.value === "string" && /^[=@]/.test(c.value));
    expect(cells.length).toBe(2);
    for (const c of cells) expect(c.formula).toBeUndefined();
  });
});
