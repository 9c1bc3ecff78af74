import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, Exact as X, aggregateReports, buildFillPlan, buildTotalsPlan, compileTemplate,
  derivedValues, evaluateFormula, fillIndex, parseFillGrid, parseFormula, renderExcelFormula, validateValues, type SheetPlan, type Values,
} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { toCsv } from "@tianbao/shared";
import { readUploadedGrid } from "../src/upload/read-xlsx";
import { PYTHON, convert, haveLibreOffice, readWorkbook, recalculate, type Scalar } from "./libreoffice";

if (!haveLibreOffice) console.warn("SKIPPED: LibreOffice and python3-openpyxl (Debian libreoffice-calc-nogui, python3-openpyxl) are not installed; scripts/setup-system.sh installs them as root. The spreadsheet-engine checks cannot run.");
const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();
/** Half a unit in the last shown decimal plus floating point's relative error. */
const close = (a: Scalar, b: string) => Math.abs(Number(a) - Number(b)) <= 0.005 + 1e-9 * Math.abs(Number(b));
const fillPlan = (unit: string, values: Values) => buildFillPlan(compiled, { roundId: "r2025", period: "2025", unit: { id: unit, name: unit }, current: values });

describe.skipIf(!haveLibreOffice)("LibreOffice as the independent engine", () => {
  it("recalculates the fill templates' derived cells to shared's values, for the demo and random figures", async () => {
    const sets: [string, Values][] = DEMO_REPORTING_UNITS.map((u) => [u, DEMO_PAST_VALUES[u]!]);
    fc.sample(fc.record(Object.fromEntries(compiled.template.indicators.filter((i) => i.kind === "count" || i.kind === "amount").map((i) => [i.code,
      fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 6, arbitrary: i.kind === "count" ? fc.integer({ min: 0, max: 9999 }) : fc.integer({ min: 0, max: 999999 }).map((n) => (n / 100).toFixed(2)) })]))), 20)
      .forEach((v, k) => sets.push([`random${k}`, v as Values]));
    const plans = sets.map(([u, v]) => fillPlan(u, v));
    const sheets = recalculate(await renderWorkbook(plans));
    const index = fillIndex(compiled);
    let checked = 0;
    sets.forEach(([, values], k) => {
      const grid = sheets.get(plans[k]!.name)!;
      const ours = derivedValues(compiled, values).values;
      for (const code of compiled.derivedOrder) {
        const cell = grid[index.rowOf.get(code)!]?.[3] ?? null;
        if (ours[code] === null) expect(cell === null || cell === "", `${plans[k]!.name} ${code}: ${String(cell)}`).toBe(true);
        else expect(close(cell, ours[code] as string), `${plans[k]!.name} ${code}: ${String(cell)} vs ${ours[code]}`).toBe(true);
        checked++;
      }
    });
    expect(checked).toBe(27 * compiled.derivedOrder.length);
  });

  it("takes a template filled outside this code (python3-openpyxl) and round-trips values, blanks and comments", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tianbao-openpyxl-"));
    writeFileSync(join(dir, "template.xlsx"), new Uint8Array(await renderWorkbook([fillPlan("zezhou", {})])));
    const index = fillIndex(compiled);
    const typed: Record<string, unknown> = { ...DEMO_PAST_VALUES.zezhou!, plan_issued: "否", drive_status: "已达标", work_funds: 68.68, quality_incidents: null, remarks: "全年无重大质量事故，“质量兴县”持续推进" };
    const edits = Object.entries(typed).map(([code, v]) => [index.rowOf.get(code)! + 1, v === true ? "是" : v === false ? "否" : v]);
    const comment = [index.rowOf.get("products")! + 1, "含 3 家新投产企业"];
    writeFileSync(join(dir, "fill.py"), `import json, openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
for row, value in json.loads(sys.argv[2]):
    ws.cell(row=row, column=4, value=value)
r, text = json.loads(sys.argv[3])
ws.cell(row=r, column=6, value=text)
wb.save(sys.argv[4])
`);
    execFileSync(PYTHON, [join(dir, "fill.py"), join(dir, "template.xlsx"), JSON.stringify(edits), JSON.stringify(comment), join(dir, "filled.xlsx")]);
    const read = await readUploadedGrid(new Uint8Array(readFileSync(join(dir, "filled.xlsx"))));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const parsed = parseFillGrid(compiled, read.value.grid, { roundId: "r2025", unitId: "zezhou" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const v = validateValues(compiled, parsed.values);
    expect(v.values).toMatchObject({ plan_issued: false, drive_status: "achieved", work_funds: "68.68", quality_incidents: null, products: 500, remarks: typed.remarks });
    expect(parsed.comments).toEqual({ products: "含 3 家新投产企业" });
  });

  it("recalculates the aggregate workbook to the reference totals and rates", async () => {
    const reports = DEMO_REPORTING_UNITS.map((u) => ({ unitId: u, values: DEMO_PAST_VALUES[u]! }));
    const totals = aggregateReports(compiled, reports);
    const plan = buildTotalsPlan(compiled, { title: "晋城市 2024年", note: "", columns: reports.map((r) => ({ id: r.unitId, name: r.unitId, values: r.values })), previous: totals, chartCodes: ["grade_rate"] });
    const sheets = recalculate(await renderWorkbook([plan]));
    const grid = sheets.get(plan.name)!;
    const rowOf = new Map(plan.cells.filter((c) => c.style === "code").map((c) => [c.value as string, c.row]));
    let checked = 0;
    for (const ind of compiled.template.indicators) {
      const t = totals.indicators[ind.code]!;
      const cell = grid[rowOf.get(ind.code)!]?.[2] ?? null; // 指标名称, 计量单位, 合计
      if (t.kind === "count" || t.kind === "amount" || t.kind === "derived") { expect(close(cell, t.value!), `${ind.code}: ${String(cell)} vs ${t.value}`).toBe(true); checked++; }
      if (t.kind === "yesno") { expect(cell, ind.code).toBe(t.yes); checked++; }
    }
    expect(checked).toBe(compiled.template.indicators.filter((i) => i.kind !== "choice" && i.kind !== "text").length);
    expect(grid[rowOf.get("std_coverage_rate")!]![2]).toBeCloseTo(83.54, 2);
    expect(grid[rowOf.get("adoption_rate")!]![2]).toBeCloseTo(2.14, 2);
  });

  it("agrees with shared's evaluator on 300 random formulas (exactly for integer arithmetic)", async () => {
    const leaf = fc.oneof(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 40 }).map(String));
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof({ depthSize: "small" }, leaf,
        fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/"), tie("expr")).map(([l, o, r]) => `(${l} ${o} ${r})`),
        fc.tuple(fc.constantFrom("MIN", "MAX", "SUM"), fc.array(tie("expr"), { minLength: 1, maxLength: 3 })).map(([f, a]) => `${f}(${a.join(", ")})`),
        tie("expr").map((e) => `ABS(-${e})`),
        fc.tuple(fc.constantFrom("a", "b"), fc.constantFrom("<", ">=", "=", "<>"), leaf, tie("expr"), tie("expr")).map(([x, o, y, t, e]) => `IF(${x} ${o} ${y}, ${t}, ${e})`)),
    }));
    const cases = fc.sample(fc.tuple(expr, fc.tuple(fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 500 })), fc.integer({ min: 0, max: 500 }), fc.integer({ min: -50, max: 500 }))), { numRuns: 300, seed: 20261122 });
    const plan: SheetPlan = { name: "formulas", cells: [], columnWidths: [], merges: [], validations: [], freezeRows: 0, protect: false, properties: {}, print: { landscape: false, titleRows: "1:1" } };
    const expected: ({ kind: "none" } | { kind: "num"; text: string; integer: boolean })[] = [];
    cases.forEach(([src, [a, b, c]], r) => {
      const node = (() => { const p = parseFormula(src); if (!p.ok) throw new Error(src); return p.node; })();
      const vals: Record<string, number | null> = { a, b, c };
      [a, b, c].forEach((v, col) => plan.cells.push({ row: r, col, value: v, style: "input", locked: false }));
      plan.cells.push({ row: r, col: 3, formula: renderExcelFormula(node, (code) => ({ cell: `${"ABC"[["a", "b", "c"].indexOf(code)]}${r + 1}` })), style: "derived", locked: true });
      const res = evaluateFormula(node, (code) => (vals[code] === null ? null : X.fromInt(vals[code]!)));
      expected.push(res.ok && res.value.t === "num" ? { kind: "num", text: X.toDecimalText(res.value.v, 12), integer: X.isInteger(res.value.v) } : { kind: "none" });
    });
    const grid = (recalculate(await renderWorkbook([plan]))).get("formulas")!;
    let exact = 0;
    expected.forEach((want, r) => {
      const got = grid[r]?.[3] ?? null;
      if (want.kind === "none") expect(got === null || got === "", `row ${r + 1}: ${cases[r]![0]} → ${String(got)}`).toBe(true);
      else if (want.integer && Math.abs(Number(want.text)) < 2 ** 53) { expect(got, `row ${r + 1}: ${cases[r]![0]}`).toBe(Number(want.text)); exact++; }
      else expect(Math.abs(Number(got) - Number(want.text)), `row ${r + 1}: ${cases[r]![0]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(Number(want.text))));
    });
    expect(exact).toBeGreaterThan(50);
  });

  it("opens our CSV with Chinese intact and no cell run as a formula", async () => {
    const csv = toCsv([["单位", "备注", "数值"], ["泽州县", "=1+1", 12.5], ["高平市", "@SUM(A1)", -3], ["城区", "+86 356", null]]);
    const xlsx = convert(csv, "export.csv", "xlsx:Calc MS Excel 2007 XML", "CSV:44,34,76,1");
    const [sheet] = [...readWorkbook(xlsx).values()];
    expect(sheet![1]).toEqual(["泽州县", "'=1+1", 12.5]);
    expect(sheet![2]).toEqual(["高平市", "'@SUM(A1)", -3]);
    expect(sheet![3]?.slice(0, 2)).toEqual(["城区", "'+86 356"]);
    expect(sheet![0]).toEqual(["单位", "备注", "数值"]);
  });

  it("opens yes/no counts, fractions, dates and booleans written as text as text, and decimals as numbers", async () => {
    const texts = ["3/7", "是 3 / 共 7", "2024-05-01", "2024-05", "1:2", "50%", "(12)", "TRUE", "false", "Jan-24", "1-Jan", "12 3"];
    const csv = toCsv([["代码", "值"], ...texts.map((t, i) => [`c${i}`, t]), ["amt", "119999999999988.00"], ["n", "1470"]]);
    const xlsx = convert(csv, "export.csv", "xlsx:Calc MS Excel 2007 XML", "CSV:44,34,76,1");
    const [sheet] = [...readWorkbook(xlsx).values()];
    texts.forEach((t, i) => {
      const got = sheet![i + 1]![1];
      expect(typeof got, t).toBe("string");
      expect(String(got).replace(/^'/, ""), t).toBe(t);
    });
    expect(sheet![texts.length + 1]![1]).toBe(119999999999988);
    expect(sheet![texts.length + 2]![1]).toBe(1470);
  });
});
