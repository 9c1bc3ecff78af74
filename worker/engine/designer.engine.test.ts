import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE, DESIGNER_SHEETS, DEMO_PAST_VALUES, TemplateSchema, buildDesignerPlans, buildFillPlan, compileTemplate, derivedValues, fillIndex, parseDesigner,
  type Values,
} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { readUploadedWorkbook } from "../src/upload/read-xlsx";
import { PYTHON, haveLibreOffice, recalculate, type Scalar } from "./libreoffice";

// The template designer workbook filled by python3-openpyxl (standing in for Excel or WPS): the
// built-in template round-trips unchanged; a changed one (a new indicator, a new rate, a new rule)
// becomes a template whose fill sheet LibreOffice recalculates to the shared evaluator's figures.
if (!haveLibreOffice) console.warn("SKIPPED: LibreOffice and python3-openpyxl are not installed; the designer's engine checks cannot run.");
const builtin = TemplateSchema.parse(BUILTIN_TEMPLATE);

const EDIT = `import json, openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for sheet, row in json.loads(sys.argv[2]):
    ws = wb[sheet]
    r = ws.max_row + 1
    for c, v in enumerate(row, start=1):
        if v is not None:
            ws.cell(row=r, column=c, value=v)
for sheet, cell, v in json.loads(sys.argv[3]):
    wb[sheet][cell] = v
wb.save(sys.argv[4])
`;

async function throughOpenpyxl(appends: [string, (string | number | null)[]][], sets: [string, string, string][]) {
  const dir = mkdtempSync(join(tmpdir(), "tianbao-designer-"));
  writeFileSync(join(dir, "designer.xlsx"), new Uint8Array(await renderWorkbook(buildDesignerPlans(builtin))));
  writeFileSync(join(dir, "edit.py"), EDIT);
  execFileSync(PYTHON, [join(dir, "edit.py"), join(dir, "designer.xlsx"), JSON.stringify(appends), JSON.stringify(sets), join(dir, "saved.xlsx")]);
  const book = await readUploadedWorkbook(new Uint8Array(readFileSync(join(dir, "saved.xlsx"))));
  if (!book.ok) throw new Error(JSON.stringify(book));
  const grid = (name: string) => book.value.find((s) => s.sheetName === name)?.grid ?? [];
  return parseDesigner({ template: grid(DESIGNER_SHEETS.template), sections: grid(DESIGNER_SHEETS.sections), indicators: grid(DESIGNER_SHEETS.indicators), rules: grid(DESIGNER_SHEETS.rules) });
}

describe.skipIf(!haveLibreOffice)("the designer workbook, filled by openpyxl", () => {
  it("saved unchanged, reads back as the identical template", async () => {
    const r = await throughOpenpyxl([], []);
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    const { version: _v, status: _s, ...same } = builtin;
    expect(r.template).toEqual(same);
  });

  it("changed, gives a template whose fill sheet LibreOffice recalculates to the shared evaluator's figures", async () => {
    const sec = builtin.sections[2]!.code;
    const r = await throughOpenpyxl([
      [DESIGNER_SHEETS.indicators, ["cert_products", sec, "获证产品数", "Certified products", "计数", "个", null, "是"]],
      [DESIGNER_SHEETS.indicators, ["cert_rate", sec, "获证率", "Certification rate", "计算", "%", 2, null, null, null, null, "cert_products / products * 100"]],
      [DESIGNER_SHEETS.rules, ["r_cert", "cert_products <= products", "错误", "获证产品数不能超过产品总数", "Certified products cannot exceed products"]],
    ], [[DESIGNER_SHEETS.template, "B3", "quality_next"]]);
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    expect(r.template.indicators.map((i) => i.code)).toEqual([...builtin.indicators.map((i) => i.code), "cert_products", "cert_rate"]);
    const compiled = compileTemplate({ ...r.template, version: 1, status: "published" });
    if (!compiled.ok) throw new Error("compile");
    const c = compiled.compiled;
    const sets: Values[] = [{ ...DEMO_PAST_VALUES.zezhou!, cert_products: 300 }, { ...DEMO_PAST_VALUES.gaoping!, cert_products: 7 }, { ...DEMO_PAST_VALUES.qinshui!, cert_products: null }];
    const plans = sets.map((v, k) => buildFillPlan(c, { roundId: "rnext", period: "2026", unit: { id: `u${k}`, name: `单位${k}` }, current: v }));
    const sheets = recalculate(await renderWorkbook(plans));
    const index = fillIndex(c);
    let checked = 0;
    sets.forEach((values, k) => {
      const grid = sheets.get(plans[k]!.name)!;
      const ours = derivedValues(c, values).values;
      for (const code of c.derivedOrder) {
        const cell: Scalar = grid[index.rowOf.get(code)!]?.[3] ?? null;
        if (ours[code] === null) expect(cell === null || cell === "", `${code}: ${String(cell)}`).toBe(true);
        else expect(Math.abs(Number(cell) - Number(ours[code])) <= 0.005 + 1e-9 * Math.abs(Number(ours[code])), `${code}: ${String(cell)} vs ${String(ours[code])}`).toBe(true);
        checked++;
      }
    });
    expect(checked).toBe(3 * c.derivedOrder.length);
    expect(derivedValues(c, sets[0]!).values.cert_rate).toBe("60.00");
  });
});
