import { describe, expect, it } from "vitest";
import { createFakeHost } from "./fake-office/office";
import type { FakeRequestContext } from "./fake-office/proxies";

// The fake must hold the add-in to Office's rules, or the adapter tests prove nothing. Each rule
// is cited where it is implemented (test/fake-office/excel-rules.ts, proxies.ts, range.ts); each
// test below would have passed against the old, lenient fake only where it says it would fail.
const run = <T>(f: (ctx: FakeRequestContext) => Promise<T>) => createFakeHost().Excel.run(f);

describe("the in-memory Excel host: load and sync", () => {
  it("throws PropertyNotLoaded when a property is read before load and sync", async () => {
    await run(async (ctx) => {
      ctx.workbook.worksheets.add("S");
      const r = ctx.workbook.worksheets.getItem("S").getRange("A1");
      r.values = [[1]];
      expect(() => r.values).toThrow(/PropertyNotLoaded|not available/);
      r.load("values");
      expect(() => r.values).toThrow(/not available/); // loaded but not yet synced
      await ctx.sync();
      expect(r.values).toEqual([[1]]);
    });
  });

  it("fails the sync for a missing sheet with ItemNotFound, and null objects report themselves", async () => {
    await run(async (ctx) => {
      ctx.workbook.worksheets.getItem("nope").getRange("A1").load("values");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "ItemNotFound" });
      const maybe = ctx.workbook.worksheets.getItemOrNullObject("nope").load("isNullObject");
      await ctx.sync();
      expect(maybe.isNullObject).toBe(true);
    });
  });

  it("refuses writes to locked cells of a protected sheet, and allows unlocked ones", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("P");
      ws.getRange("B2").format.protection.locked = false;
      ws.protection.protect();
      await ctx.sync();
      ws.getRange("B2").values = [["ok"]];
      await ctx.sync();
      ws.getRange("A1").values = [["no"]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: "AccessDenied" });
    });
  });

  it("counts every sync", async () => {
    const host = createFakeHost();
    await host.Excel.run(async (ctx) => { ctx.workbook.worksheets.add("C"); await ctx.sync(); await ctx.sync(); });
    expect(host.state.syncCount).toBe(2);
  });
});

describe("the fake is as strict as Excel (each would have passed wrongly against the old fake)", () => {
  it("converts strings written to General cells as Excel does; a Text (@) cell keeps them", async () => {
    const typed = ["2024-05-01", "1/2", "50%", "(12)", "TRUE", "+1", "1,234", "-abc", "'007", "12:30"];
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("T");
      ws.getRange("B1:B10").numberFormat = typed.map(() => ["@"]);
      ws.getRange("A1:A10").values = typed.map((t) => [t]);
      ws.getRange("B1:B10").values = typed.map((t) => [t]);
      const general = ws.getRange("A1:A10").load("values,numberFormat");
      const text = ws.getRange("B1:B10").load("values");
      const formulas = ws.getRange("A1:A10").load("formulas");
      await ctx.sync();
      const g = general.values.map((r) => r[0]);
      expect(g[0]).toBe(45413); // a date serial, and the format changed to a date (OfficeDev/office-js#229)
      expect(general.numberFormat[0]![0]).toBe("m/d/yyyy");
      expect(typeof g[1]).toBe("number"); // "1/2" became a date
      expect(g[2]).toBe(0.5);
      expect(g[3]).toBe(-12);
      expect(g[4]).toBe(true);
      expect(g[5]).toBe(1); // "+1" was taken as a formula
      expect(formulas.formulas[5]![0]).toBe("=+1");
      expect(g[6]).toBe(1234);
      expect(g[7]).toBe("#NAME?"); // "-abc" is a formula that fails
      expect(g[8]).toBe("007"); // the apostrophe keeps text as text and is not part of the value
      expect(g[9]).toBeCloseTo(0.5208333, 6);
      expect(text.values.map((r) => r[0])).toEqual(typed.map((t) => (t.startsWith("'") ? t.slice(1) : t)));
    });
  });

  it("protect() on a protected sheet fails the sync", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("P");
      ws.protection.protect();
      await ctx.sync();
      const p = ws.protection.load("protected");
      await ctx.sync();
      expect(p.protected).toBe(true);
      ws.protection.protect();
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidOperation" });
      ws.protection.unprotect();
      ws.protection.unprotect(); // unprotecting twice is allowed
      ws.protection.protect();
      await ctx.sync();
    });
  });

  it("an error surfaces at sync(), after the commands queued before it have been applied", async () => {
    const host = createFakeHost();
    await host.Excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("C");
      ws.protection.protect();
      await ctx.sync();
      ws.protection.unprotect();
      ws.getRange("A1").values = [["first"]];
      expect(() => { ws.getRange("A2:B3").values = [[1]]; }).not.toThrow(); // nothing is checked until sync
      ws.getRange("A4").values = [["never"]];
      ws.protection.protect();
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    });
    const sheet = host.state.sheets[0]!;
    expect(sheet.cells.get("0,0")!.value).toBe("first"); // applied
    expect(sheet.protected).toBe(false); // the unprotect ran, the protect never did: half-done
    expect(sheet.cells.get("3,0")).toBeUndefined();
  });

  it("the used range is the bounding box of the used cells, wherever it starts; A1 on an empty sheet", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("U");
      const empty = ws.getUsedRange(true).load("address");
      await ctx.sync();
      expect(empty.address).toBe("U!A1");
      ws.getRange("C5").values = [["x"]];
      ws.getRange("E9").values = [[2]];
      ws.getRange("G12").format.fill.color = "#FF0000"; // formatting only
      const valuesOnly = ws.getUsedRange(true).load("address,rowIndex,columnIndex,values");
      const withFormats = ws.getUsedRange().load("address");
      await ctx.sync();
      expect(valuesOnly.address).toBe("U!C5:E9");
      expect([valuesOnly.rowIndex, valuesOnly.columnIndex]).toEqual([4, 2]);
      expect(valuesOnly.values[0]).toEqual(["x", "", ""]);
      expect(withFormats.address).toBe("U!C5:G12");
    });
  });

  it("formula cells read back their computed values (and their formulas through .formulas)", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("F");
      ws.getRange("A1:D1").formulas = [[2, "=A1*3", '=IF(C2="","",C2)', "=1/0"]];
      const r = ws.getRange("A1:D1").load("values,formulas");
      await ctx.sync();
      expect(r.values).toEqual([[2, 6, "", "#DIV/0!"]]);
      expect(r.formulas).toEqual([[2, "=A1*3", '=IF(C2="","",C2)', "=1/0"]]);
      ws.getRange("A1").values = [[5]];
      const again = ws.getRange("B1").load("values");
      await ctx.sync();
      expect(again.values).toEqual([[15]]);
    });
  });

  it("checks number formats: the array's shape and the format itself", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("N");
      await ctx.sync();
      ws.getRange("A1:B1").numberFormat = [["0.00"]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      ws.getRange("A1").numberFormat = [['0.00"']];
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      ws.getRange("A1:D1").numberFormat = [["0.00", "@", "#,##0", "0%"]];
      await ctx.sync();
    });
  });

  it("checks data-validation rules: one kind, list source ≤ 255, alert title ≤ 32 and message ≤ 225", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("V");
      await ctx.sync();
      const r = ws.getRange("A1");
      r.dataValidation.rule = { list: { inCellDropDown: true, source: Array.from({ length: 60 }, (_, i) => `选项${i}`).join(",") } }; // 291 characters
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      r.dataValidation.rule = { list: { inCellDropDown: true, source: "是,否" }, wholeNumber: { formula1: 0, operator: "GreaterThan" } } as never;
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      r.dataValidation.errorAlert = { message: "字".repeat(226), showAlert: true, style: "Stop", title: "天宝填报" };
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      r.dataValidation.errorAlert = { message: "ok", showAlert: true, style: "Stop", title: "t".repeat(33) };
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      r.dataValidation.rule = { list: { inCellDropDown: true, source: "是,否" } };
      r.dataValidation.errorAlert = { message: "字".repeat(225), showAlert: true, style: "Stop", title: "t".repeat(32) };
      await ctx.sync();
    });
  });

  it("refuses a request or a response over Excel on the web's 5 MB payload limit", async () => {
    const host = createFakeHost();
    await host.Excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("L");
      await ctx.sync();
      const big = Array.from({ length: 200 }, () => ["数".repeat(9000)]); // ~5.4 MB of UTF-8
      ws.getRange("A1:A200").values = big;
      await expect(ctx.sync()).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
      expect(host.state.sheets[0]!.cells.size).toBe(0); // nothing of a refused request runs
      ws.getRange("A1:A100").values = big.slice(0, 100);
      await ctx.sync();
      ws.getRange("A101:A200").values = big.slice(100);
      await ctx.sync();
      ws.getRange("A1:A200").load("values");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
    });
  });

  it("handles sheets beyond column Z (AA, AB …)", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("W");
      ws.getRange("AB3").values = [["far"]];
      ws.getRange("A1").values = [["near"]];
      const used = ws.getUsedRange(true).load("address,values");
      await ctx.sync();
      expect(used.address).toBe("W!A1:AB3");
      expect(used.values[0]).toHaveLength(28);
      expect(used.values[2]![27]).toBe("far");
    });
  });

  it("refuses charts, freeze panes and custom properties on a protected sheet", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("X");
      ws.getRange("A1:B2").values = [[1, 2], [3, 4]];
      ws.protection.protect();
      await ctx.sync();
      ws.charts.add("ColumnClustered", ws.getRange("A1:B2"), "Rows");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "AccessDenied" });
      ws.freezePanes.freezeRows(1);
      await expect(ctx.sync()).rejects.toMatchObject({ code: "AccessDenied" });
      ws.customProperties.add("k", "v");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "AccessDenied" });
      ws.protection.unprotect();
      ws.charts.add("ColumnClustered", ws.getRange("A1:B2"), "Rows");
      ws.freezePanes.freezeRows(1);
      ws.customProperties.add("k", "v");
      ws.protection.protect();
      await ctx.sync();
    });
  });

  it("applies Excel's sheet-name rules and the 32,767-character cell limit", async () => {
    await run(async (ctx) => {
      for (const bad of ["History", "'quoted", "a".repeat(32), "a/b", " "]) {
        ctx.workbook.worksheets.add(bad);
        await expect(ctx.sync(), bad).rejects.toMatchObject({ code: "InvalidArgument" });
      }
      const ws = ctx.workbook.worksheets.add("填报-泽州县-2025");
      ws.getRange("A1").values = [["x".repeat(32_768)]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    });
  });
});
