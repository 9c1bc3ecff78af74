import { describe, expect, it } from "vitest";
import { DEMO_BRANDS_TEMPLATE, DEMO_BRAND_PRODUCERS, DetailTableSchema, buildListPlan, type DetailTable, type SheetPlan, type Values } from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { haveLibreOffice, recalculate, type Scalar } from "./libreoffice";

// A detail list's sheet in the aggregate workbook (issue 25) as LibreOffice recalculates it: the 合计 row's
// SUMs and the block by option's COUNTIF / COUNTIFS / SUMIF come back as the figures stored with them —
// the seeds' 21 producers, 210.00 亿元, 32.00 亿元, 8,662 万美元 — and an option named like a comparison, a
// wildcard or with quotes is counted exactly; text that looks like a formula stays the text it was.

const t = (zh: string, en: string) => ({ zh, en });
const PRODUCERS = DEMO_BRANDS_TEMPLATE.form!.tables.find((x): x is DetailTable => x.kind === "detail")!;
const COUNTIES: [string, string][] = [["zezhou", "泽州县"], ["gaoping", "高平市"], ["yangcheng", "阳城县"]];

/** Every formula cell of the plan: LibreOffice's own result beside the one stored with it. */
function compare(plan: SheetPlan, grid: Scalar[][]): { formula: string; stored: unknown; lo: Scalar }[] {
  return plan.cells.filter((c) => c.formula).map((c) => ({ formula: c.formula!, stored: c.result, lo: grid[c.row]?.[c.col] ?? null }));
}
const same = (stored: unknown, lo: Scalar): boolean =>
  (stored === "" && (lo === null || lo === "")) || (typeof stored === "number" && typeof lo === "number" && Math.abs(stored - lo) <= 1e-9 * Math.max(1, Math.abs(stored)));
const rowLabelled = (plan: SheetPlan, label: string): number => plan.cells.find((c) => c.col === 0 && c.value === label)!.row;

describe.skipIf(!haveLibreOffice)("a detail list's sheet recalculated by LibreOffice (issue 25)", () => {
  it("the 合计 row and the block by option recalculate to the stored figures: 21 rows, 210.00, 32.00, 8662", async () => {
    // one brand made a China famous brand, to have both options counted
    const rows = COUNTIES.flatMap(([id, name]) => DEMO_BRAND_PRODUCERS[id]!.map((values, i) => ({ unit: name, values: id === "gaoping" && i === 2 ? { ...values, level: "cn" } : values })));
    const plan = buildListPlan(PRODUCERS, { unit: "晋城市", period: "2025年", note: "含已上报和已审核数据", rows, form: DEMO_BRANDS_TEMPLATE.form! });
    const grid = recalculate(await renderWorkbook([plan])).get(plan.name)!;
    const checked = compare(plan, grid);
    expect(checked.length).toBeGreaterThan(10);
    for (const c of checked) expect(same(c.stored, c.lo), `${c.formula}: stored ${String(c.stored)}, LibreOffice ${String(c.lo)}`).toBe(true);
    const total = grid[rowLabelled(plan, "合计")]!;
    expect(total.slice(6, 9).map(Number)).toEqual([210, 32, 8662]);
    expect(Number(total[6]).toFixed(2)).toBe("210.00");
    const all = grid[rowLabelled(plan, "全部")]!;
    expect(all[1]).toBe(21);
    const cn = grid[rowLabelled(plan, "品牌级别：中国名牌")]!;
    const sx = grid[rowLabelled(plan, "品牌级别：山西名牌")]!;
    expect([cn[1], sx[1]]).toEqual([1, 20]);
    const moved = DEMO_BRAND_PRODUCERS.gaoping![2]!;
    expect(Number(cn[3])).toBeCloseTo(Number(moved.output), 9);
    expect(Number(sx[3]) + Number(cn[3])).toBeCloseTo(210, 9);
    expect(Number(sx[5]) + Number(cn[5])).toBe(8662);
  }, 120_000);

  it("counts options named like a comparison, a wildcard or with quotes exactly, and keeps formula-like text as text", async () => {
    const table: DetailTable = DetailTableSchema.parse({
      code: "checks", formNo: "质兴5表", name: t("监督抽查不合格批次", "Failed spot checks"), kind: "detail",
      fields: [
        { code: "firm", name: t("企业名称", "Enterprise"), type: "text" },
        { code: "risk", name: t("风险等级", "Risk"), type: "choice", options: [{ code: "lo", name: t("<低", "low") }, { code: "hi", name: t('高*"重点"', "high") }, { code: "hx", name: t("高x\"重点\"", "high x") }] },
        { code: "recalled", name: t("已召回", "Recalled"), type: "yesno" },
        { code: "fine", name: t("罚没金额", "Fines"), type: "amount", unit: "万元", decimals: 3 },
      ],
    });
    const rows: { unit: string; values: Values }[] = [
      { unit: "泽州县", values: { firm: '=HYPERLINK("http://evil","点")', risk: "lo", recalled: true, fine: "1.250" } },
      { unit: "O'Brien \"县\"", values: { firm: "-2+3", risk: "hi", recalled: false, fine: "0.125" } },
      { unit: "高平市", values: { firm: "@SUM(A1)", risk: "hx", recalled: true, fine: "2.000" } },
      { unit: "+阳城县", values: { firm: "正常", risk: "hi", recalled: true, fine: null } },
    ];
    const plan = buildListPlan(table, { unit: "晋城市", period: "2025年", note: "仅含已审核数据", rows });
    const grid = recalculate(await renderWorkbook([plan])).get(plan.name)!;
    for (const c of compare(plan, grid)) expect(same(c.stored, c.lo), `${c.formula}: stored ${String(c.stored)}, LibreOffice ${String(c.lo)}`).toBe(true);
    // 高*"重点" is not a pattern that would also match 高x"重点"
    expect(grid[rowLabelled(plan, '风险等级：高*"重点"')]![1]).toBe(2);
    expect(grid[rowLabelled(plan, "风险等级：<低")]![1]).toBe(1);
    expect(grid[rowLabelled(plan, "已召回：是")]![1]).toBe(3);
    // as written, not run: no hyperlink, no sum, no arithmetic
    expect(grid.slice(3, 7).map((r) => [r[0], r[1]])).toEqual([
      ["泽州县", '=HYPERLINK("http://evil","点")'], ["O'Brien \"县\"", "-2+3"], ["高平市", "@SUM(A1)"], ["+阳城县", "正常"],
    ]);
  }, 120_000);
});
