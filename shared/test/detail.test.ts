// Issue 25, detail lists (浮动行) in the pure core: fields read as typed, a list checked row by row and as a
// whole (rows allowed, required fields, keys repeated as people write them), lists rolled up with their
// unit and exact totals by choice, and the difference between two revisions by key.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DetailTableSchema, diffDetail, isUscc, readDate, rollupDetail, detailTableIssues, validateDetailRows, type DetailTable } from "@tianbao/shared";

const t = (zh: string, en: string) => ({ zh, en });
/** The famous-brand producers of a city: 企业名称, 统一社会信用代码, 产品, 品牌级别, 获评年份, 产值, 利税, 出口额. */
const BRANDS: DetailTable = DetailTableSchema.parse({
  code: "brands", formNo: "质兴4表", name: t("名牌产品生产企业", "Famous-brand producers"), kind: "detail",
  fields: [
    { code: "firm", name: t("企业名称", "Enterprise"), type: "text", required: true },
    { code: "uscc", name: t("统一社会信用代码", "Credit code"), type: "code", check: "uscc", required: true },
    { code: "product", name: t("产品", "Product"), type: "text", required: true },
    { code: "level", name: t("品牌级别", "Brand level"), type: "choice", required: true, options: [
      { code: "cn", name: t("中国名牌", "China famous brand") }, { code: "sx", name: t("山西名牌", "Shanxi famous brand") }, { code: "icon", name: t("山西标志性名牌", "Shanxi iconic brand") }] },
    { code: "year", name: t("获评年份", "Year awarded"), type: "count", min: "1990", max: "2100" },
    { code: "since", name: t("认定日期", "Recognised on"), type: "date" },
    { code: "exporter", name: t("出口企业", "Exporter"), type: "yesno" },
    { code: "output", name: t("工业总产值", "Output"), type: "amount", unit: "亿元", decimals: 2 },
    { code: "tax", name: t("利税", "Profit and tax"), type: "amount", unit: "亿元", decimals: 2, min: "-1000" },
    { code: "exports", name: t("出口额", "Exports"), type: "amount", unit: "万美元", decimals: 0 },
  ],
  key: ["uscc", "product"],
  maxRows: 2000,
});
const CODES = ["91350100M000100Y43", "91110108551385082Q"];

describe("a field read as officials type it", () => {
  it("checks a 统一社会信用代码 by its check character (GB 32100-2015), whatever its spacing, case or width", () => {
    expect(CODES.every(isUscc)).toBe(true);
    expect(isUscc("91350100M000100Y44")).toBe(false);
    expect(isUscc("9135010OM000100Y43")).toBe(false); // O is not a character a credit code uses
    const { rows, issues } = validateDetailRows(BRANDS, [{ firm: "甲", uscc: " ９１３５０１００ｍ０００１００ｙ４３ ", product: "焦炭", level: "山西名牌" }]);
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({ uscc: "91350100M000100Y43", level: "sx" });
  });

  it("reads dates as they are written, and a spreadsheet's day number; refuses a day that does not exist", () => {
    expect(["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", " 2024 年 3 月 5 日 ", 45356].map(readDate)).toEqual(Array(6).fill("2024-03-05"));
    expect([readDate("2024-02-30"), readDate("2023-02-29"), readDate("5/3/2024"), readDate(true)]).toEqual([null, null, null, null]);
    expect(readDate("2024-02-29")).toBe("2024-02-29");
  });
});

describe("a list checked", () => {
  const row = (i: number, over: Record<string, unknown> = {}) => ({ firm: `企业${i}`, uscc: CODES[i % 2], product: `产品${i}`, level: "sx", output: "1.00", ...over });

  it("names each problem by its row and field, in Chinese and English: text in an amount, a bad credit code, a blank required field in the middle", () => {
    const { issues } = validateDetailRows(BRANDS, [row(1), row(2, { output: "约10亿" }), row(3, { uscc: "91350100M000100Y44" }), row(4, { firm: "  " }), row(5, { year: 1980 })]);
    expect(issues.map((i) => [i.row, i.field, i.code])).toEqual([[2, "output", "invalid"], [3, "uscc", "invalid"], [4, "firm", "required"], [5, "year", "invalid"]]);
    expect(issues[0]!.message.zh).toBe("第 2 行「工业总产值」：「约10亿」不是数字（请只填写数字，如 1470、1,470 或 68.68）");
    expect(issues[1]!.message).toEqual({ zh: "第 3 行「统一社会信用代码」：「91350100M000100Y44」不是有效的统一社会信用代码（校验位不符，请核对）", en: "row 3, 'Credit code': '91350100M000100Y44' is not a valid unified social credit code (its check character does not match)" });
    expect(issues[2]!.message.zh).toBe("第 4 行「企业名称」必填");
  });

  it("finds the same enterprise and product twice though typed with other spacing, width or case, naming both rows", () => {
    const { issues } = validateDetailRows(BRANDS, [row(1, { product: "Coke 焦炭" }), row(2), row(3, { uscc: CODES[1]!.toLowerCase().replace(/(.{6})/, "$1 "), product: "ｃｏｋｅ　焦炭" })]);
    expect(issues).toEqual([{ row: 3, field: "uscc", code: "duplicate_key", severity: "error", message: {
      zh: "第 3 行与第 1 行重复（统一社会信用代码 + 产品 相同）", en: "row 3 repeats row 1 (the same Credit code + Product)" } }]);
  });

  it("refuses a list longer than the table allows, at the first row over, and reads no further", () => {
    const small = { ...BRANDS, maxRows: 3, key: [] };
    const { rows, issues } = validateDetailRows(small, [row(1), row(2), row(3), row(4), row(5, { output: "x" })]);
    expect(rows).toHaveLength(3);
    expect(issues).toEqual([expect.objectContaining({ row: 4, code: "too_many_rows", message: expect.objectContaining({ zh: "「名牌产品生产企业」共 5 行，超过本表上限 3 行（第 4 行起）" }) })]);
  });

  it("takes JS prototype names as unknown fields, never as anything else", () => {
    const hostile = JSON.parse('{"firm":"甲","uscc":"91350100M000100Y43","product":"p","level":"cn","__proto__":{"x":1},"constructor":"y","toString":"z"}') as Record<string, unknown>;
    const { rows, issues } = validateDetailRows(BRANDS, [hostile]);
    expect(issues.map((i) => i.field).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.keys(rows[0]!).sort()).toEqual(["firm", "level", "product", "uscc"]);
  });

  it("a table's own definition: a key naming no field, a choice without options, an amount without a unit", () => {
    const bad = DetailTableSchema.parse({ ...BRANDS, key: ["uscc", "nope"], fields: [...BRANDS.fields.filter((f) => f.code !== "level"), { code: "level", name: t("级别", "Level"), type: "choice" }, { code: "v", name: t("值", "Value"), type: "amount" }] });
    expect(detailTableIssues(bad).map((i) => i.path)).toEqual(["fields.level", "fields.v", "key"]);
    expect(detailTableIssues(BRANDS)).toEqual([]);
  });
});

describe("lists rolled up", () => {
  it("the city's list is its counties' rows with their unit; counts and exact sums overall and by brand level (21 Shanxi famous-brand producers: 210 亿元, 32 亿元, 8,662 万美元)", () => {
    // the seeds' Jincheng: 21 山西名牌 producers with 210 亿元 output, 32 亿元 profit and tax, 8,662 万美元 exports
    const counties = ["zezhou", "gaoping", "yangcheng"];
    const reports = counties.map((unitId, k) => ({ unitId, rows: Array.from({ length: 7 }, (_, i) => ({
      firm: `${unitId}企业${i}`, uscc: CODES[0]!, product: `产品${k}-${i}`, level: i === 0 && k === 0 ? "cn" : "sx",
      output: "10.00", tax: i === 0 && k === 0 ? "1.60" : "1.52", exports: i === 0 && k === 0 ? "422" : "412",
    })) }));
    const r = rollupDetail(BRANDS, reports);
    expect(r.list).toHaveLength(21);
    expect(r.list[7]).toMatchObject({ unitId: "gaoping", values: { firm: "gaoping企业0" } });
    expect(r.sums).toMatchObject({ output: "210.00", tax: "32.00", exports: "8662" });
    expect(r.byChoice.level).toEqual({
      cn: { rows: 1, sums: { year: null, output: "10.00", tax: "1.60", exports: "422" } },
      sx: { rows: 20, sums: { year: null, output: "200.00", tax: "30.40", exports: "8240" } },
      icon: { rows: 0, sums: { year: null, output: null, tax: null, exports: null } },
    });
    // the province's roll-up of its cities' roll-ups is the roll-up of every county
    const up = rollupDetail(BRANDS, [{ unitId: "jincheng", rows: r.list.map((x) => x.values) }]);
    expect(up.sums).toEqual(r.sums);
  });

  it("sums are exact whatever the rows: the total of a list equals the sum of its parts' totals (property)", () => {
    const amount = fc.integer({ min: -100000, max: 10_000_000 }).map((n) => (n / 100).toFixed(2));
    fc.assert(fc.property(fc.array(fc.array(fc.record({ tax: fc.option(amount, { nil: null }), level: fc.constantFrom("cn", "sx", "icon") }), { maxLength: 30 }), { maxLength: 6 }), (lists) => {
      const reports = lists.map((rows, i) => ({ unitId: `u${i}`, rows }));
      const all = rollupDetail(BRANDS, reports);
      const cents = lists.flat().map((r) => r.tax).filter((v): v is string => v !== null).map((v) => BigInt(v.replace(".", "")));
      const want = cents.length === 0 ? null : (() => { const s = cents.reduce((a, b) => a + b, 0n); const neg = s < 0n; const a = neg ? -s : s; return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`; })();
      expect(all.sums.tax).toBe(want);
      expect(all.rows).toBe(lists.flat().length);
      expect(Object.values(all.byChoice.level!).reduce((n, g) => n + g.rows, 0)).toBe(all.rows);
    }), { numRuns: 200 });
  });
});

describe("the difference between two revisions of a list", () => {
  const r = (i: number, output = "1.00") => ({ firm: `企业${i}`, uscc: CODES[0]!, product: `产品${i}`, level: "sx", output });
  it("matches rows by key: sorted otherwise is no change; one row changed, one added, one removed", () => {
    const before = [r(1), r(2), r(3)];
    expect(diffDetail(BRANDS, before, [r(3), r(1), r(2)])).toEqual({ added: [], removed: [], changed: [] });
    const d = diffDetail(BRANDS, before, [r(2, "2.50"), r(1), r(4)]);
    expect(d.changed).toEqual([{ row: 1, before: 2, fields: [{ field: "output", before: "1.00", after: "2.50" }] }]);
    expect(d.added.map((x) => x.values.firm)).toEqual(["企业4"]);
    expect(d.removed.map((x) => x.values.firm)).toEqual(["企业3"]);
  });

  it("a 2,000-row list with one row changed is one change", () => {
    const before = Array.from({ length: 2000 }, (_, i) => r(i));
    const after = before.map((x, i) => (i === 1234 ? { ...x, output: "9.99" } : x));
    const d = diffDetail(BRANDS, before, after);
    expect([d.added.length, d.removed.length, d.changed.length]).toEqual([0, 0, 1]);
    expect(validateDetailRows(BRANDS, after).issues).toEqual([]);
  });
});
