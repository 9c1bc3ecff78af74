import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, FILL_COLUMNS, MAX_VALIDATED_NAME, TemplateSchema, buildFillPlan, fillIndex, parseFillGrid,
  type CompiledTemplate, type TemplateInput,
} from "@tianbao/shared";
import { SheetWriteError } from "../src/excel/errors";
import { pullIntoSheet, readActiveSheet, writeOutcome } from "../src/excel/fill-sheet";
import { submitActiveSheet } from "../src/flows/submit";
import { pullTemplate } from "../src/flows/pull";
import { api } from "../src/flows/session";
import { PAYLOAD_LIMIT_BYTES } from "./fake-office/excel-rules";
import type { FakeHost } from "./fake-office/office";
import { compiled, ctxOf, installFakeHost } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

// The add-in's Excel code against the stricter fake: behaviour exactly as Excel behaves.
const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const index = fillIndex(c);
const rowOf = (code: string) => index.rowOf.get(code)!;
const realFetch = globalThis.fetch;

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });

const cell = (code: string, col: number) => host.state.sheets[0]!.cells.get(`${rowOf(code)},${col}`)!;

describe("text stays text", () => {
  const tricky = ["2024-05-01", "1/2", "50%", "(12)", "TRUE", "+1", "=HYPERLINK(\"x\")", "-3 户", "1,234"];
  const codes = c.template.indicators.filter((i) => i.kind !== "derived").slice(0, tricky.length).map((i) => i.code);

  it("comments and text answers written by a pull come back exactly as they were", async () => {
    const comments = Object.fromEntries(codes.map((code, i) => [code, tricky[i]!]));
    const plan = buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: { ...DEMO_PAST_VALUES.zezhou!, remarks: "(12)" }, comments });
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, c));
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    const parsed = parseFillGrid(c, snap.grid, { unitId: "zezhou" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.comments).toEqual(comments);
    expect(parsed.values.remarks).toBe("(12)");
    expect(cell(codes[0]!, FILL_COLUMNS.comment).numberFormat).toBe("@");
  });

  it("what the official types later into a text answer or a note is kept as text (the cells are Text before anything is typed)", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit }), c));
    const remarks = rowOf("remarks") + 1;
    const note = rowOf("products") + 1;
    await ctxOf(host)(async (ctx) => {
      const ws = ctx.workbook.worksheets.getActiveWorksheet();
      ws.getRange(`D${remarks}`).values = [["1/2"]]; // typed the way Excel receives it: a string
      ws.getRange(`F${note}`).values = [["TRUE"]];
      await ctx.sync();
    });
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    const parsed = parseFillGrid(c, snap.grid, { unitId: "zezhou" });
    expect(parsed.ok && parsed.values.remarks).toBe("1/2");
    expect(parsed.ok && parsed.comments.products).toBe("TRUE");
  });

  it("status lines and marks that start like a number or a formula stay text", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit }), c));
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    await ctxOf(host)((ctx) => writeOutcome(ctx, snap, c, { status: "+1 项待核实", marks: [{ code: "products", severity: "warning", text: "-15.38 小于 0" }] }));
    expect(host.state.sheets[0]!.cells.get("2,0")!.value).toBe("+1 项待核实");
    expect(cell("products", FILL_COLUMNS.check).value).toBe("-15.38 小于 0");
  });
});

describe("drawing never leaves a sheet half-drawn and unprotected", () => {
  it("a pull that fails part-way re-protects the sheet and says so; the typed figures stay", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: { products: 612 } }), c));
    const broken = buildFillPlan(c, { roundId: "r2025", period: "2025", unit });
    broken.validations[0] = { ...broken.validations[0]!, type: "list", list: Array.from({ length: 60 }, (_, i) => `选项${i}`) }; // Excel refuses: over 255 characters
    const err = await ctxOf(host)((ctx) => pullIntoSheet(ctx, broken, c)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SheetWriteError);
    expect((err as SheetWriteError).reprotected).toBe(true);
    expect((err as SheetWriteError).text.zh).toContain("工作表已重新保护");
    const sheet = host.state.sheets[0]!;
    expect(sheet.protected).toBe(true);
    expect(cell("products", FILL_COLUMNS.value).value).toBe(612);
  });

  it("a refresh of a protected sheet reads protection first, so protect() is never called on a protected sheet", async () => {
    const plan = () => buildFillPlan(c, { roundId: "r2025", period: "2025", unit });
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(host.state.sheets[0]!.protected).toBe(true);
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan(), c)); // would fail with InvalidOperation otherwise
    host.state.sheets[0]!.protected = false; // the official unprotected it by hand
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan(), c));
    expect(host.state.sheets[0]!.protected).toBe(true);
  });
});

describe("reading", () => {
  it("works wherever the used range starts", async () => {
    await ctxOf(host)(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("其他");
      ws.getRange("C3:D4").values = [["x", 1], [2, "y"]];
      ws.activate();
      await ctx.sync();
    });
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    expect(snap.grid[2]![2]).toBe("x");
    expect(snap.grid[3]![3]).toBe("y");
    expect(snap.grid[0]).toEqual([]);
  });

  it("derived cells read back their computed values, and a submit still takes only typed figures", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou! }), c));
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    expect(snap.grid[rowOf("std_coverage_rate")]![FILL_COLUMNS.value]).toBeCloseTo(87, 0); // a number, computed as Excel would
    const parsed = parseFillGrid(c, snap.grid, { unitId: "zezhou" });
    expect(parsed.ok && "std_coverage_rate" in parsed.values).toBe(false);
  });
});

/** The largest fill sheet the schema allows: 1,000 text indicators at their longest, with notes. */
function largestTemplate(): CompiledTemplate {
  const input: TemplateInput = {
    id: "largest", version: 1, status: "published", name: { zh: "最大模板", en: "Largest" }, periodType: "annual",
    sections: Array.from({ length: 40 }, (_, k) => ({ code: `s${k}`, name: { zh: `第${k + 1}组`, en: `Group ${k + 1}` } })),
    indicators: Array.from({ length: 1000 }, (_, i) => ({ code: `t${i}`, section: `s${Math.floor(i / 25)}`, kind: "text" as const, maxLength: 2000, name: { zh: `${i}${"名".repeat(MAX_VALIDATED_NAME - 4)}`, en: `Text ${i}` } })),
    rules: [],
  };
  return compiled(TemplateSchema.parse(input));
}

describe("Excel on the web's 5 MB payload limit", () => {
  it("the largest template the schema allows pulls, reads and marks without any request or response over 5 MB", async () => {
    const big = largestTemplate();
    const text = (i: number, n: number) => `${i}:${"填".repeat(n - String(i).length - 1)}`;
    const current = Object.fromEntries(big.template.indicators.map((ind, i) => [ind.code, text(i, 2000)]));
    const comments = Object.fromEntries(big.template.indicators.map((ind, i) => [ind.code, text(i, 1000)]));
    const plan = buildFillPlan(big, { roundId: "r", period: "2025", unit, current, previous: current, comments });
    const before = host.state.syncCount;
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, big));
    const pullSyncs = host.state.syncCount - before;
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    const parsed = parseFillGrid(big, snap.grid, { unitId: "zezhou" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.values).toEqual(current);
    expect(parsed.comments).toEqual(comments);
    await ctxOf(host)((ctx) => writeOutcome(ctx, snap, big, { status: "校验通过", marks: big.template.indicators.map((i) => ({ code: i.code, severity: "warning" as const, text: "请核实" })) }));
    // It got through although the sheet is three times the limit: the pull wrote in blocks (no request
    // was refused) and the read, refused as a whole, fell back to blocks (halved until each fits).
    expect(pullSyncs).toBeGreaterThan(2);
    expect(host.state.payloadRefusals).toBeGreaterThanOrEqual(1); // the whole read, then any block still too big
    expect(host.state.largestRequest).toBeGreaterThan(PAYLOAD_LIMIT_BYTES / 2);
    console.log(`largest template: pull ${pullSyncs} syncs, largest accepted request ${(host.state.largestRequest / 1048576).toFixed(2)} MB, largest accepted response ${(host.state.largestResponse / 1048576).toFixed(2)} MB, ${host.state.payloadRefusals} reads refused and retried in blocks`);
  }, 60_000);
});

describe("submit: the server's answer is never lost to Excel", () => {
  const pulled = async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision: 2 }), c));
  };

  it("calls the server outside Excel.run, and shows the stored revision on the sheet", async () => {
    await pulled();
    signedIn();
    const seen: { openRuns: number; ifMatch: string | null }[] = [];
    stubServer((method, path, init) => {
      seen.push({ openRuns: host.state.openRuns, ifMatch: new Headers(init.headers).get("if-match") });
      return json(submissionView({ revision: 3 }));
    });
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(true);
    expect(r.revision).toBe(3);
    expect(seen).toEqual([{ openRuns: 0, ifMatch: "\"2\"" }]); // no Excel batch held open across the network
    expect(host.state.sheets[0]!.cells.get("2,0")!.value).toMatch(/^已上报（第 3 版） · /);
    expect(String(host.state.sheets[0]!.cells.get("1,0")!.value)).toContain("rev=3");
  });

  it("an accepted submit whose sheet cannot be updated afterwards is reported as stored, with its revision", async () => {
    await pulled();
    signedIn();
    stubServer(() => {
      host.state.sheets[0]!.name = "改名了"; // the official renamed the sheet while the answer was on its way
      return json(submissionView({ revision: 3 }));
    });
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(true);
    expect(r.revision).toBe(3);
    expect(r.message).toContain("已上报（第 3 版）（服务器已保存），但更新工作表失败");
    expect(r.message).not.toContain("未上报");
  });

  it("a refused submit says so and leaves the figures alone", async () => {
    await pulled();
    signedIn();
    stubServer(() => json({ error: { code: "stale_revision", message: { zh: "数据已被他人更新", en: "Someone else updated it" } } }, 412));
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain("数据已被他人更新");
    expect(host.state.sheets[0]!.cells.get("2,0")!.value).toContain("未上报");
    expect(cell("products", FILL_COLUMNS.value).value).toBe(DEMO_PAST_VALUES.zezhou!.products);
  });
});

describe("the built-in template", () => {
  it("is within Excel's limits (it compiles with the limits checked)", () => {
    expect(compiled(BUILTIN_TEMPLATE).template.id).toBe(BUILTIN_TEMPLATE.id);
  });
});

describe("pulling never overwrites another sheet or leaves an old one behind", () => {
  const planFor = (roundId: string, current = DEMO_PAST_VALUES.zezhou!) => buildFillPlan(c, { roundId, period: "2025", unit, current });

  it("a sheet of the same name that is not this round's fill sheet for this unit is left exactly as it is", async () => {
    const name = planFor("r2025").name;
    // an official's own sheet that happens to have the name, and another round's fill sheet
    await ctxOf(host)(async (ctx) => {
      const ws = ctx.workbook.worksheets.add(name);
      ws.getRange("A1:B2").values = [["我的表", "不要动"], ["x", 1]];
      await ctx.sync();
    });
    const r = await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor("r2025"), c));
    expect(r.taken).toBe(true);
    expect(host.state.sheets[0]!.cells.get("0,1")!.value).toBe("不要动");
    expect(host.state.sheets).toHaveLength(1);

    host = installFakeHost();
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor("rOther"), c));
    await ctxOf(host)(async (ctx) => { // figures typed but not submitted in the other round's sheet
      const ws = ctx.workbook.worksheets.getActiveWorksheet();
      ws.protection.unprotect();
      ws.getRange(`D${rowOf("products") + 1}`).values = [[777]];
      await ctx.sync();
    });
    const again = await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor("r2025"), c));
    expect(again.taken).toBe(true);
    expect(cell("products", FILL_COLUMNS.value).value).toBe(777);
  });

  it("the pull flow says which sheet is in the way and that nothing was pulled", async () => {
    signedIn();
    stubServer(() => json(submissionView({ state: "not_started", revision: 0 })));
    const round = { id: "r2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, templateName: BUILTIN_TEMPLATE.name, period: "2025", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "jincheng", closed: false, expectedUnitIds: ["zezhou"] } as const;
    const name = planFor("r2025").name;
    await ctxOf(host)(async (ctx) => { ctx.workbook.worksheets.add(name).getRange("A1").values = [["别人的表"]]; await ctx.sync(); });
    const r = await pullTemplate({ ...round, expectedUnitIds: [...round.expectedUnitIds] }, [], "zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain("未拉取");
    expect(r.message).toContain(name);
    expect(host.state.sheets[0]!.cells.get("0,0")!.value).toBe("别人的表");
  });

  it("refreshing this round's sheet clears whatever the old drawing left below or beside the new one", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor("r2025"), c));
    const sheet = host.state.sheets[0]!;
    const below = Math.max(...[...sheet.cells.keys()].map((k) => Number(k.split(",")[0]))) + 3;
    await ctxOf(host)(async (ctx) => {
      const ws = ctx.workbook.worksheets.getActiveWorksheet();
      ws.protection.unprotect();
      const stale = ws.getRange(`A${below + 1}:H${below + 1}`);
      stale.values = [["旧行", 1, 2, 3, 4, 5, 6, 7]];
      stale.format.protection.locked = false;
      await ctx.sync();
    });
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor("r2025"), c));
    for (let col = 0; col < 8; col++) expect(host.state.sheets[0]!.cells.get(`${below},${col}`)?.value ?? "").toBe("");
    expect(host.state.sheets[0]!.cells.get(`${below},0`)?.locked ?? true).toBe(true);
    expect(host.state.sheets[0]!.protected).toBe(true);
  });
});

describe("formulas in input cells", () => {
  it("a formula typed into a figure's cell is refused by cell, as for an uploaded file; nothing is sent", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: DEMO_PAST_VALUES.zezhou!, revision: 1 }), c));
    const address = `D${rowOf("products") + 1}`;
    await ctxOf(host)(async (ctx) => {
      ctx.workbook.worksheets.getActiveWorksheet().getRange(address).formulas = [["=100+200"]];
      await ctx.sync();
    });
    signedIn();
    let calls = 0;
    stubServer(() => { calls++; return json(submissionView({ revision: 2 })); });
    const r = await submitActiveSheet("zh");
    expect(r.ok).toBe(false);
    expect(r.message).toContain(address);
    expect(r.message).toContain("公式");
    expect(calls).toBe(0);
  });
});
