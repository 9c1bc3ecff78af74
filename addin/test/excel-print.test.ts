import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATE, DEMO_PAST_VALUES, FILL_META_ROW, SIGNATURE_LABELS, buildFillPlan, fillIndex, parseFillGrid, type RoundView,
} from "@tianbao/shared";
import { pullIntoSheet, readActiveSheet } from "../src/excel/fill-sheet";
import { pullTemplate } from "../src/flows/pull";
import { api } from "../src/flows/session";
import { submitActiveSheet } from "../src/flows/submit";
import type { FakeHost } from "./fake-office/office";
import type { FakeRequestContext } from "./fake-office/proxies";
import { compiled, ctxOf, installFakeHost, syntheticTemplate } from "./helpers";
import { json, signedIn, stubServer, submissionView } from "./helpers-api";

// The fill sheet as it prints and as it is handed in: page setup through Office.js, the metadata
// row hidden, the signature block, the status line in Chinese — against the strict fake.
const c = compiled();
const unit = { id: "zezhou", name: "泽州县" };
const planFor = (current: Record<string, unknown> | null = null, revision = 0) =>
  buildFillPlan(c, { roundId: "r2025", period: "2025", unit, current: current as never, previous: DEMO_PAST_VALUES.zezhou!, revision });
const realFetch = globalThis.fetch;
const round = { id: "r2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, templateName: BUILTIN_TEMPLATE.name, period: "2025", deadline: "2099-01-01T00:00:00+08:00", ownerUnitId: "jincheng", closed: false, expectedUnitIds: ["zezhou"] } as unknown as RoundView;

let host: FakeHost;
beforeEach(() => { host = installFakeHost(); });
afterEach(() => { globalThis.fetch = realFetch; api.token = null; api.user = null; });

/** Types into the signature block's blanks as the official would (they are unlocked on the protected sheet). */
async function sign(values: (string | number)[]): Promise<void> {
  const inputs = planFor().cells.filter((x) => x.style === "signInput");
  await ctxOf(host)(async (ctx) => {
    const ws = ctx.workbook.worksheets.getActiveWorksheet();
    inputs.forEach((x, i) => { if (values[i] !== undefined) ws.getRange(`${"ABCDEFG"[x.col]}${x.row + 1}`).values = [[values[i]!]]; });
    await ctx.sync();
  });
}

describe("the fill sheet's print setup (Worksheet.pageLayout)", () => {
  it("prints on A4 landscape, one page wide and as many tall as it needs, header row on every page, the form and signature block only", async () => {
    const plan = planFor();
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, c));
    const sheet = host.state.sheets[0]!;
    expect(sheet.page).toMatchObject({
      paperSize: "A4", orientation: "Landscape", zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 },
      printTitleRows: "$4:$4", printArea: plan.print.area, printGridlines: true,
    });
    expect(sheet.page.printArea).toMatch(/^A1:F\d+$/);
    expect(sheet.page.margins).toMatchObject({ left: 36, right: 36 }); // half an inch, in points
    expect(sheet.page.footer.center).toBe("第 &P 页，共 &N 页");
    expect(sheet.page.header.center).toContain("泽州县");
    expect(sheet.protected).toBe(true);
  });

  it("hides the metadata row, which stays locked and is still read on submit", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(DEMO_PAST_VALUES.zezhou!), c));
    const sheet = host.state.sheets[0]!;
    expect([...sheet.hiddenRows]).toEqual([FILL_META_ROW]);
    expect(sheet.cells.get(`${FILL_META_ROW},0`)!.locked).toBe(true);
    const snap = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    expect(parseFillGrid(c, snap.grid, { unitId: "zezhou", roundId: "r2025" }).ok).toBe(true);
  });

  // the print setup is best-effort in a sync of its own (a failing page setup never costs the pull)
  it("costs one round trip of its own: a new sheet and a refresh each take at most three syncs, at 20 and 500 indicators", async () => {
    for (const tpl of [syntheticTemplate(20), syntheticTemplate(500)]) {
      host = installFakeHost();
      const plan = buildFillPlan(tpl, { roundId: "r", period: "2025", unit, current: null });
      for (let k = 0; k < 2; k++) {
        const before = host.state.syncCount;
        await ctxOf(host)((ctx) => pullIntoSheet(ctx, plan, tpl));
        expect(host.state.syncCount - before).toBeLessThanOrEqual(3);
      }
      expect(host.state.sheets[0]!.page.printArea).toBe(plan.print.area);
    }
  });
});

describe("the signature block", () => {
  // in the block's order: 填报单位, 统一社会信用代码 (or the 6-digit 行政区划代码), 负责人, 统计负责人, 填报人, 联系电话, 填报日期
  const written = ["泽州县市场监督管理局", "140525", "李四", "赵六", "王五", "0356-2021234", "2025-03-01"];

  it("asks for 填报单位、负责人、填报人、联系电话、填报日期 with the unit's name filled in; what is written stays as typed", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(), c));
    const sheet = host.state.sheets[0]!;
    const values = [...sheet.cells.values()].map((x) => x.value);
    for (const label of SIGNATURE_LABELS) expect(values).toContain(label);
    expect(values).toContain("泽州县");
    await sign(written);
    const texts = [...sheet.cells.values()].map((x) => x.value);
    expect(texts).toContain("0356-2021234"); // a Text cell: the leading 0 stays
    expect(texts).toContain("2025-03-01"); // not turned into a date serial
  });

  it("a filled signature block is not read as figures and is not a layout error: submit sends the same values, and the signature beside them", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(DEMO_PAST_VALUES.zezhou!, 2), c));
    const unsigned = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    await sign([...written.slice(0, 6), "=TODAY()"]);
    const signed = await ctxOf(host)((ctx) => readActiveSheet(ctx));
    const a = parseFillGrid(c, unsigned.grid, { unitId: "zezhou", formulaCells: unsigned.formulaCells });
    const b = parseFillGrid(c, signed.grid, { unitId: "zezhou", formulaCells: signed.formulaCells });
    expect(b.ok).toBe(true);
    expect({ ...b, signature: null }).toEqual({ ...a, signature: null });
    signedIn();
    const bodies: unknown[] = [];
    stubServer((_method, _path, init) => { bodies.push(JSON.parse(String(init.body))); return json(submissionView({ revision: 3 })); });
    const r = await submitActiveSheet("zh");
    expect(r.ok, r.message).toBe(true);
    expect(bodies).toHaveLength(1);
    const body = bodies[0] as { values: Record<string, unknown> };
    expect(Object.keys(body.values).sort()).toEqual(Object.keys(a.ok ? a.values : {}).sort());
    // the signature goes with it, field by field, never among the figures
    expect(JSON.stringify(body.values)).not.toContain("李四");
    expect((body as { signature?: Record<string, string> }).signature).toMatchObject({ code: "140525", head: "李四", statHead: "赵六", filer: "王五", phone: "0356-2021234" });
  });

  it("a submit that would drop a 说明 or change a signature field is confirmed first, then sent acknowledged, keeping warnings confirmed before", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(DEMO_PAST_VALUES.zezhou!, 2), c));
    signedIn();
    const bodies: { acknowledgeWarnings?: boolean; acknowledgeLoss?: boolean }[] = [];
    const lost = { error: { code: "loss_not_acknowledged", message: { zh: "这次上报会丢失第 2 版中填写的内容：F29 工业产品总数（products）的说明「含新建园区」被删除。未保存任何内容", en: "This submission would lose what revision 2 has written" }, lost: { revision: 2, notes: [{ indicator: "products", cell: "F29", before: "含新建园区" }], signature: [] } } };
    stubServer((_method, _path, init) => {
      const body = JSON.parse(String(init.body)) as { acknowledgeWarnings?: boolean; acknowledgeLoss?: boolean };
      bodies.push(body);
      return body.acknowledgeLoss ? json(submissionView({ revision: 3 })) : json(lost, 409);
    });
    const first = await submitActiveSheet("zh", { acknowledgeWarnings: true });
    expect(first.ok).toBe(false);
    expect(first.message).toContain("工业产品总数（products）的说明「含新建园区」被删除");
    expect(first.needsAcknowledgement).toBe(true);
    // the pane's confirm button sends what the flow says: the loss acknowledged, the warnings still confirmed
    const second = await submitActiveSheet("zh", first.acknowledge);
    expect(second.ok, second.message).toBe(true);
    expect(bodies.map((b) => [b.acknowledgeWarnings ?? false, b.acknowledgeLoss ?? false])).toEqual([[true, false], [true, true]]);
  });

  it("pulling again keeps what was written in it", async () => {
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor(), c));
    await sign(written);
    await ctxOf(host)((ctx) => pullIntoSheet(ctx, planFor({ products: 500 }, 1), c));
    const values = [...host.state.sheets[0]!.cells.values()].map((x) => x.value);
    for (const w of written) expect(values).toContain(w);
  });
});

describe("the status line", () => {
  it("is in Chinese after a pull: a returned report shows its revision and the reviewer's comment", async () => {
    signedIn();
    stubServer(() => json(submissionView({ state: "returned", revision: 1, reviewComment: "产品数与去年差异过大，请核实", values: { products: 500 } })));
    const r = await pullTemplate(round, [], "zh");
    expect(r.ok, r.message).toBe(true);
    expect(host.state.sheets[0]!.cells.get("2,0")!.value).toBe("已退回（第 1 版）：产品数与去年差异过大，请核实");
    stubServer(() => json(submissionView({ state: "approved", revision: 2 })));
    await pullTemplate(round, [], "zh");
    expect(host.state.sheets[0]!.cells.get("2,0")!.value).toBe("已审核（第 2 版）");
    expect(fillIndex(c).rowOf.size).toBeGreaterThan(0);
  });
});

describe("the fake holds page setup to Excel's documented rules", () => {
  const run = <T>(f: (ctx: FakeRequestContext) => Promise<T>) => host.Excel.run(f);
  const layoutOf = (ctx: FakeRequestContext) => ctx.workbook.worksheets.add("P").pageLayout;

  it("refuses a zoom with both a scale and pages to fit, a scale outside 10–400, and a fractional page count", async () => {
    for (const zoom of [{ scale: 80, horizontalFitToPages: 1 }, { scale: 5 }, { horizontalFitToPages: 1.5 }, {}]) {
      host = installFakeHost();
      await run(async (ctx) => {
        layoutOf(ctx).zoom = zoom;
        await expect(ctx.sync(), JSON.stringify(zoom)).rejects.toMatchObject({ code: "InvalidArgument" });
      });
    }
  });

  it("refuses print title rows that are not whole rows, an unknown paper, and a header over 255 characters", async () => {
    await run(async (ctx) => {
      const layout = layoutOf(ctx);
      await ctx.sync();
      layout.setPrintTitleRows("A4:G4");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      layout.paperSize = "A4-ish";
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      layout.headersFooters.defaultForAllPages.centerHeader = "表".repeat(254);
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    });
  });

  it("refuses page setup, hiding rows and row heights on a protected sheet, and a row over 409 points", async () => {
    await run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("P");
      ws.getRange("A1").format.rowHeight = 410;
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
      ws.protection.protect();
      await ctx.sync();
      ws.pageLayout.orientation = "Landscape";
      await expect(ctx.sync()).rejects.toMatchObject({ code: "AccessDenied" });
      ws.getRange("A2").rowHidden = true;
      await expect(ctx.sync()).rejects.toMatchObject({ code: "AccessDenied" });
    });
  });
});
