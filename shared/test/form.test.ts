// Report forms (issue 23): a template as numbered tables, its grids expanded into the indicators the
// rest of the core already checks, stores and adds up. The grid here is the seeds' 主导产业 table of the
// survey city (有色金属 / 新能源 / 机电光学 / 新型建材 × 企业数 / 主营业务收入 / 产量, with a 合计 row).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_FORM_TEMPLATE, BUILTIN_TEMPLATE, TemplateSchema, aggregateReports, buildFillPlan, compileTemplate, expandForm, formOf, gridCellCode, validateValues,
  type GridTable, type Template, type TemplateInput,
} from "@tianbao/shared";

const leading: TemplateInput["form"] = {
  legal: { maker: "晋城市质量技术监督局", approver: "晋城市统计局", approvalNo: "晋市统制〔2025〕12号", validUntil: "2027年12月" },
  tables: [
    { kind: "list", code: "basic", formNo: "质兴1表", name: { zh: "基本情况", en: "Basics" }, sections: ["s1"] },
    {
      kind: "grid", code: "ind", formNo: "质兴2表", name: { zh: "主导产业", en: "Leading industries" }, unitLine: "计量单位：见各栏",
      rows: [
        { code: "total", name: { zh: "合计", en: "Total" }, role: "total" },
        { code: "metal", name: { zh: "有色金属", en: "Non-ferrous metals" } },
        { code: "energy", name: { zh: "新能源", en: "New energy" } },
        { code: "optic", name: { zh: "机电光学", en: "Mechatronics and optics" } },
        { code: "build", name: { zh: "新型建材", en: "New building materials" } },
        { code: "pv", name: { zh: "其中：光伏", en: "of which: photovoltaics" }, role: "ofWhich", of: "energy" },
      ],
      columns: [
        { code: "firms", name: { zh: "企业数", en: "Enterprises" }, kind: "count", unit: "家" },
        { code: "rev", name: { zh: "主营业务收入", en: "Main business revenue" }, kind: "amount", unit: "亿元", decimals: 1 },
        { code: "out", name: { zh: "产量", en: "Output" }, kind: "amount", unit: "万吨", decimals: 1 },
      ],
      // only building materials are counted in tonnes
      skip: ["metal:out", "energy:out", "optic:out", "pv:out"],
    },
  ],
};

const template = (form: TemplateInput["form"] = leading): Template => TemplateSchema.parse({
  id: "forms", version: 1, status: "draft", name: { zh: "质量兴市工作年报", en: "Quality report" }, periodType: "annual",
  sections: [{ code: "s1", name: { zh: "基本情况", en: "Basics" } }],
  indicators: [{ code: "above_scale_rev", section: "s1", kind: "amount", unit: "亿元", decimals: 1, required: true, name: { zh: "规上工业主营业务收入", en: "Above-scale revenue" } }],
  form,
});
const compiled = () => { const r = compileTemplate(template()); if (!r.ok) throw new Error(JSON.stringify(r.issues)); return r.compiled; };
const cell = (r: string, c: string) => gridCellCode("ind", r, c);

describe("a template as numbered tables (issue 23)", () => {
  it("every template without a form reads as one list table, compiled exactly as before", () => {
    const r = compileTemplate(BUILTIN_TEMPLATE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.compiled.template).toBe(BUILTIN_TEMPLATE);
    expect(r.compiled.gridCells.size).toBe(0);
    expect(formOf(BUILTIN_TEMPLATE).tables).toEqual([{ kind: "list", code: "main", formNo: "", name: BUILTIN_TEMPLATE.name, sections: BUILTIN_TEMPLATE.sections.map((s) => s.code), yoy: false }]);
  });

  it("a grid's cells are indicators of their column's kind; the 合计 row is Σ of the item rows; skipped cells are not asked for", () => {
    const c = compiled();
    expect(c.byCode.get(cell("metal", "firms"))).toMatchObject({ kind: "count", unit: "家", required: true, section: "ind", name: { zh: "有色金属·企业数" } });
    expect(c.byCode.get(cell("build", "out"))).toMatchObject({ kind: "amount", unit: "万吨", decimals: 1 });
    expect(c.byCode.has(cell("metal", "out"))).toBe(false);
    expect(c.byCode.get(cell("total", "rev"))).toMatchObject({ kind: "derived", formula: `SUM(${["metal", "energy", "optic", "build"].map((r) => cell(r, "rev")).join(", ")})` });
    // a total over one existing part is that part; the 其中 row is not in the total
    expect(c.byCode.get(cell("total", "out"))).toMatchObject({ kind: "derived", formula: cell("build", "out") });
    expect(c.gridCells.get(cell("pv", "rev"))).toEqual({ table: "ind", row: "pv", column: "rev" });
    expect(c.template.sections.map((s) => s.code)).toEqual(["s1", "ind"]);
  });

  it("the seeds' figures: 882 亿元 of leading-industry revenue, 1,058 万吨 of building materials; 其中 above its whole is an error on that cell", () => {
    const c = compiled();
    const values = {
      above_scale_rev: "1177.6",
      [cell("metal", "firms")]: 45, [cell("energy", "firms")]: 28, [cell("optic", "firms")]: 30, [cell("build", "firms")]: 19, [cell("pv", "firms")]: 12,
      [cell("metal", "rev")]: "402.5", [cell("energy", "rev")]: "210.3", [cell("optic", "rev")]: "156.9", [cell("build", "rev")]: "112.3", [cell("pv", "rev")]: "96.0",
      [cell("build", "out")]: "1058.0",
    };
    const v = validateValues(c, values);
    expect(v.issues.filter((i) => i.severity === "error")).toEqual([]);
    const totals = aggregateReports(c, [{ unitId: "a", values: v.values }]);
    expect(totals.indicators[cell("total", "rev")]).toMatchObject({ kind: "derived", value: "882.0" });
    expect(totals.indicators[cell("total", "out")]).toMatchObject({ kind: "derived", value: "1058.0" });
    expect(totals.indicators[cell("total", "firms")]).toMatchObject({ kind: "derived", value: "122" });
    const over = validateValues(c, { ...values, [cell("pv", "rev")]: "210.4" });
    expect(over.issues.filter((i) => i.severity === "error").map((i) => i.indicator)).toEqual([cell("pv", "rev")]);
    expect(over.issues.find((i) => i.indicator === cell("pv", "rev"))!.message.zh).toContain("「其中：光伏」的主营业务收入不能大于「新能源」的主营业务收入");
    // blank is not zero: a blank item cell is 必填 and leaves the total blank
    const blank = validateValues(c, { ...values, [cell("optic", "rev")]: null });
    expect(blank.issues.some((i) => i.indicator === cell("optic", "rev") && i.severity === "error")).toBe(true);
  });

  it("a city's grid totals are the sums of its counties' cells, and the 合计 is recomputed from them", () => {
    const c = compiled();
    const county = (k: number) => ({ unitId: `u${k}`, values: validateValues(c, {
      above_scale_rev: "10.0",
      ...Object.fromEntries(["metal", "energy", "optic", "build"].flatMap((r, i) => [[cell(r, "firms"), k + i], [cell(r, "rev"), `${k}.${i}`]])),
      [cell("pv", "firms")]: k, [cell("pv", "rev")]: `${k}.0`, [cell("build", "out")]: `${k}.5`,
    }).values });
    const t = aggregateReports(c, [county(1), county(2), county(3)]);
    expect(t.indicators[cell("metal", "rev")]).toMatchObject({ value: "6.0" }); // 1.0 + 2.0 + 3.0
    // Σ over the counties of (k.0 + k.1 + k.2 + k.3) = 4 × (1 + 2 + 3) + 3 × 0.6; the 其中 row is not added in
    expect(t.indicators[cell("total", "rev")]).toMatchObject({ value: "25.8" });
    expect(t.indicators[cell("total", "out")]).toMatchObject({ value: "7.5" });
  });

  it("expanding is idempotent: an expanded template read back expands to itself", () => {
    const c = compiled();
    const direct = expandForm(template());
    expect(direct.ok && direct.value.template.indicators.length).toBe(c.template.indicators.length);
    const again = compileTemplate(TemplateSchema.parse(JSON.parse(JSON.stringify(c.template))));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.compiled.template.indicators.map((i) => i.code)).toEqual(c.template.indicators.map((i) => i.code));
    expect(again.compiled.template.rules).toEqual(c.template.rules);
  });

  it("refuses each mistake in a form on its table: codes twice, two totals, a 其中 of nothing, a skipped cell that is not there, a code too long, a clash, a section in no table", () => {
    const grid = leading!.tables[1] as GridTable;
    const bad = (change: (g: GridTable) => void, extra: Partial<NonNullable<TemplateInput["form"]>> = {}) => {
      const g = structuredClone(grid);
      change(g);
      const r = compileTemplate(template({ ...leading!, tables: [leading!.tables[0]!, g], ...extra }));
      return r.ok ? [] : r.issues.map((i) => `${i.path} ${i.message.zh}`);
    };
    expect(bad((g) => { g.rows.push({ code: "metal", name: { zh: "又一个", en: "again" }, role: "item" }); })).toEqual([expect.stringContaining("行代码「metal」重复")]);
    expect(bad((g) => { g.rows.push({ code: "total2", name: { zh: "总计", en: "Grand" }, role: "total" }); })).toEqual([expect.stringContaining("只能有一个合计行")]);
    expect(bad((g) => { g.rows[5]!.of = "nothing"; })).toEqual([expect.stringContaining("应注明是哪一行的其中")]);
    expect(bad((g) => { g.skip.push("metal:nope"); })).toEqual([expect.stringContaining("不填的单元格「metal:nope」不存在")]);
    expect(bad((g) => { g.rows[4]!.code = "a_very_long_row_code_for_building_xx"; })).toEqual(expect.arrayContaining([expect.stringContaining("超过 40 个字符")]));
    expect(bad((g) => { g.columns[1]!.unit = undefined; })).toEqual([expect.stringContaining("金额列「主营业务收入」必须有计量单位")]);
    expect(() => template({ tables: [{ kind: "list", code: "basic", formNo: "质兴1表", name: { zh: "基本情况", en: "Basics" }, sections: [] }] })).toThrow(/>=1/); // a list table lists something
    const unlisted = compileTemplate(template({ ...leading!, tables: [grid] }));
    expect(unlisted.ok ? [] : unlisted.issues.map((i) => i.message.zh)).toEqual(["指标「above_scale_rev」所在的分组「s1」不在任何一张表中"]);
  });

  it("for any grid (roles, 其中, skipped cells), every cell code is unique, every total is the sum of the parts that exist, and no 其中 exceeds its whole unnoticed", () => {
    const codeArb = fc.constantFrom("a", "b", "c", "d", "e", "f");
    fc.assert(fc.property(
      fc.uniqueArray(codeArb, { minLength: 1, maxLength: 5 }), fc.uniqueArray(codeArb, { minLength: 1, maxLength: 4 }),
      fc.boolean(), fc.boolean(), fc.array(fc.tuple(fc.nat(5), fc.nat(4)), { maxLength: 6 }), fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }),
      (rowCodes, colCodes, totalRow, totalCol, skips, numbers) => {
        const rows = [...(totalRow ? [{ code: "t", name: { zh: "合计", en: "Total" }, role: "total" as const }] : []), ...rowCodes.map((code) => ({ code, name: { zh: code, en: code }, role: "item" as const }))];
        const columns = [...(totalCol ? [{ code: "t", name: { zh: "合计", en: "Total" }, kind: "count" as const, role: "total" as const }] : []), ...colCodes.map((code) => ({ code, name: { zh: code, en: code }, kind: "count" as const, role: "item" as const }))];
        // cells that do not apply are item cells (a total is skipped where all its parts are)
        const skip = [...new Set(skips.filter(([r, c]) => r < rows.length && c < columns.length && rows[r]!.role === "item" && columns[c]!.role === "item").map(([r, c]) => `${rows[r]!.code}:${columns[c]!.code}`))];
        const r = compileTemplate(template({ tables: [leading!.tables[0]!, { kind: "grid", code: "g", formNo: "表2", name: { zh: "表", en: "T" }, rows, columns, skip, required: true }] }));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const c = r.compiled;
        const codes = c.template.indicators.map((i) => i.code);
        expect(new Set(codes).size).toBe(codes.length);
        const inputs = c.template.indicators.filter((i) => i.kind === "count");
        const values: Record<string, number | string> = { above_scale_rev: "1.0" };
        inputs.forEach((i, k) => { values[i.code] = numbers[k % numbers.length]!; });
        const v = validateValues(c, values);
        expect(v.issues.filter((i) => i.severity === "error")).toEqual([]);
        const totals = aggregateReports(c, [{ unitId: "u", values: v.values }]);
        for (const [code, ref] of c.gridCells) {
          const ind = c.byCode.get(code)!;
          if (ind.kind !== "derived") continue;
          const parts = [...c.gridCells].filter(([k, p]) => c.byCode.get(k)!.kind === "count" && (ref.row === "t" && ref.column !== "t" ? p.column === ref.column : ref.column === "t" && ref.row !== "t" ? p.row === ref.row : true));
          const expected = parts.reduce((s, [k]) => s + Number(values[k]), 0);
          expect(totals.indicators[code]).toMatchObject({ value: String(expected) });
        }
      },
    ), { numRuns: 200 });
  });

  it("for any grid with 其中 rows and columns, each 其中 cell gets a rule per whole it is part of, every rule code unique, and only a 其中 above its whole is refused", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(50), { minLength: 64, maxLength: 64 }), (nr, nc, ofRow, ofCol, numbers) => {
      const rows = [...Array.from({ length: nr }, (_, i) => ({ code: `r${i}`, name: { zh: `行${i}`, en: `r${i}` }, role: "item" as const })), ...(ofRow ? [{ code: "rof", name: { zh: "其中", en: "of" }, role: "ofWhich" as const, of: "r0" }] : [])];
      const columns = [...Array.from({ length: nc }, (_, i) => ({ code: `c${i}`, name: { zh: `列${i}`, en: `c${i}` }, kind: "count" as const, role: "item" as const })), ...(ofCol ? [{ code: "cof", name: { zh: "其中", en: "of" }, kind: "count" as const, role: "ofWhich" as const, of: "c0" }] : [])];
      const r = compileTemplate(template({ tables: [leading!.tables[0]!, { kind: "grid", code: "g", formNo: "表2", name: { zh: "表", en: "T" }, rows, columns, skip: [], required: true }] }));
      expect(r.ok ? [] : r.issues).toEqual([]);
      if (!r.ok) return;
      const rules = r.compiled.template.rules.map((x) => x.code);
      expect(new Set(rules).size).toBe(rules.length);
      const ofCells = [...r.compiled.gridCells].filter(([, p]) => p.row === "rof" || p.column === "cof");
      expect(rules.length).toBe(ofCells.reduce((n, [, p]) => n + (p.row === "rof" ? 1 : 0) + (p.column === "cof" ? 1 : 0), 0));
      const values: Record<string, number | string> = { above_scale_rev: "1.0" };
      [...r.compiled.gridCells.keys()].forEach((k, i) => { values[k] = numbers[i % numbers.length]!; });
      const over = new Set(ofCells.filter(([k, p]) => (p.row === "rof" && Number(values[k]) > Number(values[gridCellCode("g", "r0", p.column)])) || (p.column === "cof" && Number(values[k]) > Number(values[gridCellCode("g", p.row, "c0")]))).map(([k]) => k));
      const v = validateValues(r.compiled, values);
      expect(new Set(v.issues.filter((i) => i.severity === "error").map((i) => i.indicator))).toEqual(over);
    }), { numRuns: 200 });
  });

  it("the built-in form set: 质兴1表 lists the built-in indicators, 质兴2表 is the 主导产业 grid, and the fill sheet prints the legal face at the top right", () => {
    const r = compileTemplate(BUILTIN_FORM_TEMPLATE);
    expect(r.ok ? [] : r.issues).toEqual([]);
    if (!r.ok) return;
    const c = r.compiled;
    expect(c.template.indicators.length).toBe(BUILTIN_TEMPLATE.indicators.length + 6 * 6 - 4);
    const plan = buildFillPlan(c, { roundId: "r", period: "2025", unit: { id: "zezhou", name: "泽州县" }, issuer: "晋城市" });
    expect(plan.print.headerRight).toBe("表　　号：质兴1表、质兴2表\n制定机关：晋城市质量技术监督局\n批准机关：晋城市统计局\n批准文号：晋市统制〔2025〕12号\n有效期至：2027年12月");
    const headings = plan.cells.filter((x) => x.style === "section").map((x) => x.value);
    expect(headings[0]).toBe("质兴1表 基本情况 · 一、组织领导");
    expect(headings.at(-1)).toBe("质兴2表 主导产业");
    expect(headings.slice(1, -1).every((h) => !String(h).includes("质兴"))).toBe(true);
    // without a form the sheet is as it was: no legal face, section names alone
    const builtin = compileTemplate(BUILTIN_TEMPLATE);
    if (!builtin.ok) throw new Error("built-in");
    const plain = buildFillPlan(builtin.compiled, { roundId: "r", period: "2025", unit: { id: "zezhou", name: "泽州县" } });
    expect(plain.print.headerRight).toBeUndefined();
    expect(plain.cells.find((x) => x.style === "section")!.value).toBe(BUILTIN_TEMPLATE.sections[0]!.name.zh);
  });
});

describe("a grid that may be left partly blank, and columns that may go negative (review 23b)", () => {
  const grid = (required: boolean, min?: string): TemplateInput["form"] => ({
    tables: [{
      kind: "grid", code: "g", formNo: "工规2-1表", name: { zh: "附表", en: "Annex" }, required,
      rows: [{ code: "t", name: { zh: "合计", en: "Total" }, role: "total" }, { code: "a", name: { zh: "甲", en: "A" } }, { code: "b", name: { zh: "乙", en: "B" } }],
      columns: [{ code: "profit", name: { zh: "利润总额", en: "Profit" }, kind: "amount", unit: "万元", decimals: 1, ...(min ? { min } : {}) }],
    }],
  });
  const of = (form: TemplateInput["form"]) => { const r = compileTemplate(TemplateSchema.parse({ id: "g", version: 1, status: "draft", name: { zh: "附表", en: "Annex" }, periodType: "annual", sections: [{ code: "g", name: { zh: "附表", en: "Annex" } }], indicators: [], form })); if (!r.ok) throw new Error(JSON.stringify(r.issues)); return r.compiled; };

  it("a 合计 of an optional grid is the sum of the rows reported, blank only when none is — at the unit and the city alike", () => {
    const c = of(grid(false));
    expect(validateValues(c, { g_a_profit: "30.5" }).derived.g_t_profit).toBe("30.5");
    expect(validateValues(c, {}).derived.g_t_profit).toBeNull();
    const totals = aggregateReports(c, [{ unitId: "u1", values: { g_a_profit: "30.5" } }, { unitId: "u2", values: { g_a_profit: "1.0", g_b_profit: "2.0" } }]);
    expect(totals.indicators.g_t_profit).toMatchObject({ value: "33.5" });
    // a required grid's 合计 waits for every part, as any computed figure
    expect(validateValues(of(grid(true)), { g_a_profit: "30.5" }).derived.g_t_profit).toBeNull();
  });

  it("a column's 最小 lets a loss be reported; without it a negative figure is refused on its cell", () => {
    expect(validateValues(of(grid(false, "-99999")), { g_a_profit: "-1200.5" }).hasErrors).toBe(false);
    expect(validateValues(of(grid(false)), { g_a_profit: "-1200.5" }).issues.map((i) => i.indicator)).toEqual(["g_a_profit"]);
  });
});
