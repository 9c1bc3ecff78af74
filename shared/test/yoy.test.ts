// Issue 24, 上年同期 and 同比 columns of a list table: each count or amount x gets x_ly (上年同期, typed or
// filled from last year), x_yoy (同比增减) and x_yoyp (同比增长 %). At every level 同比 is like with like:
// the ratio of the sums over the units that reported both x and x_ly, never an average of rates and
// never mixing units present in one period only. Checked here against an independent bigint computation.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  TemplateSchema, addCounters, aggregateReports, buildDesignerPlans, buildTotalsPlan, compileTemplate, countersOf, derivedValues, expandForm, parseDesigner,
  planGrid, totalsAsColumn, totalsCsvRows, totalsFromCounters, DESIGNER_SHEETS,
  type CellValue, type CompiledTemplate, type Counters, type SheetPlan, type Template, type TemplateInput, type UnitReport, type Values,
} from "@tianbao/shared";

const source = (extra: Partial<TemplateInput> = {}, yoy = true): Template => TemplateSchema.parse({
  id: "yoy", version: 1, status: "draft", name: { zh: "同比试验", en: "YoY test" }, periodType: "annual",
  sections: [{ code: "s1", name: { zh: "基本情况", en: "Basics" } }, { code: "s2", name: { zh: "其他", en: "Other" } }],
  indicators: [
    { code: "firms", section: "s1", kind: "count", unit: "家", required: true, name: { zh: "企业数", en: "Enterprises" } },
    { code: "rev", section: "s1", kind: "amount", unit: "万元", decimals: 2, min: "-999999999", name: { zh: "营业收入", en: "Revenue" } },
    { code: "plan", section: "s1", kind: "yesno", name: { zh: "有规划", en: "Has a plan" } },
    { code: "staff", section: "s2", kind: "count", name: { zh: "人员", en: "Staff" } },
  ],
  form: { tables: [
    { kind: "list", code: "t1", formNo: "试1表", name: { zh: "基本情况", en: "Basics" }, sections: ["s1"], yoy },
    { kind: "list", code: "t2", formNo: "试2表", name: { zh: "其他", en: "Other" }, sections: ["s2"] },
  ] },
  ...extra,
});
const compile = (t: Template): CompiledTemplate => {
  const r = compileTemplate(t);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.compiled;
};
const c = compile(source());

describe("a list table's 同比 columns (expansion)", () => {
  it("follows each count and amount with 上年同期, 同比增减 and 同比增长 %, in its section; yes/no and tables without 同比 get none", () => {
    expect(c.template.indicators.map((i) => i.code)).toEqual(["firms", "firms_ly", "firms_yoy", "firms_yoyp", "rev", "rev_ly", "rev_yoy", "rev_yoyp", "plan", "staff"]);
    expect(c.byCode.get("rev_ly")).toEqual({ code: "rev_ly", section: "s1", kind: "amount", unit: "万元", decimals: 2, min: "-999999999", required: false, name: { zh: "营业收入（上年同期）", en: "Revenue (same period last year)" }, lastYearOf: "rev" });
    expect(c.byCode.get("firms_ly")).toMatchObject({ kind: "count", unit: "家", required: false, lastYearOf: "firms" });
    expect(c.byCode.get("rev_yoy")).toMatchObject({ kind: "derived", formula: "rev - rev_ly", unit: "万元", decimals: 2, likeWithLike: true, name: { zh: "营业收入同比增减" } });
    expect(c.byCode.get("rev_yoyp")).toMatchObject({ kind: "derived", formula: "(rev - rev_ly) / ABS(rev_ly) * 100", unit: "%", decimals: 1, likeWithLike: true, name: { zh: "营业收入同比增长" } });
  });

  it("is idempotent: an expanded template read back expands to itself (turning 同比 off removes the columns)", () => {
    const again = expandForm(c.template);
    expect(again.ok && again.value.template).toEqual(c.template);
    expect(compile(c.template).template).toEqual(c.template);
    const off = compile({ ...c.template, form: { ...c.template.form!, tables: c.template.form!.tables.map((t) => (t.kind === "list" ? { ...t, yoy: false } : t)) } });
    expect(off.template.indicators.map((i) => i.code)).toEqual(["firms", "rev", "plan", "staff"]);
  });

  it("refuses, on the table, a 同比 code over 40 characters or one an indicator already has", () => {
    const long = "a".repeat(36); // long_yoy is 40 characters, long_yoyp 41
    const r1 = compileTemplate(source({ indicators: [{ code: long, section: "s1", kind: "count", name: { zh: "长", en: "Long" } }, { code: "staff", section: "s2", kind: "count", name: { zh: "人员", en: "Staff" } }] }));
    expect(!r1.ok && r1.issues.map((i) => [i.path, i.message.zh])).toEqual([["form.tables.t1", `表「试1表」的同比或累计列代码「${long}_yoyp」超过 40 个字符：请把指标「${long}」的代码改短`]]);
    const r2 = compileTemplate(source({ indicators: [{ code: "firms", section: "s1", kind: "count", name: { zh: "企业数", en: "Firms" } }, { code: "firms_yoy", section: "s2", kind: "count", name: { zh: "x", en: "x" } }] }));
    expect(!r2.ok && r2.issues.map((i) => i.path)).toEqual(["form.tables.t1"]);
    expect(!r2.ok && r2.issues[0]!.message.zh).toContain("「firms_yoy」与指标代码重复");
  });

  it("refuses a derived formula built on a 同比 figure, and a 同比 figure over anything but one pair", () => {
    const onYoy = compileTemplate({ ...c.template, indicators: [...c.template.indicators, { code: "twice", section: "s2", kind: "derived", formula: "rev_yoyp * 2", decimals: 1, required: false, name: { zh: "两倍", en: "Twice" } }] });
    expect(!onYoy.ok && onYoy.issues.map((i) => i.path)).toEqual(["indicators.twice.formula"]);
    const noForm = TemplateSchema.parse({ ...c.template, form: undefined, indicators: [...c.template.indicators.filter((i) => i.code !== "rev_yoy"), { code: "rev_yoy", section: "s1", kind: "derived", formula: "rev - firms", decimals: 2, likeWithLike: true, name: { zh: "x", en: "x" } }] });
    const bad = compileTemplate(noForm);
    expect(!bad.ok && bad.issues.map((i) => i.path)).toEqual(["indicators.rev_yoy.formula"]);
  });

  it("computes a unit's own 同比 from its two figures (the unit level is the same computation with one unit)", () => {
    const v = derivedValues(c, { firms: 12, firms_ly: 10, rev: "110.50", rev_ly: "100.00" }).values;
    expect([v.firms_yoy, v.firms_yoyp, v.rev_yoy, v.rev_yoyp]).toEqual(["2", "20.0", "10.50", "10.5"]);
    expect(aggregateReports(c, [{ unitId: "u", values: { firms: 12, firms_ly: 10, rev: "110.50", rev_ly: "100.00" } }]).indicators.rev_yoyp).toEqual({ kind: "derived", value: "10.5", units: 1 });
  });
});

type G = CellValue[][];
const gridsOf = (plans: SheetPlan[]) => {
  const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as G;
  return { template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules), tables: by(DESIGNER_SHEETS.tables), tableLines: by(DESIGNER_SHEETS.tableLines) };
};

describe("the designer's 同比 column on 表格", () => {
  it("draws 是 on a 同比 list table, and an expanded template comes back as its source (the generated columns are not drawn)", () => {
    const g = gridsOf(buildDesignerPlans(c.template));
    expect(g.tables[0]![11]).toBe("同比");
    expect(g.tables[2]![11]).toBe("是");
    expect(g.indicators.slice(2).filter((r) => r[0] !== null).map((r) => r[0])).toEqual(["firms", "rev", "plan", "staff"]);
    const r = parseDesigner(g);
    const { version: _v, status: _s, ...rest } = source();
    expect(r.ok && r.template).toEqual(rest);
  });

  it("reads 是 on a grid's row as a grid with 同比 (its generated columns not drawn on 表格行列); reads a workbook drawn before the column as before", () => {
    const withGrid = source({ form: { tables: [
      { kind: "list", code: "t1", formNo: "试1表", name: { zh: "基本情况", en: "Basics" }, sections: ["s1", "s2"] },
      { kind: "grid", code: "g", formNo: "试2表", name: { zh: "表", en: "Grid" }, rows: [{ code: "r", name: { zh: "行", en: "Row" } }], columns: [{ code: "n", name: { zh: "数", en: "N" }, kind: "count" }] },
    ] } });
    const g = gridsOf(buildDesignerPlans(withGrid));
    g.tables[3]![11] = "是";
    const r = parseDesigner(g);
    const grid = r.ok ? r.template.form!.tables[1]! : null;
    expect(grid).toMatchObject({ kind: "grid", yoy: true, columns: [{ code: "n" }] });
    // drawn again from the expanded template: 是 on the grid's row, its own column only on 表格行列
    const again = gridsOf(buildDesignerPlans(compile(TemplateSchema.parse({ ...r.ok ? r.template : {}, version: 1, status: "draft" })).template));
    expect(again.tables[3]![11]).toBe("是");
    expect(again.tableLines.filter((row) => row[1] === "列").map((row) => row[2])).toEqual(["n"]);
    const old = gridsOf(buildDesignerPlans(withGrid));
    old.tables = old.tables.map((row) => row.slice(0, 11));
    const read = parseDesigner(old);
    expect(read.ok).toBe(true);
  });
});

// ---- like with like at every level: the property --------------------------------------------------

/** Rounds p/q half away from zero to `decimals` places, as text (the test's own arithmetic, bigint only). */
function ratioText(p: bigint, q: bigint, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const neg = (p < 0n) !== (q < 0n) && p !== 0n;
  const [a, b] = [p < 0n ? -p : p, q < 0n ? -q : q];
  const r = (2n * a * scale + b) / (2n * b);
  const digits = r.toString().padStart(decimals + 1, "0");
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return r === 0n ? text : `${neg ? "-" : ""}${text}`;
}
const cents = (v: Values[string] | undefined): bigint => { const [w, f = ""] = String(v).replace("-", "").split("."); const n = BigInt(w!) * 100n + BigInt((f + "00").slice(0, 2)); return String(v).startsWith("-") ? -n : n; };

/** What a set of units' 同比 of rev must be, computed independently: sums over the units with both figures. */
function expected(reports: readonly UnitReport[]) {
  const both = reports.filter((r) => r.values.rev != null && r.values.rev_ly != null);
  const sx = both.reduce((s, r) => s + cents(r.values.rev), 0n), sl = both.reduce((s, r) => s + cents(r.values.rev_ly), 0n);
  const fb = reports.filter((r) => r.values.firms != null && r.values.firms_ly != null);
  const fx = fb.reduce((s, r) => s + BigInt(r.values.firms as number), 0n), fl = fb.reduce((s, r) => s + BigInt(r.values.firms_ly as number), 0n);
  return {
    rev_yoy: both.length === 0 ? null : ratioText(sx - sl, 100n, 2),
    // growth against the base's size: a loss shrinking from −100 to −50 is +50 %, not −50 % (review 24)
    rev_yoyp: both.length === 0 || sl === 0n ? null : ratioText((sx - sl) * 100n, sl < 0n ? -sl : sl, 1),
    revUnits: both.length,
    firms_yoyp: fb.length === 0 || fl === 0n ? null : ratioText((fx - fl) * 100n, fl < 0n ? -fl : fl, 1),
    firmsUnits: fb.length,
  };
}

const money = fc.option(fc.oneof(fc.bigInt({ min: -(10n ** 6n), max: 10n ** 9n }), fc.constantFrom(0n, 1n, 10n ** 15n - 1n)).map((n) => ratioText(n, 100n, 2)), { nil: null, freq: 3 });
const count = fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null, freq: 3 });
const unitValues = fc.record({ firms: count, firms_ly: count, rev: money, rev_ly: money, plan: fc.option(fc.boolean(), { nil: null }) });
/** A random tree: leaves under counties under cities under one province; each leaf's values random, either period missing often. */
const tree = fc.array(fc.tuple(fc.nat(5), unitValues), { maxLength: 14 }).chain((leaves) => fc.array(fc.nat(1), { minLength: 6, maxLength: 6 }).map((cityOf) => ({ leaves, cityOf })));

const view = (t: ReturnType<typeof aggregateReports>) => {
  const d = (code: string) => t.indicators[code] as { value: string | null; units?: number };
  return { rev_yoy: d("rev_yoy").value, rev_yoyp: d("rev_yoyp").value, revUnits: d("rev_yoyp").units, firms_yoyp: d("firms_yoyp").value, firmsUnits: d("firms_yoyp").units };
};

describe("同比 at every level is like with like (property)", () => {
  it("equals the ratio of sums over the units with both periods, computed independently, at every node; counters agree with the reference", () => {
    fc.assert(fc.property(tree, ({ leaves, cityOf }) => {
      const reports: (UnitReport & { county: number })[] = leaves.map(([county, v], i) => ({ unitId: `u${i}`, county, values: v as Values }));
      const nodes: { members: typeof reports }[] = [
        { members: reports },
        ...[0, 1].map((city) => ({ members: reports.filter((r) => cityOf[r.county] === city) })),
        ...[0, 1, 2, 3, 4, 5].map((county) => ({ members: reports.filter((r) => r.county === county) })),
      ];
      // the counters kept per ancestor: each leaf's countersOf added to its county, its city and the province
      const countyCounters = [0, 1, 2, 3, 4, 5].map((k) => reports.filter((r) => r.county === k).reduce<Counters>((acc, r) => addCounters(acc, countersOf(c, r.values)), new Map()));
      const cityCounters = [0, 1].map((city) => countyCounters.filter((_, k) => cityOf[k] === city).reduce<Counters>((a, b) => addCounters(a, b), new Map()));
      const province = cityCounters.reduce<Counters>((a, b) => addCounters(a, b), new Map());
      const counters = [province, ...cityCounters, ...countyCounters];
      nodes.forEach((node, i) => {
        const ref = aggregateReports(c, node.members);
        expect(view(ref)).toEqual(expected(node.members));
        expect(totalsFromCounters(c, counters[i]!)).toEqual(ref);
      });
    }), { numRuns: 300 });
  });

  it("is blank, with 0 units compared, when no unit has both periods — never 0 and never the full sums' ratio", () => {
    const reports: UnitReport[] = [{ unitId: "a", values: { rev: "100.00" } }, { unitId: "b", values: { rev_ly: "50.00" } }];
    const t = aggregateReports(c, reports);
    expect(t.indicators.rev_yoyp).toEqual({ kind: "derived", value: null, reason: "blank", units: 0 });
    expect(totalsFromCounters(c, addCounters(countersOf(c, reports[0]!.values), countersOf(c, reports[1]!.values)))).toEqual(t);
  });

  it("leaves out a unit present in one period only, and never averages the units' rates", () => {
    const reports: UnitReport[] = [
      { unitId: "a", values: { rev: "110.00", rev_ly: "100.00" } }, // +10%
      { unitId: "b", values: { rev: "300.00", rev_ly: "200.00" } }, // +50%
      { unitId: "c", values: { rev: "1000.00" } }, // joined this year: not compared
    ];
    const t = aggregateReports(c, reports);
    expect(t.indicators.rev).toMatchObject({ value: "1410.00" });
    expect(t.indicators.rev_yoyp).toEqual({ kind: "derived", value: "36.7", units: 2 }); // 410/300, not (10+50)/2 nor 1410/300
    expect(t.indicators.rev_yoy).toEqual({ kind: "derived", value: "110.00", units: 2 });
  });
});

describe("the layouts carry 同比 with its basis", () => {
  const reports: UnitReport[] = [
    { unitId: "a", values: { firms: 3, firms_ly: 2, rev: "110.00", rev_ly: "100.00" } },
    { unitId: "b", values: { firms: 5, firms_ly: 5, rev: "300.00", rev_ly: "200.00" } },
    { unitId: "c", values: { firms: 1, rev: "1000.00" } },
  ];
  const totals = aggregateReports(c, reports);

  it("the CSV: the like-with-like figure, then how many units it compares", () => {
    const rows = totalsCsvRows(c, [{ unitId: "city", name: "市（合计）", period: "2025", totals }]);
    const col = (h: string) => rows[0]!.indexOf(h);
    expect(rows[1]![col("营业收入同比增长（%）")]).toEqual({ decimal: "36.7" });
    expect(rows[1]![col("营业收入同比增长：同口径单位数")]).toBe(2);
  });

  it("the totals sheet: the total's 同比 as the like-with-like figure, and the note states its basis", () => {
    const columns = reports.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values }));
    for (const plan of [buildTotalsPlan(c, { title: "t", note: "n", columns }), buildTotalsPlan(c, { title: "t", note: "n", columns, totals })]) {
      const at = (code: string, col: number) => {
        const row = plan.cells.find((x) => x.value === code)!.row;
        return plan.cells.find((x) => x.row === row && x.col === col);
      };
      // a live formula over the unit columns that have both years, whose result is the API's figure unrounded
      expect(at("rev_yoyp", 2)!.formula).toMatch(/^=IF\(OR\(SUMPRODUCT\(/);
      expect(Number(at("rev_yoyp", 2)!.result).toFixed(1)).toBe(totals.indicators.rev_yoyp!.kind === "derived" ? totals.indicators.rev_yoyp!.value : "");
      expect(at("rev_yoyp", 3)).toMatchObject({ result: 10 });
      expect(String(plan.cells.find((x) => x.row === 1 && x.col === 0)!.value)).toContain("同比按两期都有数据的 2 个单位计算（同口径）");
    }
    // a column that is itself a total (a city at the province) shows its own like-with-like figure
    const asColumn = totalsAsColumn(c, totals);
    expect(asColumn.rev_yoyp).toBe("36.7");
  });
});

describe("the 同比 demo template", () => {
  it("compiles, and its 2024 figures give each county's 上年同期", async () => {
    const { DEMO_YOY_TEMPLATE, DEMO_YOY_PAST_VALUES } = await import("@tianbao/shared");
    const d = compile(DEMO_YOY_TEMPLATE);
    expect(d.template.indicators.filter((i) => i.kind === "amount" && i.lastYearOf !== undefined).map((i) => i.code)).toEqual(["above_value_added_ly", "brand_output_ly", "brand_exports_ly", "work_funds_ly"]);
    expect(DEMO_YOY_PAST_VALUES.zezhou!.above_value_added).not.toBeNull();
  });
});
