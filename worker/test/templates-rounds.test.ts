import { beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE_INPUT } from "@tianbao/shared";
import { api, ensureDemo, json, login } from "./helpers";

beforeAll(async () => { await ensureDemo(); });
type Err = { error: { code: string; where?: string; message: { zh: string; en: string }; issues?: { indicator: string; message: { en: string } }[] } };

describe("templates", () => {
  it("creates a draft from the built-in template as the next version, publishes it, and then refuses changes", async () => {
    const admin = await login("admin");
    const created = await api("/templates", { method: "POST", token: admin, json: { builtin: true } });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ version: 2, status: "draft" });
    const { id: _id, version: _v, status: _s, ...body } = structuredClone(BUILTIN_TEMPLATE_INPUT);
    body.name = { zh: "质量兴市工作年报（修订）", en: "Quality report (revised)" };
    expect((await api(`/templates/${BUILTIN_TEMPLATE_INPUT.id}/2`, { method: "PUT", token: admin, json: { id: BUILTIN_TEMPLATE_INPUT.id, ...body } })).status).toBe(200);
    expect((await api(`/templates/${BUILTIN_TEMPLATE_INPUT.id}/2/publish`, { method: "POST", token: admin })).status).toBe(200);
    const again = await api(`/templates/${BUILTIN_TEMPLATE_INPUT.id}/2`, { method: "PUT", token: admin, json: { id: BUILTIN_TEMPLATE_INPUT.id, ...body } });
    expect(again.status).toBe(409);
    expect((await json<Err>(again)).error.code).toBe("template_immutable");
    const v1 = await api(`/templates/${BUILTIN_TEMPLATE_INPUT.id}/1/publish`, { method: "POST", token: admin });
    expect(v1.status).toBe(409);
  });

  it("refuses a template whose formula names an unknown indicator, saying which and where", async () => {
    const admin = await login("admin");
    const { version: _v, status: _s, ...t } = structuredClone(BUILTIN_TEMPLATE_INPUT);
    t.id = "custom";
    t.indicators = [...t.indicators, { code: "bad", section: "std", kind: "derived", decimals: 1, formula: "products / nothing", name: { zh: "坏", en: "bad" } }];
    const res = await api("/templates", { method: "POST", token: admin, json: { template: t } });
    expect(res.status).toBe(422);
    const body = await json<Err>(res);
    expect(body.error.code).toBe("template_invalid");
    expect(body.error.issues?.[0]).toMatchObject({ indicator: "indicators.bad.formula" });
    expect(body.error.issues?.[0]?.message.en).toContain("'nothing'");
  });

  it("lets only administrators create templates, and a county reporter read them", async () => {
    const reporter = await login("zezhou");
    expect((await api("/templates", { method: "POST", token: reporter, json: { builtin: true } })).status).toBe(403);
    expect((await api(`/templates/${BUILTIN_TEMPLATE_INPUT.id}/1`, { token: reporter })).status).toBe(200);
    expect((await api(`/templates/${BUILTIN_TEMPLATE_INPUT.id}/99`, { token: reporter })).status).toBe(404);
  });
});

describe("rounds", () => {
  const round = (over: Record<string, unknown> = {}) => ({ id: "r2026", templateId: BUILTIN_TEMPLATE_INPUT.id, templateVersion: 1, period: "2026", deadline: "2027-02-28T23:59:59+08:00", expectedUnitIds: ["zezhou", "gaoping"], ...over });

  it("opens a round for units below the administrator, which those units then see", async () => {
    const admin = await login("admin");
    const created = await api("/rounds", { method: "POST", token: admin, json: round() });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ id: "r2026", closed: false, expectedUnitIds: ["zezhou", "gaoping"] });
    const zezhou = await json<{ id: string }[]>(await api("/rounds", { token: await login("zezhou") }));
    expect(zezhou.map((r) => r.id)).toContain("r2026");
    const chengqu = await json<{ id: string }[]>(await api("/rounds", { token: await login("chengqu") }));
    expect(chengqu.map((r) => r.id)).not.toContain("r2026");
    expect((await api("/rounds/r2026", { token: await login("chengqu") })).status).toBe(404);
    const dup = await api("/rounds", { method: "POST", token: admin, json: round() });
    expect(dup.status).toBe(409);
  });

  it("names what is wrong: a period of the wrong kind, units outside the city, a bad deadline", async () => {
    const admin = await login("admin");
    const quarter = await api("/rounds", { method: "POST", token: admin, json: round({ id: "rq", period: "2026Q1" }) });
    expect(quarter.status).toBe(422);
    expect((await json<Err>(quarter)).error.where).toBe("body.period");
    const outside = await api("/rounds", { method: "POST", token: admin, json: round({ id: "ro", expectedUnitIds: ["zezhou", "shanxi"] }) });
    expect((await json<Err>(outside)).error.message.en).toContain("shanxi");
    const deadline = await api("/rounds", { method: "POST", token: admin, json: round({ id: "rd", deadline: "next friday" }) });
    expect(deadline.status).toBe(422);
    expect((await json<Err>(deadline)).error.where).toBe("body.deadline");
    expect((await api("/rounds", { method: "POST", token: await login("shenhe"), json: round({ id: "rr" }) })).status).toBe(403);
  });
});

describe("the templates page (issue 22)", () => {
  type Listed = { id: string; code?: string; version: number; status: string; roundCount?: number; publishedAt?: string | null; owner?: { id: string; name: { zh: string } } };
  it("lists every version with its state, owner and the rounds that use it, drafts included", async () => {
    const admin = await login("admin");
    expect((await api("/templates", { method: "POST", token: admin, json: { builtin: true, id: "listed" } })).status).toBe(201);
    const list = await json<Listed[]>(await api("/templates", { token: admin }));
    const v1 = list.find((t) => t.id === BUILTIN_TEMPLATE_INPUT.id && t.version === 1)!;
    // r2024 and r2025 use it
    expect(v1).toMatchObject({ status: "published", code: BUILTIN_TEMPLATE_INPUT.id, owner: { id: "jincheng", name: { zh: "晋城市" } } });
    expect(v1.roundCount).toBeGreaterThanOrEqual(2);
    expect(list.find((t) => t.id === "listed")).toMatchObject({ status: "draft", version: 1, roundCount: 0, publishedAt: null });
  });

  it("generates a round's code from its owner and period when none is given, unique", async () => {
    const admin = await login("admin");
    const body = { templateId: BUILTIN_TEMPLATE_INPUT.id, templateVersion: 1, period: "2033", deadline: "2099-02-28T23:59:59+08:00", expectedUnitIds: ["zezhou"] };
    const first = await api("/rounds", { method: "POST", token: admin, json: body });
    expect(first.status, await first.clone().text()).toBe(201);
    expect((await json<{ id: string }>(first)).id).toBe("jincheng_2033");
    const second = await api("/rounds", { method: "POST", token: admin, json: { ...body, expectedUnitIds: ["gaoping"] } });
    expect(second.status).toBe(201);
    expect((await json<{ id: string }>(second)).id).toBe("jincheng_2033_2");
  });

  it("answers empty fields and 2026年 in Chinese, each under its field, without developer text", async () => {
    const admin = await login("admin");
    const res = await api("/rounds", { method: "POST", token: admin, json: { id: "", templateId: BUILTIN_TEMPLATE_INPUT.id, templateVersion: 1, period: "2026年", deadline: "", expectedUnitIds: [] } });
    expect(res.status).toBe(422);
    const body = await json<{ error: { message: { zh: string; en: string }; issues?: { indicator: string; message: { zh: string; en: string } }[] } }>(res);
    const byField = Object.fromEntries((body.error.issues ?? []).map((i) => [i.indicator, i.message.zh]));
    expect(byField["body.period"]).toContain("2026");
    expect(byField["body.period"]).toContain("不要写");
    expect(byField["body.deadline"]).toContain("截止日期");
    expect(byField["body.expectedUnitIds"]).toContain("应报单位");
    expect(byField["body.id"]).toContain("轮次代码");
    for (const text of [body.error.message.zh, ...Object.values(byField)]) {
      expect(text).not.toMatch(/body\.|Invalid|letters|ISO|must/);
    }
    expect(body.error.message.en).toContain("period");
  });
});

describe("POST /api/units", () => {
  it("adds a unit below the administrator's unit, and refuses one elsewhere or twice", async () => {
    const admin = await login("admin");
    const unit = { id: "kaifaqu", name: { zh: "经济技术开发区", en: "Development zone" }, level: "county", parentId: "jincheng" };
    expect((await api("/units", { method: "POST", token: admin, json: unit })).status).toBe(201);
    expect((await api("/units", { method: "POST", token: admin, json: unit })).status).toBe(409);
    const units = await json<{ id: string }[]>(await api("/units", { token: admin }));
    expect(units.map((u) => u.id)).toContain("kaifaqu");
    const outside = await api("/units", { method: "POST", token: admin, json: { ...unit, id: "taiyuan", parentId: "shanxi" } });
    expect(outside.status).toBe(422);
    expect((await api("/units", { method: "POST", token: await login("zezhou"), json: { ...unit, id: "x1" } })).status).toBe(403);
  });
});
