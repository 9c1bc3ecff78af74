// Issue 22's blocker: in the province's round p2025 (template owned by 晋城市), the second city
// 长治市 could not read the form its counties fill, so its desk could never review them.
import { beforeAll, describe, expect, it } from "vitest";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, json, login } from "./helpers";

let round: { templateId: string; templateVersion: number };

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
  round = await json(await api("/rounds/p2025", { token: await login("sheng") }));
});

describe("GET /api/templates/:id/:version for a round's participants", () => {
  it("the second city's reviewer and administrator, and its counties, read the template of the province's round", async () => {
    for (const who of ["czshenhe", "changzhi", "zhangzi"]) {
      const r = await api(`/templates/${round.templateId}/${round.templateVersion}`, { token: await login(who) });
      expect(r.status, who).toBe(200);
      expect((await json<{ id: string }>(r)).id).toBe(round.templateId);
    }
  });

  it("the second city's review of a county shows the figures (the review screen reads the round's template)", async () => {
    const token = await login("czshenhe");
    const sub = await api("/rounds/p2025/submissions/zhangzi", { token });
    expect(sub.status).toBe(200);
    expect((await api(`/templates/${round.templateId}/${round.templateVersion}`, { token })).status).toBe(200);
  });

  it("a unit in no round of that template version still cannot read another city's template (404 as if absent)", async () => {
    const admin = await login("changzhi");
    // a unit under 长治市 that no round expects
    const id = `cz_lone_${Math.random().toString(36).slice(2, 7)}`;
    expect((await api("/units", { method: "POST", token: admin, json: { id, name: { zh: `孤${id}`, en: `Lone ${id}` }, level: "county", parentId: "changzhi" } })).status).toBe(201);
    expect((await api("/users", { method: "POST", token: admin, json: { username: `u${id}`.slice(0, 30), displayName: "p", role: "reporter", unitId: id, password: "probe-password-1" } })).status).toBe(201);
    const lone = await login(`u${id}`.slice(0, 30), "probe-password-1");
    const r = await api(`/templates/${round.templateId}/${round.templateVersion}`, { token: lone });
    expect(r.status).toBe(404);
  });
});
