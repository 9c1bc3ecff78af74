// Issue 24, 同比 in a grid: each column is followed by its 上年同期 and its 同比增长 %, as statistical tables
// print 本期 | 上年同期 | 增长%. A typed cell's 上年同期 is filled from last year (else typed); a 合计's adds up
// its parts' 上年同期; every 同比, the 合计 row's and column's too, is like with like at every level: over
// the units that have both years of that very cell, never an average. Checked against bigint arithmetic.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  TemplateSchema, addCounters, aggregateReports, compileTemplate, countersOf, derivedValues, lastYearFigures, ownColumns, totalsFromCounters,
  type CompiledTemplate, type Counters, type Template, type Values,
} from "@tianbao/shared";

const t = (zh: string, en: string) => ({ zh, en });
const source = (o: { yoy?: boolean; ytd?: boolean; columns?: number } = {}): Template => TemplateSchema.parse({
  id: "gy", version: 1, status: "draft", name: t("分行业", "By industry"), periodType: o.ytd ? "month" : "annual",
  sections: [{ code: "s", name: t("基本", "Basics") }],
  indicators: [{ code: "firms", section: "s", kind: "count", name: t("企业数", "Firms") }],
  form: { tables: [
    { kind: "list", code: "l", formNo: "表1", name: t("基本", "Basics"), sections: ["s"] },
    { kind: "grid", code: "g", formNo: "表2", name: t("分行业", "By industry"), required: false, yoy: o.yoy ?? true, ...(o.ytd ? { ytd: true } : {}),
      rows: [{ code: "t", name: t("合计", "Total"), role: "total" }, { code: "a", name: t("制造业", "Manufacturing") }, { code: "b", name: t("建筑业", "Construction") }],
      columns: [
        { code: "ct", name: t("合计", "Total"), kind: "amount", unit: "万元", decimals: 2, role: "total" },
        ...Array.from({ length: o.columns ?? 2 }, (_, j) => ({ code: `c${j}`, name: t(`产值${j}`, `Output ${j}`), kind: "amount" as const, unit: "万元", decimals: 2 })),
      ] },
  ] },
});
const compile = (x: Template): CompiledTemplate => {
  const r = compileTemplate(x);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.compiled;
};
const c = compile(source());

describe("a grid's 同比 columns (expansion)", () => {
  it("follows each column with 上年同期 and 同比增长 %, drawn as columns of the grid", () => {
    const g = c.template.form!.tables[1]!;
    expect(g.kind === "grid" && g.columns.map((x) => x.code)).toEqual(["ct", "ct_ly", "ct_yp", "c0", "c0_ly", "c0_yp", "c1", "c1_ly", "c1_yp"]);
    // a typed cell's 上年同期 is an input marked as its; a 合计's adds up the parts' 上年同期; growth is like with like
    expect(c.byCode.get("g_a_c0_ly")).toMatchObject({ kind: "amount", decimals: 2, required: false, lastYearOf: "g_a_c0" });
    expect(c.byCode.get("g_t_c0_ly")).toMatchObject({ kind: "derived", formula: "SUMREPORTED(g_a_c0_ly, g_b_c0_ly)", lastYearOf: "g_t_c0" });
    expect(c.byCode.get("g_a_ct_ly")).toMatchObject({ kind: "derived", formula: "SUMREPORTED(g_a_c0_ly, g_a_c1_ly)", lastYearOf: "g_a_ct" });
    expect(c.byCode.get("g_t_ct_yp")).toMatchObject({ kind: "derived", formula: "(g_t_ct - g_t_ct_ly) / ABS(g_t_ct_ly) * 100", unit: "%", decimals: 1, likeWithLike: true });
    // expanding again changes nothing; without 同比 the grid is as it was
    expect(compile(c.template).template).toEqual(c.template);
    const plain = compile(source({ yoy: false }));
    expect(plain.template.form!.tables[1]).toEqual(source({ yoy: false }).form!.tables[1]);
    // 同比 switched off: the grid as its designer gave it; a 同比 column listed by hand on a grid without 同比 is refused on it, never dropped
    expect(compile({ ...c.template, form: { ...c.template.form!, tables: c.template.form!.tables.map((x) => (x.kind === "grid" ? { ...x, yoy: false, columns: ownColumns(x) } : x)) } }).template.indicators.map((i) => i.code))
      .toEqual(plain.template.indicators.map((i) => i.code));
    const listed = compileTemplate({ ...c.template, form: { ...c.template.form!, tables: c.template.form!.tables.map((x) => (x.kind === "grid" ? { ...x, yoy: false } : x)) } });
    expect(!listed.ok && listed.issues.map((i) => i.path)).toContain("form.tables.g.columns.c0_ly");
  });

  it("a unit's own 同比: its cells against their 上年同期; last year's figures fill the typed 上年同期 cells, not the 合计s", () => {
    const v = derivedValues(c, { g_a_c0: "120.00", g_a_c0_ly: "100.00", g_b_c0: "30.00", g_a_c1: "10.00", g_a_c1_ly: "20.00" }).values;
    expect([v.g_a_c0_yp, v.g_t_c0_ly, v.g_t_c0_yp, v.g_a_ct, v.g_a_ct_ly, v.g_a_ct_yp]).toEqual(["20.0", "100.00", "50.0", "130.00", "120.00", "8.3"]);
    expect(lastYearFigures(c, { g_a_c0: "1.00", g_t_c0: "9.00", g_a_ct: "5.00" })).toEqual({ g_a_c0_ly: "1.00" });
  });

  it("refuses more than 30 columns with 同比 (ten of its own at most), on the table", () => {
    const r = compileTemplate(source({ columns: 10 }));
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual(["form.tables.g.columns"]);
    expect(compileTemplate(source({ columns: 9 })).ok).toBe(true);
  });
});

describe("a grid's 本年累计 columns (expansion)", () => {
  const m = compile(source({ ytd: true }));
  it("follow each column (and, with 同比, carry their own 上年同期 and 同比增长): typed cells' 累计 are inputs, a 合计's adds up", () => {
    const g = m.template.form!.tables[1]!;
    expect(g.kind === "grid" && g.columns.map((x) => x.code).slice(0, 6)).toEqual(["ct", "ct_ly", "ct_yp", "ct_ytd", "ct_ytd_ly", "ct_ytd_yp"]);
    expect(m.byCode.get("g_a_c0_ytd")).toMatchObject({ kind: "amount", cumulativeOf: "g_a_c0", required: false });
    expect(m.byCode.get("g_t_c0_ytd")).toMatchObject({ kind: "derived", formula: "SUMREPORTED(g_a_c0_ytd, g_b_c0_ytd)" });
    expect(m.byCode.get("g_a_ct_ytd")).toMatchObject({ kind: "derived", formula: "SUMREPORTED(g_a_c0_ytd, g_a_c1_ytd)" });
    expect(m.byCode.get("g_a_c0_ytd_ly")).toMatchObject({ kind: "amount", lastYearOf: "g_a_c0_ytd" });
    expect(m.byCode.get("g_a_ct_ytd_ly")).toMatchObject({ kind: "derived", formula: "SUMREPORTED(g_a_c0_ytd_ly, g_a_c1_ytd_ly)", lastYearOf: "g_a_ct_ytd" });
    expect(m.byCode.get("g_t_ct_ytd_yp")).toMatchObject({ kind: "derived", likeWithLike: true, formula: "(g_t_ct_ytd - g_t_ct_ytd_ly) / ABS(g_t_ct_ytd_ly) * 100" });
    expect(compile(m.template).template).toEqual(m.template);
    // six columns for each of its own: five at most
    expect(compileTemplate(source({ ytd: true, columns: 5 })).ok).toBe(false);
    expect(compileTemplate(source({ ytd: true, columns: 4 })).ok).toBe(true);
    // an annual report has no 累计
    const annual = compileTemplate({ ...source({ ytd: true }), periodType: "annual" });
    expect(!annual.ok && annual.issues.map((i) => i.path)).toContain("form.tables.g.ytd");
  });

  it("a typed cell's 累计 is this month's plus the approved earlier months' (the same as a list's), and the 合计's adds them", async () => {
    const { cumulativeFigures } = await import("@tianbao/shared");
    const filled = cumulativeFigures(m, { g_a_c0: "2.00", g_b_c0: "3.00" }, [{ g_a_c0: "1.00", g_b_c0: "1.00" }]);
    expect(filled).toEqual({ g_a_c0_ytd: "3.00", g_b_c0_ytd: "4.00" });
    expect(derivedValues(m, { g_a_c0: "2.00", g_b_c0: "3.00", ...filled }).values.g_t_c0_ytd).toBe("7.00");
  });
});

// ---- like with like at every level --------------------------------------------------------------

const cells = ["g_a_c0", "g_b_c0", "g_a_c1", "g_b_c1"] as const;
const figure = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null, freq: 4 });
const report = fc.record(Object.fromEntries(cells.flatMap((k) => [[k, figure], [`${k}_ly`, figure]])) as Record<string, fc.Arbitrary<number | null>>);
const text = (n: number | null) => (n === null ? null : `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`);
const asValues = (r: Record<string, number | null>): Values => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v)]));

/** (p − q) / |q| × 100 to one decimal, half away from zero, in bigint. */
function growthText(p: bigint, q: bigint): string | null {
  if (q === 0n) return null;
  const num = (p - q) * 1000n;
  const den = q < 0n ? -q : q;
  const neg = num < 0n;
  const a = neg ? -num : num;
  let r = a / den;
  if ((a % den) * 2n >= den) r += 1n;
  const s = `${r / 10n}.${r % 10n}`;
  return neg && r !== 0n ? `-${s}` : s;
}

describe("a grid's 同比 at every level", () => {
  it("the 合计 row's, the 合计 column's and each cell's 同比 are ratios of sums over the units with both years of that cell, by counters and by the reference alike", () => {
    fc.assert(fc.property(fc.array(report, { minLength: 1, maxLength: 12 }), (raw) => {
      const reports = raw.map((r, i) => ({ unitId: `u${i}`, values: asValues(r) }));
      const ref = aggregateReports(c, reports);
      let k: Counters = new Map();
      for (const r of reports) k = addCounters(k, countersOf(c, r.values));
      expect(totalsFromCounters(c, k)).toEqual(ref);
      // independently: a unit's 合计 row cell of c0 is the sum of its reported c0 cells (blank when none)
      const sumOf = (r: Record<string, number | null>, keys: string[]) => { const got = keys.map((x) => r[x]).filter((x): x is number => x !== null); return got.length === 0 ? null : got.reduce((a, b) => a + b, 0); };
      for (const [code, parts] of [["g_t_c0", ["g_a_c0", "g_b_c0"]], ["g_a_ct", ["g_a_c0", "g_a_c1"]], ["g_a_c0", ["g_a_c0"]]] as const) {
        let [now, before, units] = [0n, 0n, 0];
        for (const r of raw) {
          const x = sumOf(r, [...parts]);
          const ly = sumOf(r, parts.map((p) => `${p}_ly`));
          if (x === null || ly === null) continue;
          now += BigInt(x); before += BigInt(ly); units++;
        }
        const got = ref.indicators[`${code}_yp`];
        expect(got).toMatchObject({ kind: "derived", units, value: units === 0 ? null : growthText(now, before) });
      }
    }), { numRuns: 150 });
  });
});
