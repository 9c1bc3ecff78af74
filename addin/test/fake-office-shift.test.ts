// The fake's Range.insert / Range.delete, getEntireRow, getIntersection, getUsedRangeOrNullObject and
// Workbook.getSelectedRange: at least as strict as Excel where the add-in relies on them (fake-office/shift.ts).
import { beforeEach, describe, expect, it } from "vitest";
import type { FakeHost } from "./fake-office/office";
import { shiftFormula } from "./fake-office/shift";
import { selectCells } from "./fake-office/typing";
import { ctxOf, installFakeHost } from "./helpers";

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); });
const run = <T>(f: (ctx: Excel.RequestContext) => Promise<T>) => ctxOf(host)(f);
const sheet = () => host.state.sheets[0]!;
const at = (a: string) => { const m = /^([A-Z]+)(\d+)$/.exec(a)!; return sheet().cells.get(`${Number(m[2]) - 1},${m[1]!.charCodeAt(0) - 65}`); };

/** A sheet: values in A1:A5, a running count in B2:B5 (each from the row above), a sum over A1:A5 in C1. */
async function draw(): Promise<void> {
  await run(async (ctx) => {
    const ws = ctx.workbook.worksheets.add("S");
    ws.getRange("A1:A5").values = [[1], [2], [3], [4], [5]];
    ws.getRange("B1:B5").formulas = [["=A1"], ["=B1+A2"], ["=B2+A3"], ["=B3+A4"], ["=B4+A5"]];
    ws.getRange("C1").formulas = [["=SUM($A$1:$A$5)"]];
    ws.getRange("D1").formulas = [["=S!A5"]];
    ws.getRange("A3:A4").dataValidation.rule = { wholeNumber: { formula1: 0, operator: "GreaterThanOrEqualTo" } };
    ws.getRange("A3:A4").format.protection.locked = false;
    await ctx.sync();
  });
}

describe("Range.insert and Range.delete in the fake", () => {
  it("moves the cells below with their formats and rules, and every reference to a moved cell follows it", async () => {
    await draw();
    await run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A3").getEntireRow().insert("Down"); await ctx.sync(); });
    expect(at("A4")!.value).toBe(3);
    expect(at("A3")).toBeUndefined();
    expect(at("A4")!.validation).not.toBeNull(); // the rule moved with its cell
    expect(at("A4")!.locked).toBe(false);
    // the moved formulas still read the same cells; a row's running count skips the new blank row (it read B2, above the insertion)
    expect(at("B4")!.formula).toBe("=B2+A4");
    expect(at("B6")!.formula).toBe("=B5+A6");
    expect(at("C1")!.formula).toBe("=SUM($A$1:$A$6)"); // a range across the insertion grows, absolute or not
    expect(at("D1")!.formula).toBe("=S!A6");
    const values = await run(async (ctx) => { const r = ctx.workbook.worksheets.getItem("S").getRange("B1:C6").load("values"); await ctx.sync(); return r.values; });
    expect(values.map((r) => r[0])).toEqual([1, 3, "", 6, 10, 15]);
    expect(values[0]![1]).toBe(15);
  });

  it("deletes rows: references to them become #REF!, a range over them shrinks, the rows below move up", async () => {
    await draw();
    await run(async (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("B2:B3").getEntireRow().delete("Up"); await ctx.sync(); });
    expect(at("A2")!.value).toBe(4);
    expect(at("B2")!.formula).toBe("=#REF!+A2"); // it read B3, deleted
    expect(at("B3")!.formula).toBe("=B2+A3");
    expect(at("C1")!.formula).toBe("=SUM($A$1:$A$3)");
    expect(shiftFormula('=IF(A1="A5",S!A5,\'S\'!A5:A9)', false, "S", { at: 4, n: -2, c0: 0, c1: 16_383 })).toBe('=IF(A1="A5",S!#REF!,\'S\'!A5:A7)');
    expect(shiftFormula("=SUM(A:A)+LOG10(A9)+SUM(9:10)", true, "S", { at: 2, n: 3, c0: 0, c1: 16_383 })).toBe("=SUM(A:A)+LOG10(A12)+SUM(12:13)");
  });

  it("is refused on a protected sheet without the permission, and for a partial range even with it", async () => {
    await draw();
    const attempt = (f: (ws: Excel.Worksheet) => void, options: Excel.WorksheetProtectionOptions = {}) => run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("S");
      ws.protection.protect(options);
      await ctx.sync();
      try {
        f(ws);
        await ctx.sync();
        return "done";
      } catch (e) {
        return (e as { code: string }).code;
      } finally {
        ws.protection.unprotect();
        await ctx.sync();
      }
    });
    expect(await attempt((ws) => ws.getRange("A3").getEntireRow().insert("Down"))).toBe("AccessDenied");
    expect(await attempt((ws) => ws.getRange("A3").getEntireRow().delete("Up"))).toBe("AccessDenied");
    expect(await attempt((ws) => ws.getRange("A3:B3").insert("Down"), { allowInsertRows: true })).toBe("AccessDenied");
    // deleting rows is allowed only where every cell of them is unlocked: A3 alone is not the row
    expect(await attempt((ws) => ws.getRange("A3").getEntireRow().delete("Up"), { allowDeleteRows: true })).toBe("AccessDenied");
    expect(at("A3")!.value).toBe(3);
    expect(await attempt((ws) => ws.getRange("A3").getEntireRow().insert("Down"), { allowInsertRows: true })).toBe("done");
    expect(at("A4")!.value).toBe(3);
  });
});

describe("what the row commands read", () => {
  it("getSelectedRange is the active sheet's selection; getUsedRangeOrNullObject and getIntersection", async () => {
    await draw();
    host.state.activeSheet = "S";
    selectCells(host.state, "B3:C4");
    const got = await run(async (ctx) => {
      const sel = ctx.workbook.getSelectedRange().load("rowIndex,rowCount,columnIndex");
      const ws = ctx.workbook.worksheets.getItem("S");
      const usedA = ws.getRange("A1:A100").getUsedRangeOrNullObject(true).load("isNullObject,rowIndex,rowCount");
      const none = ws.getRange("F1:G9").getUsedRangeOrNullObject(true).load("isNullObject,rowIndex");
      const rows = ctx.workbook.getSelectedRange().getEntireRow().getIntersection(ws.getRange("A:A")).load("address");
      await ctx.sync();
      return { sel: [sel.rowIndex, sel.rowCount, sel.columnIndex], used: [usedA.isNullObject, usedA.rowIndex, usedA.rowCount], none: none.isNullObject, rows: rows.address };
    });
    expect(got).toEqual({ sel: [2, 2, 1], used: [false, 0, 5], none: true, rows: "S!A3:A4" });
    selectCells(host.state, "A1,C3");
    await expect(run(async (ctx) => { ctx.workbook.getSelectedRange().load("rowIndex"); await ctx.sync(); })).rejects.toMatchObject({ code: "InvalidSelection" });
  });
});
