// Issue 22: refusals name units as officials know them (泽州县, 晋城市), never by codes shown nowhere
// (zezhou, jincheng). Each case is a refusal a caller really meets in the demo's province round p2025,
// where 晋城市 has submitted upward.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, json, login } from "./helpers";

type Err = { error: { message: { zh: string; en: string } } };
const CODES = /\b(zezhou|jincheng|changzhi|shanxi|gaoping|qinyuan|tunliu)\b/;
const PUA = /[\uE000-\uE001]/;

async function refusal(res: Response, status: number): Promise<{ zh: string; en: string }> {
  expect(res.status).toBe(status);
  const m = (await json<Err>(res)).error.message;
  expect(m.zh).not.toMatch(CODES);
  expect(m.en).not.toMatch(CODES);
  expect(m.zh + m.en).not.toMatch(PUA);
  return m;
}

beforeAll(async () => { await ensureDemo(); await seedProvinceDemo(env.DB); });

describe("refusals name units, never their codes", () => {
  it("a county's change while its city's upward submission is with the province names the city", async () => {
    const token = await login("zezhou");
    const path = "/rounds/p2025/submissions/zezhou";
    const cur = await api(path, { token });
    const m = await refusal(await api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values: DEMO_PAST_VALUES.zezhou!, acknowledgeWarnings: true, acknowledgeLoss: true } }), 409);
    expect(m.zh).toContain("「晋城市」已向上级上报");
    expect(m.en).toMatch(/Jincheng/);
  });

  it("the province writing a county's report names the county and the city it reports to", async () => {
    const token = await login("sheng");
    const path = "/rounds/p2025/submissions/tunliu";
    const cur = await api(path, { token });
    const m = await refusal(await api(path, { method: "PUT", token, headers: { "if-match": cur.headers.get("etag") ?? '"0"' }, json: { values: DEMO_PAST_VALUES.zezhou!, acknowledgeWarnings: true } }), 403);
    expect(m.zh).toContain("「屯留区」向「长治市」报送");
  });

  it("the province approving a county directly names the county, its city and the round's owner", async () => {
    const m = await refusal(await api("/rounds/p2025/submissions/tunliu/approve", { method: "POST", token: await login("sheng"), json: {} }), 403);
    expect(m.zh).toContain("屯留区");
    expect(m.zh).toContain("长治市");
    expect(m.zh).toContain("山西省");
  });

  it("a reminder or a report for a unit outside the round names the unit", async () => {
    const sheng = await login("sheng");
    expect((await refusal(await api("/rounds/p2025/remind", { method: "POST", token: sheng, json: { unitIds: ["changzhi"] } }), 422)).zh).toContain("「长治市」不在本轮填报范围内");
    expect((await refusal(await api("/rounds/p2025/submissions/changzhi", { method: "PUT", token: sheng, headers: { "if-match": '"0"' }, json: { values: {} } }), 404)).zh).toContain("「长治市」是本轮的审核层级");
  });

  it("a code typed for a unit the caller may not see names nothing", async () => {
    const res = await api("/rounds/r2025/deadline", { method: "POST", token: await login("admin"), json: { unitId: "tunliu", deadline: "2099-12-31T23:59:59+08:00" } });
    expect(res.status).toBe(422);
    const m = (await json<Err>(res)).error.message;
    expect(m.zh).toContain("「tunliu」");
    expect(m.zh).not.toContain("屯留区");
  });

  it("extending a unit's deadline beyond its city's upward deadline names both", async () => {
    const sheng = await login("sheng");
    const m = await refusal(await api("/rounds/p2025/deadline", { method: "POST", token: sheng, json: { unitId: "tunliu", deadline: "2099-12-31T23:59:59+08:00" } }), 422);
    expect(m.zh).toContain("屯留区");
    expect(m.zh).toContain("长治市");
  });
});
