import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_PAST_VALUES, FILL_COLUMNS, buildFillPlan, cellAddress, fillIndex } from "@tianbao/shared";
import { pullIntoSheet, readActiveSheet } from "../src/excel/fill-sheet";
import { submitActiveSheet } from "../src/flows/submit";
import { api } from "../src/flows/session";
import type { FakeHost } from "./fake-office/office";
import { pasteValue, typeInto } from "./fake-office/typing";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

// Issue 20 in the add-in: a sheet is submitted exactly as the official sees it, or refused on the
// cell where it is not — whatever Excel did to what was typed (fake-office/input.ts, typing.ts).
const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const rowOf = (code: string) => fillIndex(c).rowOf.get(code)!;
const valueCell = (code: string) => cellAddress(rowOf(code), FILL_COLUMNS.value);
const noteCell = (code: string) => cellAddress(rowOf(code), FILL_COLUMNS.comment);
const realFetch = globalThis.fetch;

let host: FakeHost;
let sent: { values: Record<string, unknown>; comments: Record<string, string> }[];
beforeEach(async () => {
  host = installFakeHost();
  await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision: 1 }), c));
  signedIn();
  sent = [];
  stubServer((_method, _path, init) => { sent.push(JSON.parse(String(init.body))); return json(submissionView({ revision: 2 })); });
});
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });

/** The official clears a figure cell's format back to General (Home → Clear → Clear Formats, on the unprotected sheet). */
const clearFormat = (address: string) => ctxOf(host)(async (ctx) => {
  const ws = ctx.workbook.worksheets.getActiveWorksheet();
  ws.protection.unprotect();
  ws.getRange(address).numberFormat = [["General"]];
  await ctx.sync();
});

describe("what is submitted is what the official sees", () => {
  it("a note and a text answer typed starting with '=' into their Text cells are submitted as that text, not refused as formulas", async () => {
    typeInto(host.state, noteCell("products"), "=与上年口径不同，含新增企业");
    typeInto(host.state, valueCell("remarks"), "=见附件");
    const before = host.state.syncCount;
    const r = await submitActiveSheet("zh");
    expect(r.message).not.toContain("公式");
    expect(r.ok).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.comments.products).toBe("=与上年口径不同，含新增企业");
    expect(sent[0]!.values.remarks).toBe("=见附件");
    // one sync reads the sheet; after the network call one reads whether it is protected now (the
    // official may have changed it meanwhile) and one writes the outcome
    expect(host.state.syncCount - before).toBe(3);
  });

  it("'5-1' typed into a count cell left General becomes a date in Excel and is refused on its cell, naming the date it shows; nothing is sent", async () => {
    await clearFormat(valueCell("products"));
    typeInto(host.state, valueCell("products"), "5-1");
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain(valueCell("products"));
    expect(r.message).toContain("日期「1-May」");
    expect(sent).toHaveLength(0);
  });

  it("45% typed into an amount cell left General is refused on its cell, never sent as 0.45", async () => {
    await clearFormat(valueCell("work_funds"));
    typeInto(host.state, valueCell("work_funds"), "45%");
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain(valueCell("work_funds"));
    expect(r.message).toContain("百分数「45%」");
    expect(sent).toHaveLength(0);
  });

  it("an error value pasted into a text answer is refused on its cell naming the error, not sent as the text '#N/A'", async () => {
    pasteValue(host.state, valueCell("remarks"), { error: "#N/A" });
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain(`${valueCell("remarks")} `);
    expect(r.message).toContain("错误值 #N/A");
    expect(sent).toHaveLength(0);
  });

  it("a figure pasted from a calculation with 17 digits (30.299999999999997) is submitted as Excel shows it: 30.3", async () => {
    pasteValue(host.state, valueCell("work_funds"), 30.299999999999997); // as a sum of decimals comes out in binary
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(true);
    expect(sent[0]!.values.work_funds).toBe(30.3);
  });

  it("a real formula in a note's Text cell (written, not typed) is still refused as a formula on its cell", async () => {
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.getActiveWorksheet().getRange(noteCell("products")).formulas = [['="见"&"附件"']]; await ctx.sync(); });
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain(`${noteCell("products")} `);
    expect(r.message).toContain("公式");
    expect(sent).toHaveLength(0);
  });
});

describe("pulling again keeps what was typed, as shown", () => {
  it("an error value in a text answer is not kept as the text '#N/A' (which would then be submitted as an answer)", async () => {
    pasteValue(host.state, valueCell("remarks"), { error: "#N/A" });
    typeInto(host.state, noteCell("products"), "=与上年口径不同");
    const plan = buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision: 1 });
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, c));
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    expect(snap.grid[rowOf("remarks")]![FILL_COLUMNS.value] ?? null).not.toBe("#N/A");
    expect(snap.grid[rowOf("products")]![FILL_COLUMNS.comment]).toBe("=与上年口径不同"); // a note typed with "=" stays, as text
    expect(snap.formulaCells?.has(noteCell("products"))).toBe(false);
  });
});

describe("readActiveSheet reads each cell as shown, in the one sync it always took", () => {
  it("reports error values, percents and dates with the text the cell shows; '=…' and '#N/A' typed as text are neither formulas nor errors", async () => {
    await clearFormat(valueCell("products"));
    typeInto(host.state, valueCell("products"), "5-1");
    typeInto(host.state, valueCell("work_funds"), "45%"); // kept "0.00": shown as 0.45, not a percent
    pasteValue(host.state, valueCell("above_scale_ents"), { error: "#N/A" }); // pasted: typed, the whole-number rule would refuse it
    typeInto(host.state, noteCell("products"), "=说明");
    typeInto(host.state, noteCell("work_funds"), "#N/A"); // text in a Text cell
    const before = host.state.syncCount;
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    expect(host.state.syncCount - before).toBe(1);
    expect(snap.shown?.get(valueCell("products"))).toEqual({ as: "date", text: "1-May" });
    expect(snap.shown?.has(valueCell("work_funds"))).toBe(false);
    expect(snap.grid[rowOf("work_funds")]![FILL_COLUMNS.value]).toBe(0.45);
    expect([...(snap.errors ?? new Map())]).toEqual([[valueCell("above_scale_ents"), "#N/A"]]);
    expect(snap.formulaCells?.has(noteCell("products"))).toBe(false);
    expect(snap.grid[rowOf("products")]![FILL_COLUMNS.comment]).toBe("=说明");
    expect(snap.formulaCells?.has(valueCell("std_coverage_rate"))).toBe(true); // the live rate formulas still are formulas
  });
});

describe("a sheet over Excel on the web's 5 MB answer limit, read in blocks", () => {
  const rows = Array.from({ length: 100 }, () => ["数".repeat(9000)]); // ~2.7 MB of UTF-8 per 100 rows
  /** A 200-row sheet of long text, read by readActiveSheet: its snapshot and the syncs the read took. */
  const readBig = async (figures: boolean) => {
    host = installFakeHost();
    await ctxOf(host)(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("大表");
      ws.getRange("A1:A100").values = rows;
      await ctx.sync();
      ws.getRange("A101:A200").values = rows;
      ws.getRange("B1:B2").numberFormat = [["0%"], ["General"]];
      ws.getRange("B1:B2").values = [[figures ? 0.45 : "x"], ["y"]];
      await ctx.sync();
    });
    if (figures) typeInto(host.state, "B2", "5-1");
    const [before, refusals] = [host.state.syncCount, host.state.payloadRefusals];
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    expect(host.state.payloadRefusals).toBeGreaterThan(refusals); // the whole answer was over the limit
    return { snap, syncs: host.state.syncCount - before };
  };

  it("still reports what its percent and date cells show, with exactly one sync more for their text", async () => {
    const plain = await readBig(false);
    const { snap, syncs } = await readBig(true);
    expect(snap.grid[199]![0]).toBe(rows[0]![0]);
    expect(snap.shown?.get("B1")).toEqual({ as: "percent", text: "45%" });
    expect(snap.shown?.get("B2")).toEqual({ as: "date", text: "1-May" });
    expect(plain.snap.shown?.size).toBe(0);
    expect(syncs).toBe(plain.syncs + 1);
  });
});
