import { beforeAll, describe, expect, it } from "vitest";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, json, login } from "./helpers";

// Confirmations with substance (issue 22): a reopen carries its reason (in the audit, and shown to
// the unit as its report's comment); a city's 上报上级 carries a note the province reads beside the
// figures; the province's notes on single indicators of a returned city reach the city.

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
});

describe("重新打开 with a reason", () => {
  it("keeps the reason in the audit and shows it to the unit whose approved report was reopened", async () => {
    const admin = await login("admin");
    const res = await api("/rounds/r2024/reopen", { method: "POST", token: admin, json: { unitId: "zezhou", reason: "产品数与统计局口径不一致，请更正后再报" } });
    expect(res.status, await res.clone().text()).toBe(200);
    const seen = await json<{ state: string; reviewComment: string | null }>(await api("/rounds/r2024/submissions/zezhou", { token: await login("zezhou") }));
    expect(seen).toMatchObject({ state: "submitted", reviewComment: "产品数与统计局口径不一致，请更正后再报" });
    const audit = await json<{ action: string; unitId: string; detail: { comment?: string } }[]>(await api("/rounds/r2024/audit?unit=zezhou", { token: admin }));
    expect(audit.filter((a) => a.action === "reopen").at(-1)?.detail.comment).toBe("产品数与统计局口径不一致，请更正后再报");
  });

  it("refuses a reason no sheet can hold, in both languages", async () => {
    const res = await api("/rounds/r2024/reopen", { method: "POST", token: await login("admin"), json: { unitId: "gaoping", reason: "x".repeat(501) } });
    expect(res.status).toBe(422);
    const body = await json<{ error: { message: { zh: string; en: string } } }>(res);
    expect(body.error.message.zh).not.toBe("");
    expect(body.error.message.en).not.toBe("");
  });
});

describe("上报上级 with a note, and the province's notes back to the city", () => {
  it("the province reads the city's note; the city reads the province's per-indicator notes after a return", async () => {
    const [province, city] = [await login("sheng"), await login("admin")];
    const ret = await api("/rounds/p2025/levels/jincheng/return", { method: "POST", token: province, json: { comment: "请核实产品数", indicatorComments: { products: "比上年多 40%，请说明" } } });
    expect(ret.status, await ret.clone().text()).toBe(200);
    const mine = await json<{ state: string; reviewComment: string; reviewIndicatorComments: Record<string, string> }>(await api("/rounds/p2025/submissions/jincheng", { token: city }));
    expect(mine).toMatchObject({ state: "returned", reviewComment: "请核实产品数", reviewIndicatorComments: { products: "比上年多 40%，请说明" } });
    const up = await api("/rounds/p2025/levels/jincheng/submit", { method: "POST", token: city, headers: { "if-match": '"1"' }, json: { comment: "已核实：新增 3 家规上企业" } });
    expect(up.status, await up.clone().text()).toBe(200);
    const seen = await json<{ revision: number; submitNote?: string | null }>(await api("/rounds/p2025/submissions/jincheng", { token: province }));
    expect(seen).toMatchObject({ revision: 2, submitNote: "已核实：新增 3 家规上企业" });
  });
});
