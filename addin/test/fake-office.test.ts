import { describe, expect, it } from "vitest";
import { createFakeHost } from "./fake-office/office";
import type { FakeRequestContext } from "./fake-office/proxies";

// The fake must hold the add-in to Office's rules, or the adapter tests prove nothing.
describe("the in-memory Excel host", () => {
  const run = <T>(f: (ctx: FakeRequestContext) => Promise<T>) => createFakeHost().Excel.run(f);

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

  it("counts every sync, and rejects arrays that do not match the range", async () => {
    const host = createFakeHost();
    await host.Excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("C");
      await ctx.sync();
      expect(() => { ws.getRange("A1:B2").values = [[1]]; }).toThrow(/dimensions/);
      await ctx.sync();
    });
    expect(host.state.syncCount).toBe(2);
  });
});
