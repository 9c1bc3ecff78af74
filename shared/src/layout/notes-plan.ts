import type { CompiledTemplate } from "../template/compile";
import type { Values } from "../schemas/submission";
import { PAGE_FOOTER, WRAPPED_STYLES, type CellPlan, type SheetPlan } from "./sheet-plan";
import { wrappedRowHeights } from "./totals-rows";

/** One unit's words behind its figures: the 说明 it wrote per indicator and its text answers. */
export interface NotesUnit {
  name: string;
  /** The unit above it (a county's city at the province), when the sheet spans levels. */
  parent?: string;
  comments: Record<string, string>;
  values: Values;
}

const WIDTHS = [16, 30, 70];

/**
 * The 说明 sheet of the aggregate workbook: a line per unit and indicator that has a 说明 or a text
 * answer, in the template's order under each unit (units in the order given), so the reader of the
 * totals sees why a figure moved without opening each report. Long notes wrap and their rows grow.
 */
export function buildNotesPlan(compiled: CompiledTemplate, input: { title: string; units: readonly NotesUnit[] }): SheetPlan {
  const cells: CellPlan[] = [];
  const put = (row: number, col: number, value: string, style: CellPlan["style"]): void => { cells.push({ row, col, value, style, locked: true }); };
  const byLevel = input.units.some((u) => u.parent !== undefined);
  put(0, 0, input.title, "title");
  const headers = ["单位", "指标名称", "说明", ...(byLevel ? ["上级单位"] : [])];
  headers.forEach((h, col) => put(1, col, h, "header"));
  let row = 2;
  for (const u of input.units) {
    for (const ind of compiled.template.indicators) {
      const note = u.comments[ind.code]?.trim() ?? "";
      const answer = ind.kind === "text" && typeof u.values[ind.code] === "string" ? (u.values[ind.code] as string).trim() : "";
      const text = [answer, note].filter((s) => s !== "").join("；");
      if (text === "") continue;
      put(row, 0, u.name, "label");
      put(row, 1, noteLabel(compiled, ind.code, ind.name.zh), "label");
      put(row, 2, text, "comment");
      if (byLevel) put(row, 3, u.parent ?? "", "label");
      row++;
    }
  }
  if (row === 2) put(2, 0, "本轮计入汇总的报表没有填写说明", "note");
  const widths = byLevel ? [...WIDTHS, 14] : WIDTHS;
  return {
    name: "说明",
    cells,
    columnWidths: widths,
    merges: [],
    validations: [],
    freezeRows: 2,
    protect: false,
    properties: {},
    rowHeights: wrappedRowHeights(cells.filter((c) => c.row > 1), widths, WRAPPED_STYLES),
    print: { landscape: true, titleRows: "2:2", gridlines: true, footer: PAGE_FOOTER },
  };
}

/** What a note is about: an indicator by its name; on a grid, the row it was written beside (工规2表 制造业). */
function noteLabel(compiled: CompiledTemplate, code: string, name: string): string {
  const ref = compiled.gridCells.get(code);
  const table = ref && compiled.template.form?.tables.find((t) => t.code === ref.table);
  if (!ref || !table || table.kind !== "grid") return name;
  const row = table.rows.find((r) => r.code === ref.row);
  return `${table.formNo || table.name.zh} ${row?.name.zh ?? name}`.trim();
}
