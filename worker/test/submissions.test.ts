import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PAST_VALUES, type SubmissionView } from "@tianbao/shared";
import { api, countRows, ensureDemo, env, json, login } from "./helpers";

beforeAll(async () => { await ensureDemo(); });
type Err = { error: { code: string; message: { zh: string; en: string }; issues?: { indicator: string; cell: string; code: string; message: { zh: string } }[]; currentRevision?: number } };
const put = (unit: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
  api(`/rounds/r2025/submissions/${unit}`, { method: "PUT", token, json: body, headers });
const values = (unit: string) => ({ ...DEMO_PAST_VALUES[unit]! });
const writes = async () => ({ revisions: await countRows("revisions"), values: await countRows("revision_values"), totals: await countRows("totals"), audit: await countRows("audit") });

describe("PUT /api/rounds/:id/submissions/:unit", () => {
  it("returns 422 naming each indicator and its cell when validation fails, and writes nothing", async () => {
    const token = await login("chengqu");
    const before = await writes();
    const res = await put("chengqu", token, { values: { ...values("chengqu"), products: null, products_no_std: "x" } }, { "if-match": '"0"' });
    expect(res.status).toBe(422);
    const body = await json<Err>(res);
    expect(body.error.code).toBe("validation_failed");
    const required = body.error.issues!.find((i) => i.indicator === "products")!;
    expect(required.code).toBe("required");
    expect(required.message.zh).toMatch(/^D\d+ 工业产品总数（products）：必填$/);
    expect(body.error.issues!.some((i) => i.indicator === "products_no_std" && i.code === "not_a_number")).toBe(true);
    expect(await writes()).toEqual(before);
  });

  it("asks for warnings to be acknowledged, then accepts them", async () => {
    const token = await login("chengqu");
    const v = { ...values("chengqu"), mayor_award: true, brand_reward_funds: "0" };
    const first = await put("chengqu", token, { values: v }, { "if-match": '"0"' });
    expect(first.status).toBe(422);
    expect((await json<Err>(first)).error.code).toBe("warnings_not_acknowledged");
    const ok = await put("chengqu", token, { values: v, acknowledgeWarnings: true }, { "if-match": '"0"' });
    expect(ok.status).toBe(201);
    expect((await json<SubmissionView>(ok)).warnings[0]?.rule).toBe("award_has_funds");
  });

  it("replays the stored result for a retry with the same Idempotency-Key, and refuses the key with another body", async () => {
    const token = await login("gaoping");
    const headers = { "if-match": '"0"', "idempotency-key": "gaoping-r2025-first" };
    const first = await put("gaoping", token, { values: values("gaoping") }, headers);
    expect(first.status).toBe(201);
    const before = await writes();
    const retry = await put("gaoping", token, { values: values("gaoping") }, headers);
    expect(retry.status).toBe(201);
    expect(await json<SubmissionView>(retry)).toMatchObject({ revision: 1, replayed: true });
    expect(await writes()).toEqual(before);
    const other = await put("gaoping", token, { values: { ...values("gaoping"), products: 1 } }, headers);
    expect(other.status).toBe(422);
    expect((await json<Err>(other)).error.code).toBe("idempotency_mismatch");
  });

  it("refuses a stale revision with 412 and the current revision, and needs If-Match at all", async () => {
    const token = await login("gaoping");
    const stale = await put("gaoping", token, { values: values("gaoping") }, { "if-match": '"0"' });
    expect(stale.status).toBe(412);
    expect(await json<Err>(stale)).toMatchObject({ error: { code: "stale_revision", currentRevision: 1 } });
    const missing = await put("gaoping", token, { values: values("gaoping") });
    expect(missing.status).toBe(428);
  });

  it("keeps two racing submissions from the same revision from both landing", async () => {
    const token = await login("yangcheng");
    const [a, b] = await Promise.all([
      put("yangcheng", token, { values: values("yangcheng") }, { "if-match": '"0"' }),
      put("yangcheng", token, { values: { ...values("yangcheng"), products: 451 } }, { "if-match": '"0"' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 412]);
    const revs = await env.DB.prepare("SELECT COUNT(*) AS n FROM revisions WHERE round_id = 'r2025' AND unit_id = 'yangcheng'").first<{ n: number }>();
    expect(revs!.n).toBe(1);
  });

  it("refuses another unit's data (403) and a unit not in the round (404)", async () => {
    const token = await login("zezhou");
    const other = await put("gaoping", token, { values: values("gaoping") }, { "if-match": '"1"' });
    expect(other.status).toBe(403);
    expect((await json<Err>(other)).error.message.zh).toContain("泽州县");
    expect((await api("/rounds/r2025/submissions/gaoping", { token })).status).toBe(403);
    const admin = await login("admin");
    expect((await api("/rounds/r2025/submissions/jincheng", { token: admin })).status).toBe(404);
    expect((await api("/rounds/nope/submissions/zezhou", { token })).status).toBe(404);
  });

  it("refuses the wrong role with 403", async () => {
    const viewer = await login("chakan");
    expect((await put("zezhou", viewer, { values: values("zezhou") }, { "if-match": '"0"' })).status).toBe(403);
    const reporter = await login("zezhou");
    expect((await api("/rounds/r2025/submissions/zezhou/approve", { method: "POST", token: reporter, json: {} })).status).toBe(403);
    expect((await api("/rounds/r2025/totals", { token: reporter })).status).toBe(403);
  });

  it("refuses a closed round unless the administrator reopened the unit", async () => {
    const token = await login("qinshui");
    const closed = await api("/rounds/r2024/submissions/qinshui", { method: "PUT", token, json: { values: values("qinshui") }, headers: { "if-match": '"1"' } });
    expect(closed.status).toBe(409);
    expect((await json<Err>(closed)).error.code).toBe("submission_locked"); // approved in the demo
    const admin = await login("admin");
    expect((await api("/rounds/r2024/reopen", { method: "POST", token: admin, json: { unitId: "qinshui" } })).status).toBe(200);
    const reopened = await api("/rounds/r2024/submissions/qinshui", { method: "PUT", token, json: { values: { ...values("qinshui"), products: 331 } }, headers: { "if-match": '"1"' } });
    expect(reopened.status).toBe(200);
    const lingchuan = await api("/rounds/r2024/submissions/lingchuan", { method: "PUT", token: admin, json: { values: values("lingchuan") }, headers: { "if-match": '"1"' } });
    expect((await json<Err>(lingchuan)).error.code).toBe("submission_locked");
  });

  it("rejects unknown fields, oversized bodies and bad JSON with 4xx, never 500", async () => {
    const token = await login("zezhou");
    const extra = await put("zezhou", token, { values: {}, extra: 1 }, { "if-match": '"0"' });
    expect(extra.status).toBe(422);
    const huge = await put("zezhou", token, { values: { remarks: "x".repeat(1_100_000) } }, { "if-match": '"0"' });
    expect(huge.status).toBe(413);
    const badJson = await api("/rounds/r2025/submissions/zezhou", { method: "PUT", token, body: "{", headers: { "content-type": "application/json", "if-match": '"0"' } });
    expect(badJson.status).toBe(400);
    const unknown = await put("zezhou", token, { values: { no_such_indicator: 1 } }, { "if-match": '"0"' });
    expect((await json<Err>(unknown)).error.issues?.[0]).toMatchObject({ indicator: "no_such_indicator", code: "unknown_indicator" });
  });
});

describe("GET /api/rounds/:id/submissions/:unit/revisions", () => {
  it("lists every revision with who and when; revisions are never overwritten", async () => {
    const token = await login("admin");
    const list = await json<{ revision: number; submittedBy: string }[]>(await api("/rounds/r2024/submissions/qinshui/revisions", { token }));
    expect(list.map((r) => r.revision)).toEqual([1, 2]);
    expect(list.map((r) => r.submittedBy)).toEqual(["qinshui", "qinshui"]);
    await expect(env.DB.prepare("UPDATE revisions SET comments = '{}'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit").run()).rejects.toThrow(/append-only/);
  });
});
