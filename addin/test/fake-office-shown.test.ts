import { describe, expect, it } from "vitest";
import { createFakeHost, type FakeHost } from "./fake-office/office";
import type { FakeRequestContext } from "./fake-office/proxies";
import { pasteValue, typeInto } from "./fake-office/typing";

// What a cell shows, and what an official's typing does to it, as Excel does it (rules cited in
// fake-office/input.ts, display.ts and typing.ts). Each test failed against the previous fake, which
// had no Range.text or valueTypes, no error constants and no way to type or paste as a person does.
const sheet = async (host: FakeHost, setup?: (ctx: FakeRequestContext) => void) => host.Excel.run(async (ctx) => {
  ctx.workbook.worksheets.add("S");
  setup?.(ctx);
  await ctx.sync();
});
const read = (host: FakeHost, address: string) => host.Excel.run(async (ctx) => {
  const r = ctx.workbook.worksheets.getItem("S").getRange(address).load("values,formulas,text,valueTypes,numberFormat");
  await ctx.sync();
  return { values: r.values, formulas: r.formulas, text: r.text, valueTypes: r.valueTypes, numberFormat: r.numberFormat };
});

describe("typing and pasting as an official does, read back as Excel reports it", () => {
  it("text typed into a Text cell stays text, '=…' included, and Range.formulas reads it back as that same text", async () => {
    const host = createFakeHost();
    await sheet(host, (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1:A2").numberFormat = [["@"], ["General"]]; });
    typeInto(host.state, "A1", "=与上年口径不同");
    typeInto(host.state, "A2", "'=SUM(B1:B2)"); // the apostrophe keeps it text in a General cell
    const r = await read(host, "A1:A2");
    expect(r.values).toEqual([["=与上年口径不同"], ["=SUM(B1:B2)"]]);
    expect(r.formulas).toEqual(r.values); // no formula: its value is returned instead
    expect(r.valueTypes).toEqual([["String"], ["String"]]);
    typeInto(host.state, "A2", "=1+2"); // typed into General it is a formula
    expect((await read(host, "A2")).values).toEqual([[3]]);
  });

  it("'5-1' typed into a General cell becomes a date serial with a date format, shown as 1-May; a cell with a number format keeps it", async () => {
    const host = createFakeHost();
    await sheet(host, (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("B1").numberFormat = [["0"]]; });
    typeInto(host.state, "A1", "5-1");
    typeInto(host.state, "B1", "5-1");
    const r = await read(host, "A1:B1");
    const serial = r.values[0]![0] as number;
    expect(serial).toBe((Date.UTC(new Date().getUTCFullYear(), 4, 1) - Date.UTC(1899, 11, 30)) / 86_400_000);
    expect(r.numberFormat).toEqual([["d-mmm", "0"]]);
    expect(r.text).toEqual([["1-May", String(serial)]]);
    expect(r.valueTypes).toEqual([["Double", "Double"]]);
  });

  it("'45%' typed into a General cell is 0.45 with a percent format, shown as 45%", async () => {
    const host = createFakeHost();
    await sheet(host);
    typeInto(host.state, "A1", "45%");
    typeInto(host.state, "A2", "12.5%");
    const r = await read(host, "A1:A2");
    expect(r.values).toEqual([[0.45], [0.125]]);
    expect(r.text).toEqual([["45%"], ["13%"]]); // "0%" shows whole percents
  });

  it("error values read as their string in values and text and as 'Error' in valueTypes; '#N/A' typed into a Text cell is a String", async () => {
    const host = createFakeHost();
    await sheet(host, (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("S");
      ws.getRange("C1").numberFormat = [["@"]];
      ws.getRange("A1").formulas = [["=1/0"]];
    });
    typeInto(host.state, "B1", "#n/a");
    typeInto(host.state, "C1", "#N/A");
    const r = await read(host, "A1:C1");
    expect(r.values).toEqual([["#DIV/0!", "#N/A", "#N/A"]]);
    expect(r.text).toEqual(r.values);
    expect(r.valueTypes).toEqual([["Error", "Error", "String"]]);
  });

  it("typing into a locked cell of a protected sheet is refused; an unlocked cell takes it", async () => {
    const host = createFakeHost();
    await sheet(host, (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("S");
      ws.getRange("B1").format.protection.locked = false;
      ws.protection.protect();
    });
    expect(() => typeInto(host.state, "A1", "1")).toThrow(/protected/);
    typeInto(host.state, "B1", "1");
    expect((await read(host, "A1:B1")).values).toEqual([["", 1]]);
  });

  it("Paste Values keeps every digit and the cell's own format; Range.text shows the number through it", async () => {
    const host = createFakeHost();
    await sheet(host, (ctx) => { ctx.workbook.worksheets.getItem("S").getRange("A1:B1").numberFormat = [["0.00", "General"]]; });
    pasteValue(host.state, "A1", 30.299999999999997);
    pasteValue(host.state, "B1", 30.299999999999997);
    const r = await read(host, "A1:B1");
    expect(r.values).toEqual([[30.299999999999997, 30.299999999999997]]);
    expect(r.numberFormat).toEqual([["0.00", "General"]]);
    expect(r.text).toEqual([["30.30", "30.3"]]);
  });
});
