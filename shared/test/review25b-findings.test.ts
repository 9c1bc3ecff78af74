// Independent review of detail lists (浮动行, issue 25) in the designer workbook (模板设计表): 表格 类型
// 浮动行清单 with 最多行数 and 重码字段, the fields on 清单字段 — as a city's template designer fills them
// in carelessly — and the rules that decide what a list's rows are. Each test says what the designer
// expects; one that exposes a defect fails until it is fixed.
import { describe, expect, it } from "vitest";
import {
  DEMO_BRANDS_TEMPLATE, DESIGNER_SHEETS, TemplateSchema, buildDesignerPlans, compileTemplate, detailTables, parseDesigner, pickDesignerSheets, planGrid,
  validateDetailRows, withUsccCheck, type CellValue, type SheetPlan, type Template,
} from "@tianbao/shared";

type Grids = Record<"template" | "sections" | "indicators" | "rules" | "tables" | "tableLines" | "detailFields", CellValue[][]>;
const gridsOf = (plans: SheetPlan[]): Grids => {
  const by = (name: string) => planGrid(plans.find((p) => p.name === name)!) as CellValue[][];
  return {
    template: by(DESIGNER_SHEETS.template), sections: by(DESIGNER_SHEETS.sections), indicators: by(DESIGNER_SHEETS.indicators), rules: by(DESIGNER_SHEETS.rules),
    tables: by(DESIGNER_SHEETS.tables), tableLines: by(DESIGNER_SHEETS.tableLines), detailFields: by(DESIGNER_SHEETS.detailFields),
  };
};
const set = (grid: CellValue[][], r: number, c: number, v: CellValue) => { (grid[r] ??= [])[c] = v; };
/** 0-based row of a table on 表格, a field on 清单字段. */
const tableRow = (g: Grids, code: string) => g.tables.findIndex((r) => r[0] === code);
const fieldRow = (g: Grids, table: string, code: string) => g.detailFields.findIndex((r) => r[0] === table && r[1] === code);
const brands = gridsOf(buildDesignerPlans(DEMO_BRANDS_TEMPLATE));
const fresh = (): Grids => structuredClone(brands);
const problemsOf = (g: Partial<Grids> & Pick<Grids, "template" | "sections" | "indicators" | "rules">) => {
  const r = parseDesigner(g);
  return r.ok ? [] : r.problems;
};
const own = (t: Template) => { const { version: _v, status: _s, ...rest } = t; return rest; };

/** A template of one detail list of `fields` fields (text, then counts) and `maxRows` rows. */
function wide(fields: number, maxRows: number, id = "r25b_wide"): Template {
  return TemplateSchema.parse({
    ...DEMO_BRANDS_TEMPLATE, id, status: "draft", rules: [],
    form: { tables: [DEMO_BRANDS_TEMPLATE.form!.tables[0]!, { kind: "detail", code: "w", formNo: "宽1表", name: { zh: "宽清单", en: "Wide list" },
      fields: Array.from({ length: fields }, (_, i) => (i === 0 ? { code: "name", name: { zh: "名称", en: "Name" }, type: "text", required: true } : { code: `f${i}`, name: { zh: `字段${i}`, en: `Field ${i}` }, type: "count", unit: "个" })),
      key: ["name"], maxRows }] },
  });
}

describe("the designer round trip of a template with detail lists", () => {
  it("draws the demo's 质兴4表附表 and reads it back unchanged", () => {
    const r = parseDesigner(fresh());
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    expect(r.template).toEqual(own(DEMO_BRANDS_TEMPLATE));
  });

  it("a list of every field type — a date, a yes/no, a code without a check, options named alike in both languages, bounds with decimals — reads back unchanged", () => {
    const rich = TemplateSchema.parse({
      ...DEMO_BRANDS_TEMPLATE, id: "r25b_rich",
      form: { ...DEMO_BRANDS_TEMPLATE.form!, tables: [...DEMO_BRANDS_TEMPLATE.form!.tables, {
        kind: "detail", code: "checks", formNo: "质兴4表附表二", name: { zh: "监督抽查不合格批次", en: "Failed spot checks" }, attachedTo: "main", unitLine: "计量单位：批次",
        notes: { zh: "每批次一行", en: "One row per batch" },
        fields: [
          { code: "firm", name: { zh: "企业名称", en: "Enterprise" }, type: "text", required: true, maxLength: 60 },
          { code: "lot", name: { zh: "批号", en: "Lot" }, type: "code", maxLength: 30 },
          { code: "kind", name: { zh: "类别", en: "Kind" }, type: "choice", options: [{ code: "a", name: { zh: "食品相关", en: "Food contact" } }, { code: "b", name: { zh: "工业品", en: "工业品" } }, { code: "c", name: { zh: "其他", en: "Other" } }] },
          { code: "again", name: { zh: "是否复查", en: "Rechecked" }, type: "yesno", required: true },
          { code: "pieces", name: { zh: "件数", en: "Pieces" }, type: "count", unit: "件", min: "1", max: "100000" },
          { code: "fine", name: { zh: "罚没款", en: "Fine" }, type: "amount", unit: "万元", decimals: 2, min: "-0.5", max: "500.25" },
          { code: "day", name: { zh: "抽查日期", en: "Date" }, type: "date", required: true },
        ],
        key: ["firm", "lot"], maxRows: 300,
      }] },
    });
    const r = parseDesigner(gridsOf(buildDesignerPlans(rich)));
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    expect(r.template).toEqual(own(rich));
  });
});

describe("清单字段 missing, renamed, or naming what is not there", () => {
  it("a workbook without 清单字段 names the list that has no fields and says the sheet is gone", () => {
    const { detailFields: _gone, ...g } = fresh();
    const p = problemsOf(g);
    const at = p.find((x) => x.cell === `表格!A${tableRow(brands, "producers") + 1}`);
    expect(at?.message.zh).toContain("没有「清单字段」工作表");
  });

  it("清单字段 renamed to 清单字段(2) is named, and nothing is read", () => {
    const g = fresh();
    const sheets = Object.entries(g).map(([k, grid]) => ({ sheetName: k === "detailFields" ? "清单字段(2)" : DESIGNER_SHEETS[k as keyof typeof DESIGNER_SHEETS], grid }));
    const r = pickDesignerSheets(sheets);
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.message.zh).toContain("清单字段"); expect(r.message.zh).toContain("清单字段(2)"); }
  });

  it("a field row for a table not on 表格, and one for a list table, are each refused on their 表代码 cell", () => {
    const g = fresh();
    g.detailFields.push(["nosuch", "x1", "某字段", "", "文本", "", "", "", "", "", "", "", ""]);
    g.detailFields.push(["main", "x2", "某字段", "", "文本", "", "", "", "", "", "", "", ""]);
    const p = problemsOf(g);
    expect(p.find((x) => x.cell === `清单字段!A${g.detailFields.length - 1}`)?.message.zh).toContain("不存在");
    expect(p.find((x) => x.cell === `清单字段!A${g.detailFields.length}`)?.message.zh).toContain("清单表");
  });

  it("a field whose table code differs from the list's only in case is refused, never given to another table", () => {
    const g = fresh();
    set(g.detailFields, fieldRow(g, "producers", "exports"), 0, "Producers");
    const p = problemsOf(g);
    expect(p.some((x) => x.cell === `清单字段!A${fieldRow(brands, "producers", "exports") + 1}`)).toBe(true);
  });
});

describe("options, keys and 最多行数 as they are typed", () => {
  it("options written with full-width ＝ and ；(and a trailing ；) read as with half-width ones", () => {
    const g = fresh();
    set(g.detailFields, fieldRow(g, "producers", "level"), 8, "cn＝中国名牌＝China famous brand；sx＝山西名牌＝Shanxi famous brand；");
    const r = parseDesigner(g);
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    expect(r.template).toEqual(own(DEMO_BRANDS_TEMPLATE));
  });

  it("重码字段 separated by ，、 or a space reads as with ；", () => {
    for (const sep of ["，", "、", " ", ",", ";"]) {
      const g = fresh();
      set(g.tables, tableRow(g, "producers"), 14, `uscc${sep}product`);
      const r = parseDesigner(g);
      expect(r.ok, sep).toBe(true);
      if (r.ok) expect(detailTables(r.template as Template)[0]!.key).toEqual(["uscc", "product"]);
    }
  });

  it("a key naming a field in another case is refused on 重码字段, with the field it must mean", () => {
    const g = fresh();
    set(g.tables, tableRow(g, "producers"), 14, "USCC；product");
    const p = problemsOf(g);
    const at = p.find((x) => x.cell === `表格!O${tableRow(brands, "producers") + 1}`);
    expect(at?.message.zh).toContain("uscc");
  });

  it("最多行数 0, 5,001, 两千, 2000.5 and −1 are each refused on the 最多行数 cell; blank is 2,000", () => {
    for (const v of [0, 5001, "两千", 2000.5, -1, "2000行"]) {
      const g = fresh();
      set(g.tables, tableRow(g, "producers"), 13, v);
      const p = problemsOf(g);
      expect(p.map((x) => x.cell), String(v)).toContain(`表格!N${tableRow(brands, "producers") + 1}`);
    }
    const g = fresh();
    set(g.tables, tableRow(g, "producers"), 13, null);
    const r = parseDesigner(g);
    expect(r.ok && detailTables(r.template as Template)[0]!.maxRows).toBe(2000);
    set(g.tables, tableRow(g, "producers"), 13, 5000);
    const r5 = parseDesigner(g);
    expect(r5.ok && detailTables(r5.template as Template)[0]!.maxRows).toBe(5000);
  });
});

describe("how large a list may be: 60,000 cells a report", () => {
  it("30 fields × 2,000 rows is a template that compiles", () => {
    const c = compileTemplate(wide(30, 2000));
    expect(c.ok, c.ok ? "" : c.issues[0]!.message.en).toBe(true);
  });

  it("30 fields × 2,001 rows is refused, naming the limit", () => {
    const c = compileTemplate(wide(30, 2001));
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.issues.map((i) => i.message.zh).join("\n")).toContain("60,000");
  });

  it("in the designer, 30 fields × 2,001 rows is said on the 最多行数 cell the designer must change", () => {
    const g = gridsOf(buildDesignerPlans(wide(30, 2000, "r25b_wide_d")));
    const row = tableRow(g, "w");
    expect(row).toBeGreaterThan(1);
    expect(parseDesigner(g).ok).toBe(true);
    set(g.tables, row, 13, 2001);
    const p = problemsOf(g);
    const limit = p.find((x) => x.message.zh.includes("60,000"));
    expect(limit, JSON.stringify(p.map((x) => x.cell))).toBeDefined();
    expect(limit!.cell).toBe(`表格!N${row + 1}`);
  });

  it("two lists of 30 × 1,000 and 30 × 1,001 are refused together (the limit is the report's, not each list's)", () => {
    const one = wide(30, 1000);
    const t = TemplateSchema.parse({ ...one, id: "r25b_two_wide", form: { tables: [...one.form!.tables, { ...one.form!.tables[1]!, code: "v", formNo: "宽2表", maxRows: 1001 }] } });
    expect(compileTemplate(t).ok).toBe(false);
  });
});

describe("重码审核 as officials type the same enterprise twice", () => {
  const t = detailTables(DEMO_BRANDS_TEMPLATE)[0]!;
  const row = { firm: "泽州县鑫源焦炭有限公司", uscc: withUsccCheck("91140525MA010000A"), product: "焦炭", level: "山西名牌" };

  it("the same credit code in full-width letters, lower case or with spaces, and the product with other spacing, is the same row", () => {
    const full = row.uscc.replace(/[0-9A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    for (const other of [full, row.uscc.toLowerCase(), ` ${row.uscc.slice(0, 6)} ${row.uscc.slice(6)} `]) {
      const r = validateDetailRows(t, [row, { ...row, uscc: other, product: " 焦　炭 ".replace("　", "") }]);
      expect(r.issues.map((i) => i.code), other).toContain("duplicate_key");
    }
  });

  it("a duplicate says both rows, counted as the sheet's 序号 counts them", () => {
    const r = validateDetailRows(t, [row, { ...row, product: "铸管" }, { ...row }]);
    const dup = r.issues.find((i) => i.code === "duplicate_key")!;
    expect(dup.row).toBe(3);
    expect(dup.message.zh).toContain("第 3 行与第 1 行重复");
  });

  it("two identical rows whose key has an optional field left blank are still said as repeated", () => {
    const loose = { ...t, key: ["uscc", "product"], fields: t.fields.map((f) => (f.code === "product" ? { ...f, required: false } : f)) };
    const same = { firm: row.firm, uscc: row.uscc, level: "山西名牌" };
    const r = validateDetailRows(loose, [same, { ...same }]);
    expect(r.issues.map((i) => i.code)).toContain("duplicate_key");
  });
});
