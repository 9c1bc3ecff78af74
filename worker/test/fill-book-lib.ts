// Filling a downloaded fill workbook as an official does, on whichever sheet a figure is: a list's
// row by its code in column A (value in D), a grid's cell at its row code (column A) and its column
// code (the 栏次 row), the cover's fields beside their labels. Works for one-sheet templates too.
import type ExcelJS from "exceljs";
import { decodeFillMeta, gridCellCode } from "@tianbao/shared";

export interface PageSheet { page: string; ws: ExcelJS.Worksheet }

/** The workbook's Tianbao sheets with the page each is ("main" for a one-sheet template). */
export function pagesOf(wb: ExcelJS.Workbook): PageSheet[] {
  return wb.worksheets.flatMap((ws) => {
    const meta = decodeFillMeta(ws.getCell("A2").value);
    return meta ? [{ page: meta.page ?? "main", ws }] : [];
  });
}

/** Every figure's value cell on the workbook's sheets, by indicator code, found as a person reads the sheet. */
export function valueCells(wb: ExcelJS.Workbook): Map<string, ExcelJS.Cell> {
  const cells = new Map<string, ExcelJS.Cell>();
  for (const { page, ws } of pagesOf(wb)) {
    let codesRow = 0;
    ws.eachRow((row, i) => { if (row.getCell(2).value === "栏次") codesRow = i; });
    if (codesRow === 0) {
      ws.eachRow((row) => { const code = row.getCell(1).value; if (typeof code === "string" && code !== "代码") cells.set(code, row.getCell(4)); });
      continue;
    }
    const columns: [number, string][] = [];
    ws.getRow(codesRow).eachCell((c, col) => { if (col > 2 && typeof c.value === "string" && c.value !== "") columns.push([col, c.value]); });
    ws.eachRow((row, i) => {
      const code = row.getCell(1).value;
      if (i <= codesRow || typeof code !== "string" || code === "") return;
      for (const [col, column] of columns) cells.set(gridCellCode(page, code, column), row.getCell(col));
    });
  }
  return cells;
}

/** Writes values by code wherever they are, and the cover's fields by their label (columns A and E, value to the right). */
export function fillBook(wb: ExcelJS.Workbook, values: Record<string, unknown>, cover: Record<string, string> = {}): void {
  const cells = valueCells(wb);
  const missing = Object.keys(values).filter((k) => !cells.has(k));
  if (missing.length) throw new Error(`codes not on the sheets: ${missing.join(", ")}`);
  for (const [code, v] of Object.entries(values)) cells.get(code)!.value = v as ExcelJS.CellValue;
  for (const { ws } of pagesOf(wb)) {
    ws.eachRow((row) => {
      for (const c of [1, 5]) {
        const label = String(row.getCell(c).value ?? "");
        if (label in cover) row.getCell(c + 1).value = cover[label]!;
      }
    });
  }
}

/** Every text on the workbook's Tianbao sheets (what a person reads). */
export function textsOf(wb: ExcelJS.Workbook): string[] {
  const texts: string[] = [];
  for (const { ws } of pagesOf(wb)) ws.eachRow((r) => r.eachCell((c) => texts.push(String(c.value))));
  return texts;
}
