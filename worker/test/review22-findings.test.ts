// The independent walk of issue 22's journeys in Chromium found these; each failed before its fix.
// (Its screen findings — the note with 上报上级 on the province's review screen, the province's home
// count, yes/no in the 上报上级 preview — are asserted in addin/e2e/province.e2e.test.ts.)
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import { api, ensureDemo, json, login } from "./helpers";

let admin = "";
beforeAll(async () => { await ensureDemo(); admin = await login("admin"); });

describe("issue 22's walk", () => {
  it("opening a second round of one template and period for units already in one is refused under 填报期, by name", async () => {
    const r2025 = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: admin }));
    const again = await api("/rounds", { method: "POST", token: admin, json: { templateId: r2025.templateId, templateVersion: r2025.templateVersion, period: "2025", deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["zezhou", "gaoping"] } });
    expect(again.status).toBe(409);
    const body = await json<{ error: { where: string; message: { zh: string; en: string } } }>(again);
    expect(body.error.where).toBe("body.period");
    expect(body.error.message.zh).toContain("2025年");
    expect(body.error.message.zh).toMatch(/泽州县|高平市/);
    expect(body.error.message.zh).not.toContain("r2025");
  });

  it("a report reopened after approval carries the reason, which its unit reads with the report", async () => {
    const token = await login("lingchuan");
    const path = "/rounds/r2025/submissions/lingchuan";
    const cur = await api(path, { token });
    const put = await api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values: DEMO_PAST_VALUES.lingchuan!, acknowledgeWarnings: true, acknowledgeLoss: true } });
    expect([200, 201]).toContain(put.status);
    const shenhe = await login("shenhe");
    expect((await api(`${path}/approve`, { method: "POST", token: shenhe, json: {} })).status).toBe(200);
    const reason = "工业产品总数与统计年鉴不符，请核实后重报";
    expect((await api("/rounds/r2025/reopen", { method: "POST", token: admin, json: { unitId: "lingchuan", reason } })).status).toBe(200);
    const view = await json<{ state: string; reviewComment: string | null }>(await api(path, { token }));
    expect(view.state).toBe("submitted");
    expect(view.reviewComment).toBe(reason);
  });

  it("a unit let in after the round closed reads why on its own report, not only in the audit", async () => {
    const r2025 = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: admin }));
    const opened = await api("/rounds", { method: "POST", token: admin, json: { templateId: r2025.templateId, templateVersion: r2025.templateVersion, period: "2040", deadline: "2099-12-31T23:59:59+08:00", expectedUnitIds: ["qinshui"] } });
    expect(opened.status).toBe(201);
    const round = (await json<{ id: string }>(opened)).id;
    expect((await api(`/rounds/${round}/close`, { method: "POST", token: admin, json: {} })).status).toBe(200);
    const token = await login("qinshui");
    expect((await json<{ reopenReason?: string | null }>(await api(`/rounds/${round}/submissions/qinshui`, { token }))).reopenReason ?? null).toBeNull();
    const reason = "沁水县因系统故障未能按时上报，准予补报";
    expect((await api(`/rounds/${round}/reopen`, { method: "POST", token: admin, json: { unitId: "qinshui", reason } })).status).toBe(200);
    const view = await json<{ state: string; reopenReason?: string | null }>(await api(`/rounds/${round}/submissions/qinshui`, { token }));
    expect(view.state).toBe("not_started");
    expect(view.reopenReason).toBe(reason);
  });
});
