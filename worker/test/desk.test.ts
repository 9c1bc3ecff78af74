import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import {
  AccountViewSchema, AuditEntrySchema, CompletenessSchema, DEMO_PAST_VALUES, ErrorBodySchema, Exact, ReviewContextSchema, RoundViewSchema, SubmissionViewSchema,
  cellValueOf, derivedValues, fillIndex, medianExact, type ErrorBody, type SubmissionView, type Values,
} from "@tianbao/shared";
import { hashNewPassword } from "../src/auth/password";
import { insertRound } from "../src/db/rounds";
import { insertUser } from "../src/db/users";
import { dueReminders, reminderText } from "../src/reminders/due";
import { runReminders } from "../src/reminders/run";
import { api, builtinCompiled, countRows, ensureDemo, env, json, login } from "./helpers";

// The city's desk and the county's inbox (#12): deadlines per round and per unit, closing early,
// per-indicator review comments, accounts, unit contacts, audit filters, the review context, and a
// stale file's differences on upload.

const compiled = builtinCompiled();
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PAST = "2020-01-01T00:00:00+08:00";
const FAR = "2099-12-31T23:59:59+08:00";
const ALL_UNITS = ["chengqu", "gaoping", "zezhou", "qinshui", "yangcheng", "lingchuan", "jincheng_self"];

const values = (unit: string, over: Values = {}): Values => ({ ...DEMO_PAST_VALUES[unit]!, ...over });
const put = async (round: string, unit: string, token: string, v: Values, revision: number, headers: Record<string, string> = {}) =>
  api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token, json: { values: v, acknowledgeWarnings: true }, headers: { "if-match": `"${revision}"`, ...headers } });
const post = async (path: string, token: string, body?: unknown) => api(path, { method: "POST", token, ...(body !== undefined ? { json: body } : {}) });
const error = async (res: Response): Promise<ErrorBody["error"]> => ErrorBodySchema.parse(await res.json()).error;
const roundRow = (id: string) => env.DB.prepare("SELECT deadline, closed_at FROM rounds WHERE id = ?").bind(id).first<{ deadline: string; closed_at: string | null }>();
const unitDeadline = async (round: string, unit: string) => (await env.DB.prepare("SELECT deadline FROM round_units WHERE round_id = ? AND unit_id = ?").bind(round, unit).first<{ deadline: string | null }>())!.deadline;
const audits = (round: string, action: string) => countRows(`audit WHERE round_id = '${round}' AND action = '${action}'`);

/** A round straight into D1 (the route refuses a deadline in the past, which these tests need). */
async function openRound(id: string, period: string, deadline: string, expectedUnitIds: string[]) {
  await env.DB.batch(insertRound(env.DB, { id, templateId: "quality_city_annual", templateVersion: 1, period, deadline, ownerUnitId: "jincheng", expectedUnitIds }, null, new Date().toISOString()));
}

beforeAll(async () => {
  await ensureDemo();
  const now = new Date().toISOString();
  // a county's own administrators and reviewer, an account to disable, and one of the city's
  for (const [username, role, unitId] of [["desk.za", "admin", "zezhou"], ["desk.za2", "admin", "zezhou"], ["desk.zr", "reviewer", "zezhou"], ["desk.rep", "reporter", "zezhou"], ["desk.cityview", "viewer", "jincheng"]] as const) {
    await insertUser(env.DB, { username, displayName: `显示名 ${username}`, role, unitId, ...(await hashNewPassword("demo-password")) }, now).run();
  }
});

describe("POST /rounds/:id/deadline", () => {
  it("moves the round's deadline later only, in the future, naming body.deadline otherwise; audited", async () => {
    await openRound("rdl", "2031", "2090-01-01T00:00:00+08:00", ["zezhou", "gaoping"]);
    const admin = await login("admin");
    for (const [deadline, text] of [["2089-12-31T00:00:00+08:00", "earlier"], ["2090-01-01T00:00:00+08:00", "the same"], ["2089-12-31T16:00:00Z", "the same instant in UTC"], ["2019-06-01T00:00:00Z", "past"]] as const) {
      const res = await post("/rounds/rdl/deadline", admin, { deadline });
      expect(res.status, text).toBe(422);
      const e = await error(res);
      expect(e.where, text).toBe("body.deadline");
      expect(e.message.zh.length).toBeGreaterThan(0);
    }
    expect((await roundRow("rdl"))!.deadline).toBe("2090-01-01T00:00:00+08:00");
    expect(await audits("rdl", "deadline_extend")).toBe(0);
    const res = await post("/rounds/rdl/deadline", admin, { deadline: "2090-02-01T00:00:00+08:00" });
    expect(res.status).toBe(200);
    expect(RoundViewSchema.parse(await res.json())).toMatchObject({ id: "rdl", deadline: "2090-02-01T00:00:00+08:00", closed: false, closedAt: null });
    expect(await audits("rdl", "deadline_extend")).toBe(1);
    const entry = AuditEntrySchema.array().parse(await json(await api("/rounds/rdl/audit?action=deadline_extend", { token: admin })))[0]!;
    expect(entry).toMatchObject({ username: "admin", displayName: "晋城市质监局管理员", unitId: "jincheng", detail: { from: "2090-01-01T00:00:00+08:00", to: "2090-02-01T00:00:00+08:00" } });
    // malformed: not an ISO time with an offset, or a date that does not exist
    for (const deadline of ["2090-03-01", "tomorrow", 12]) expect((await post("/rounds/rdl/deadline", admin, { deadline })).status).toBe(422);
  });

  it("gives one expected unit a deadline of its own (never earlier than the round's); others are refused by unit", async () => {
    const admin = await login("admin");
    const before = await roundRow("rdl");
    for (const unitId of ["yangcheng", "Zezhou", "changzhi"]) {
      const res = await post("/rounds/rdl/deadline", admin, { deadline: FAR, unitId });
      expect(res.status, unitId).toBe(422);
      expect((await error(res)).where).toBe("body.unitId");
    }
    const same = await post("/rounds/rdl/deadline", admin, { deadline: before!.deadline, unitId: "zezhou" });
    expect(same.status).toBe(422);
    expect((await error(same)).where).toBe("body.deadline");
    const ok = await post("/rounds/rdl/deadline", admin, { deadline: "2095-01-01T00:00:00+08:00", unitId: "zezhou" });
    expect(ok.status).toBe(200);
    expect(RoundViewSchema.parse(await ok.json()).deadline).toBe(before!.deadline); // the round's own is unchanged
    expect(await unitDeadline("rdl", "zezhou")).toBe("2095-01-01T00:00:00+08:00");
    // a unit's own deadline may be put right (a mistyped year), but never before the round's
    const early = await post("/rounds/rdl/deadline", admin, { deadline: new Date(Date.parse(before!.deadline) - 1000).toISOString(), unitId: "zezhou" });
    expect(early.status).toBe(422);
    expect(await unitDeadline("rdl", "zezhou")).toBe("2095-01-01T00:00:00+08:00");
    const back = await post("/rounds/rdl/deadline", admin, { deadline: "2094-01-01T00:00:00+08:00", unitId: "zezhou" });
    expect(back.status).toBe(200);
    expect(await unitDeadline("rdl", "zezhou")).toBe("2094-01-01T00:00:00+08:00");
    expect((await post("/rounds/rdl/deadline", admin, { deadline: "2095-01-01T00:00:00+08:00", unitId: "zezhou" })).status).toBe(200);
    // what each unit sees of the round: its own effective deadline
    const seen = RoundViewSchema.parse(await json(await api("/rounds/rdl", { token: await login("zezhou") })));
    expect(seen.deadline).toBe("2095-01-01T00:00:00+08:00");
    expect(RoundViewSchema.parse(await json(await api("/rounds/rdl", { token: await login("gaoping") }))).deadline).toBe(before!.deadline);
  });

  it("is refused to the county's own admin, reviewers, reporters and other cities, changing nothing", async () => {
    const before = [await roundRow("rdl"), await unitDeadline("rdl", "gaoping"), await countRows("audit")];
    for (const [user, status] of [["desk.za", 403], ["shenhe", 403], ["zezhou", 403], ["gaoping", 403], ["desk.zr", 403]] as const) {
      for (const body of [{ deadline: FAR }, { deadline: FAR, unitId: "zezhou" }]) {
        const res = await post("/rounds/rdl/deadline", await login(user), body);
        expect(res.status, `${user} ${JSON.stringify(body)}`).toBe(status);
      }
    }
    expect((await post("/rounds/RDL/deadline", await login("admin"), { deadline: FAR })).status).toBe(404); // ids are exact
    expect([await roundRow("rdl"), await unitDeadline("rdl", "gaoping"), await countRows("audit")]).toEqual(before);
  });

  it("lets a late unit in with its own extension, and the board shows it not late; the others stay closed", async () => {
    await openRound("rlate", "2032", PAST, ["zezhou", "gaoping"]);
    const county = await login("zezhou");
    const refused = await put("rlate", "zezhou", county, values("zezhou"), 0);
    expect(refused.status).toBe(409);
    expect((await error(refused)).code).toBe("round_closed");
    expect(RoundViewSchema.parse(await json(await api("/rounds/rlate", { token: county }))).closed).toBe(true);
    expect((await post("/rounds/rlate/deadline", await login("admin"), { deadline: FAR, unitId: "zezhou" })).status).toBe(200);
    expect(RoundViewSchema.parse(await json(await api("/rounds/rlate", { token: county })))).toMatchObject({ closed: false, deadline: FAR });
    const ok = await put("rlate", "zezhou", county, values("zezhou"), 0);
    expect(ok.status).toBe(201);
    const gaoping = await put("rlate", "gaoping", await login("gaoping"), values("gaoping"), 0);
    expect(gaoping.status).toBe(409);
    expect((await error(gaoping)).code).toBe("round_closed");
    const board = CompletenessSchema.parse(await json(await api("/rounds/rlate/completeness", { token: await login("shenhe") })));
    const z = board.units.find((u) => u.unitId === "zezhou")!;
    const g = board.units.find((u) => u.unitId === "gaoping")!;
    expect(z).toMatchObject({ state: "submitted", late: false, deadline: FAR });
    expect(z.lastSubmittedAt).toBe(z.firstSubmittedAt);
    expect(g).toMatchObject({ state: "not_started", late: true, deadline: null });
    expect(board.late).toBe(1);
  });

  it("reminds by each unit's effective deadline and nobody in a round closed early", () => {
    const now = new Date("2090-01-05T02:00:00Z"); // 10:00 in Beijing
    const base = { roundId: "r", deadline: "2090-01-01T00:00:00+08:00", state: "not_started" as const };
    const due = dueReminders([
      { ...base, unitId: "late" },
      { ...base, unitId: "extended", unitDeadline: "2090-01-06T23:59:59+08:00" },
      { ...base, unitId: "earlier", unitDeadline: "2089-12-01T00:00:00+08:00" }, // an own deadline before the round's changes nothing
      { ...base, unitId: "closed", closedAt: "2089-12-31T00:00:00Z" },
    ], now);
    expect(due).toEqual([
      { roundId: "r", unitId: "late", kind: "late", daysLeft: -4 },
      { roundId: "r", unitId: "extended", kind: "due", daysLeft: 1 },
      { roundId: "r", unitId: "earlier", kind: "late", daysLeft: -4 },
    ]);
    const text = reminderText({ title: "t", deadline: base.deadline }, [
      { name: "延期县", kind: "manual", daysLeft: 1, deadline: "2090-01-06T23:59:59+08:00" },
      { name: "逾期县", kind: "manual", daysLeft: -4 },
    ], now);
    expect(text).toContain("尚未上报：延期县（延至 2090-01-06 23:59）");
    expect(text).toContain("已逾期（最多 4 天）：逾期县");
  });
});

describe("the hourly reminder run", () => {
  it("reminds a unit by its own extended deadline, and nobody about a round closed early", async () => {
    await openRound("rrem", "2036", "2091-01-01T00:00:00+08:00", ["zezhou", "gaoping"]);
    await openRound("rremc", "2037", "2091-01-01T00:00:00+08:00", ["chengqu"]);
    const admin = await login("admin");
    expect((await post("/rounds/rrem/deadline", admin, { deadline: "2091-01-20T00:00:00+08:00", unitId: "zezhou" })).status).toBe(200);
    expect((await post("/rounds/rremc/close", admin)).status).toBe(200);
    const now = new Date("2091-01-05T02:00:00Z"); // 10:00 in Beijing, four days after the round's deadline
    await runReminders(env.DB, now);
    const { results } = await env.DB.prepare("SELECT round_id, unit_id, kind FROM reminders WHERE round_id IN ('rrem', 'rremc') ORDER BY unit_id").all();
    expect(results).toEqual([{ round_id: "rrem", unit_id: "gaoping", kind: "late" }]);
    // three days before its own deadline, the extended unit is reminded as due
    await runReminders(env.DB, new Date("2091-01-17T02:00:00Z"));
    const { results: later } = await env.DB.prepare("SELECT unit_id, kind, day FROM reminders WHERE round_id = 'rrem' AND unit_id = 'zezhou'").all();
    expect(later).toEqual([{ unit_id: "zezhou", kind: "due", day: "2091-01-17" }]);
  });
});

describe("POST /rounds/:id/close", () => {
  it("closes a round early, once: closing again answers the same; only reopened units may still submit", async () => {
    await openRound("rcl", "2033", FAR, ["zezhou", "gaoping", "chengqu"]);
    const admin = await login("admin");
    expect((await put("rcl", "chengqu", await login("chengqu"), values("chengqu"), 0)).status).toBe(201);
    for (const user of ["desk.za", "shenhe", "zezhou"]) expect((await post("/rounds/rcl/close", await login(user))).status, user).toBe(403);
    expect((await roundRow("rcl"))!.closed_at).toBeNull();
    const first = await post("/rounds/rcl/close", admin);
    expect(first.status).toBe(200);
    const view = RoundViewSchema.parse(await first.json());
    expect(view).toMatchObject({ closed: true, deadline: FAR });
    expect(view.closedAt).toEqual(expect.any(String));
    const again = await post("/rounds/rcl/close", admin);
    expect(again.status).toBe(200);
    expect(RoundViewSchema.parse(await again.json())).toEqual(view);
    expect(await audits("rcl", "round_close")).toBe(1);
    // submissions refused, with why
    const zezhou = await login("zezhou");
    const refused = await put("rcl", "zezhou", zezhou, values("zezhou"), 0);
    expect(refused.status).toBe(409);
    const e = await error(refused);
    expect(e.code).toBe("round_closed");
    expect(e.message.zh).toContain("提前结束");
    // no extension, no reminder any more
    const extend = await post("/rounds/rcl/deadline", admin, { deadline: "2100-01-01T00:00:00Z", unitId: "zezhou" });
    expect(extend.status).toBe(409);
    expect((await error(extend)).code).toBe("round_closed");
    expect((await post("/rounds/rcl/remind", admin, { unitIds: ["gaoping"] })).status).toBe(409);
    // a reopened unit is let in
    expect((await post("/rounds/rcl/reopen", admin, { unitId: "zezhou" })).status).toBe(200);
    expect(RoundViewSchema.parse(await json(await api("/rounds/rcl", { token: zezhou }))).closed).toBe(false);
    expect((await put("rcl", "zezhou", zezhou, values("zezhou"), 0)).status).toBe(201);
    expect((await put("rcl", "gaoping", await login("gaoping"), values("gaoping"), 0)).status).toBe(409);
  });
});

describe("per-indicator review comments", () => {
  it("refuses codes that are not indicators of the round's template, prototype names included, naming each", async () => {
    await openRound("rrv", "2034", FAR, ["zezhou", "gaoping"]);
    expect((await put("rrv", "zezhou", await login("zezhou"), values("zezhou"), 0)).status).toBe(201);
    const city = await login("shenhe");
    const before = await countRows("audit");
    for (const code of ["nope", "Products", "__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const res = await api("/rounds/rrv/submissions/zezhou/return", { method: "POST", token: city, body: `{"comment":"请核实","indicatorComments":{"products":"ok","${code}":"x"}}`, headers: { "content-type": "application/json" } });
      expect(res.status, code).toBe(422);
      expect((await error(res)).where, code).toContain(`body.indicatorComments.${code}`);
    }
    for (const bad of [{ products: "" }, { products: "  " }, { products: "x".repeat(501) }, { products: 1 }, { products: "\u0001" }]) {
      expect((await post("/rounds/rrv/submissions/zezhou/return", city, { comment: "请核实", indicatorComments: bad })).status, JSON.stringify(bad)).toBe(422);
    }
    expect(await countRows("audit")).toBe(before);
    expect(SubmissionViewSchema.parse(await json(await api("/rounds/rrv/submissions/zezhou", { token: city }))).state).toBe("submitted");
  });

  it("shows them with the return, clears them on the next submission, keeps them in the audit; the board names the reviewer", async () => {
    const city = await login("shenhe");
    const county = await login("zezhou");
    const comments = { products: "与统计局数据不符", std_coverage_rate: "覆盖率偏高，请核实" };
    expect((await post("/rounds/rrv/submissions/zezhou/return", city, { comment: "请核实后重报", indicatorComments: comments })).status).toBe(200);
    const returned = SubmissionViewSchema.parse(await json(await api("/rounds/rrv/submissions/zezhou", { token: county })));
    expect(returned).toMatchObject({ state: "returned", reviewComment: "请核实后重报", reviewIndicatorComments: comments });
    let board = CompletenessSchema.parse(await json(await api("/rounds/rrv/completeness", { token: city })));
    const z = board.units.find((u) => u.unitId === "zezhou")!;
    expect(z).toMatchObject({ state: "returned", reviewedBy: "晋城市质监局审核员", lastSubmittedAt: returned.submittedAt });
    expect(Date.parse(z.reviewedAt!)).toBeGreaterThanOrEqual(Date.parse(returned.submittedAt!));
    expect(board.units.find((u) => u.unitId === "gaoping")).toMatchObject({ reviewedBy: null, reviewedAt: null, lastSubmittedAt: null });

    const again = await put("rrv", "zezhou", county, values("zezhou", { products: 300 }), 1);
    expect(again.status).toBe(200);
    expect(SubmissionViewSchema.parse(await again.json()).reviewIndicatorComments).toEqual({});
    const seen = SubmissionViewSchema.parse(await json(await api("/rounds/rrv/submissions/zezhou", { token: county })));
    expect(seen).toMatchObject({ state: "submitted", revision: 2, reviewComment: null, reviewIndicatorComments: {} });
    const audit = AuditEntrySchema.array().parse(await json(await api("/rounds/rrv/audit?unit=zezhou&action=return", { token: city })));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ comment: "请核实后重报", indicatorComments: comments });
    // approval records its reviewer; a return without notes per indicator leaves none
    expect((await post("/rounds/rrv/submissions/zezhou/approve", await login("admin"), {})).status).toBe(200);
    board = CompletenessSchema.parse(await json(await api("/rounds/rrv/completeness", { token: city })));
    expect(board.units.find((u) => u.unitId === "zezhou")).toMatchObject({ state: "approved", reviewedBy: "晋城市质监局管理员", lastSubmittedAt: seen.submittedAt });
    expect(SubmissionViewSchema.parse(await json(await api("/rounds/rrv/submissions/zezhou", { token: county }))).reviewIndicatorComments).toEqual({});
  });
});

describe("accounts", () => {
  it("lists the accounts of the caller's subtree, never a hash", async () => {
    const city = AccountViewSchema.array().parse(await json(await api("/users", { token: await login("admin") })));
    expect(city.map((a) => a.username)).toEqual(expect.arrayContaining(["admin", "shenhe", "zezhou", "gaoping", "desk.za", "desk.rep"]));
    expect(city.find((a) => a.username === "desk.rep")).toMatchObject({ role: "reporter", unitId: "zezhou", unitName: { zh: "泽州县" }, disabled: false, mustChangePassword: false });
    expect(city.find((a) => a.username === "admin")!.lastSignInAt).toEqual(expect.any(String));
    const text = JSON.stringify(city);
    for (const secret of ["hash", "salt", "password_", "iterations"]) expect(text).not.toContain(secret);
    const county = AccountViewSchema.array().parse(await json(await api("/users", { token: await login("desk.za") })));
    expect(new Set(county.map((a) => a.unitId))).toEqual(new Set(["zezhou"]));
    expect((await api("/users", { token: await login("shenhe") })).status).toBe(403);
  });

  it("a disabled account cannot sign in (the same 401 as a wrong password) and its open session ends; enabling lets it back", async () => {
    const admin = await login("admin");
    const open = await json<{ token: string }>(await post("/auth/login", "", { username: "desk.rep", password: "demo-password" }));
    expect((await api("/me", { token: open.token })).status).toBe(200);
    const lastSignIn = AccountViewSchema.array().parse(await json(await api("/users", { token: admin }))).find((a) => a.username === "desk.rep")!.lastSignInAt;
    expect(lastSignIn).toEqual(expect.any(String));

    const res = await post("/users/desk.rep/disable", admin);
    expect(res.status).toBe(200);
    expect(AccountViewSchema.parse(await res.json())).toMatchObject({ username: "desk.rep", disabled: true });
    expect((await api("/me", { token: open.token })).status).toBe(401);
    const disabled = await post("/auth/login", "", { username: "desk.rep", password: "demo-password" });
    const wrong = await post("/auth/login", "", { username: "desk.zr", password: "not-the-password" });
    expect(disabled.status).toBe(401);
    expect(await disabled.json()).toEqual(await wrong.json());
    // again: nothing changes, one audit entry
    expect((await post("/users/desk.rep/disable", admin)).status).toBe(200);
    expect(await countRows("audit WHERE action = 'user_disable' AND json_extract(detail, '$.username') = 'desk.rep'")).toBe(1);
    // a disabled account's failures are not counted (nothing to lock)
    expect((await env.DB.prepare("SELECT failed_logins FROM users WHERE username = 'desk.rep'").first<{ failed_logins: number }>())!.failed_logins).toBe(0);

    expect(AccountViewSchema.parse(await json(await post("/users/desk.rep/enable", admin)))).toMatchObject({ disabled: false });
    expect((await post("/auth/login", "", { username: "desk.rep", password: "demo-password" })).status).toBe(200);
    expect((await api("/me", { token: open.token })).status).toBe(401); // the old session stays ended
  });

  it("is changed only from above, or in the same unit for a non-administrator; never oneself", async () => {
    const before = await countRows("audit");
    const za = await login("desk.za");
    expect((await post("/users/desk.za/disable", za)).status).toBe(422); // oneself
    expect((await post("/users/DESK.ZA/disable", za)).status).toBe(422); // usernames are case-insensitive
    expect((await post("/users/desk.za2/disable", za)).status).toBe(403); // a peer administrator
    expect((await post("/users/admin/disable", za)).status).toBe(404); // above
    expect((await post("/users/gaoping/disable", za)).status).toBe(404); // a sibling unit's
    expect((await post("/users/nobody/disable", za)).status).toBe(404);
    expect((await post("/users/desk.rep/disable", await login("gaoping"))).status).toBe(403); // not an administrator
    expect(await countRows("audit")).toBe(before);
    expect(await countRows("users WHERE disabled_at IS NOT NULL")).toBe(0);
    // the county's admin may disable a reporter of the county; the city may disable the county's admin
    expect((await post("/users/desk.rep/disable", za)).status).toBe(200);
    expect((await post("/users/desk.rep/enable", za)).status).toBe(200);
    expect(AccountViewSchema.parse(await json(await post("/users/desk.za2/disable", await login("admin"))))).toMatchObject({ disabled: true });
    expect((await post("/users/desk.za2/enable", await login("admin"))).status).toBe(200);
  });

  it("sets a unit's contact (the unit's admin or above), shown on the board", async () => {
    const res = await api("/units/zezhou/contact", { method: "PUT", token: await login("desk.za"), json: { name: " 王科长 ", phone: "0356-1234567" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unitId: "zezhou", name: "王科长", phone: "0356-1234567" });
    const board = CompletenessSchema.parse(await json(await api("/rounds/r2025/completeness", { token: await login("shenhe") })));
    expect(board.units.find((u) => u.unitId === "zezhou")!.contact).toEqual({ name: "王科长", phone: "0356-1234567" });
    // and in the unit tree the administrators' screen draws (no contact: null)
    const units = await json(await api("/units", { token: await login("admin") })) as { id: string; contact: unknown }[];
    expect(units.find((u) => u.id === "zezhou")!.contact).toEqual({ name: "王科长", phone: "0356-1234567" });
    expect(units.find((u) => u.id === "gaoping")!.contact).toBeNull();
    expect(await json(await api("/units/zezhou/contact", { method: "PUT", token: await login("admin"), json: { name: "", phone: null } }))).toEqual({ unitId: "zezhou", name: null, phone: null });
    const before = await countRows("audit");
    for (const [user, unit, status] of [["desk.za", "gaoping", 403], ["desk.za", "jincheng", 403], ["desk.za", "Zezhou", 403], ["zezhou", "zezhou", 403], ["shenhe", "zezhou", 403]] as const) {
      expect((await api(`/units/${unit}/contact`, { method: "PUT", token: await login(user), json: { name: "x", phone: null } })).status, `${user} ${unit}`).toBe(status);
    }
    for (const body of [{ name: "x", phone: "call me" }, { name: "x".repeat(65), phone: null }, { name: "x" }, { name: "\u0007", phone: null }]) {
      const r = await api("/units/zezhou/contact", { method: "PUT", token: await login("admin"), json: body });
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    expect(await countRows("audit")).toBe(before);
  });
});

describe("GET /rounds/:id/audit filters", () => {
  it("filters by unit (exact) and action, with display names", async () => {
    const city = await login("admin");
    const all = AuditEntrySchema.array().parse(await json(await api("/rounds/rrv/audit", { token: city })));
    expect(all.map((a) => a.action)).toEqual(["submit", "return", "submit", "approve"]);
    const submits = AuditEntrySchema.array().parse(await json(await api("/rounds/rrv/audit?unit=zezhou&action=submit", { token: city })));
    expect(submits.map((a) => [a.action, a.unitId, a.username, a.displayName])).toEqual([["submit", "zezhou", "zezhou", "泽州县填报员"], ["submit", "zezhou", "zezhou", "泽州县填报员"]]);
    expect(await json(await api("/rounds/rrv/audit?unit=Zezhou", { token: city }))).toEqual([]);
    expect(await json(await api("/rounds/rrv/audit?unit=gaoping", { token: city }))).toEqual([]);
    expect(await json(await api("/rounds/rrv/audit?action=SUBMIT", { token: city }))).toEqual([]);
    expect((await api(`/rounds/rrv/audit?action=${"x".repeat(65)}`, { token: city })).status).toBe(422);
    expect((await api("/rounds/rrv/audit?other=1", { token: city })).status).toBe(422);
    // a county reviewer sees its own unit's entries only
    const own = AuditEntrySchema.array().parse(await json(await api("/rounds/rrv/audit", { token: await login("desk.zr") })));
    expect(new Set(own.map((a) => a.unitId))).toEqual(new Set(["zezhou"]));
  });
});

describe("GET /rounds/:id/submissions/:unit/review", () => {
  const exactText = (texts: string[], decimals: number) => {
    const m = medianExact(texts.map((t) => Exact.parseExact(t)!));
    return m && Exact.toFixed(m, Math.max(decimals, Exact.decimalPlaces(m)));
  };

  it("gives the report, last period's figures, the parent's totals and the siblings' exact median (odd and even), and the revisions", async () => {
    // the same period as the demo's closed 2024 round's successor, so its previous round is r2024
    await openRound("rmed", "2025", FAR, ALL_UNITS);
    const reps: Record<string, Values> = {
      chengqu: values("chengqu", { work_funds: "0.10", products: 101 }),
      gaoping: values("gaoping", { work_funds: "0.20", products: 104 }),
    };
    for (const [unit, v] of Object.entries(reps)) expect((await put("rmed", unit, await login(unit), v, 0)).status, unit).toBe(201);
    const city = await login("chakan");
    const even = ReviewContextSchema.parse(await json(await api("/rounds/rmed/submissions/gaoping/review", { token: city })));
    expect(even.parent).toMatchObject({ unitId: "jincheng", name: { zh: "晋城市" }, units: 2 });
    expect(even.parent!.median.work_funds).toBe("0.15"); // 0.1 + 0.2 halved, exactly
    expect(even.parent!.median.products).toBe("102.5");
    expect(even.parent!.median.leading_group).toBeNull();
    expect(even.parent!.median.remarks).toBeNull();
    expect(even.parent!.totals.work_funds).toBe("0.30");
    expect(even.parent!.totals.products).toBe("205");
    expect(even.parent!.totals.drive_status).toBeNull();
    const coverage = Object.values(reps).map((v) => derivedValues(compiled, v).values.std_coverage_rate as string);
    expect(even.parent!.median.std_coverage_rate).toBe(exactText(coverage, 2));
    // a yes/no total is the share answering yes
    const yes = Object.values(reps).filter((v) => v.leading_group === true).length;
    expect(even.parent!.totals.leading_group).toBe(Exact.toFixed(Exact.div(Exact.fromInt(yes * 100), Exact.fromInt(2))!, 1));

    // a third sibling: the middle one; a returned one no longer counts
    reps.zezhou = values("zezhou", { work_funds: "0.25", products: 103 });
    expect((await put("rmed", "zezhou", await login("zezhou"), reps.zezhou, 0)).status).toBe(201);
    const odd = ReviewContextSchema.parse(await json(await api("/rounds/rmed/submissions/zezhou/review", { token: city })));
    expect(odd.parent!.median).toMatchObject({ work_funds: "0.20", products: "103" });
    expect(odd.parent!.units).toBe(3);
    expect((await post("/rounds/rmed/submissions/chengqu/return", await login("shenhe"), { comment: "请核实" })).status).toBe(200);
    const after = ReviewContextSchema.parse(await json(await api("/rounds/rmed/submissions/zezhou/review", { token: city })));
    expect(after.parent!.median).toMatchObject({ work_funds: "0.225", products: "103.5" });
    expect(after.parent!.totals.products).toBe("207");

    // the report itself, the same unit last period (r2024, approved) with its rates, the revisions
    expect(after.submission).toMatchObject({ roundId: "rmed", unitId: "zezhou", state: "submitted", revision: 1 });
    expect(after.previous).toMatchObject({ roundId: "r2024", period: "2024" });
    expect(after.previous!.values.products).toBe(DEMO_PAST_VALUES.zezhou!.products);
    expect(after.previous!.derived.std_coverage_rate).toBe(derivedValues(compiled, DEMO_PAST_VALUES.zezhou!).values.std_coverage_rate);
    expect(after.revisions).toEqual([{ revision: 1, submittedAt: after.submission.submittedAt, submittedBy: "zezhou", submittedByName: "泽州县填报员" }]);
    // a unit with nothing in yet: an empty report, no median of its own
    const none = ReviewContextSchema.parse(await json(await api("/rounds/rmed/submissions/lingchuan/review", { token: city })));
    expect(none.submission.state).toBe("not_started");
    expect(none.revisions).toEqual([]);
  });

  it("is for units strictly above the report: not the unit itself, a sibling, a reporter or another city", async () => {
    for (const [user, unit, status] of [
      ["desk.zr", "zezhou", 403], ["desk.za", "zezhou", 403], ["zezhou", "zezhou", 403], ["gaoping", "zezhou", 403],
      ["desk.za", "gaoping", 403], ["admin", "Zezhou", 403], ["admin", "yangcheng_x", 403], ["admin", "jincheng", 404],
    ] as const) {
      expect((await api(`/rounds/rmed/submissions/${unit}/review`, { token: await login(user) })).status, `${user} ${unit}`).toBe(status);
    }
    expect((await api("/rounds/RMED/submissions/zezhou/review", { token: await login("admin") })).status).toBe(404);
    for (const user of ["admin", "shenhe", "chakan", "desk.cityview"]) {
      expect((await api("/rounds/rmed/submissions/zezhou/review", { token: await login(user) })).status, user).toBe(200);
    }
  });
});

describe("a stale file on upload", () => {
  async function filled(round: string, unit: string, token: string, v: Values): Promise<ArrayBuffer> {
    const res = await api(`/rounds/${round}/submissions/${unit}/template.xlsx`, { token });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const index = fillIndex(compiled);
    for (const [code, value] of Object.entries(v)) ws.getCell(index.rowOf.get(code)! + 1, 4).value = cellValueOf(compiled.byCode.get(code)!, value as never) as ExcelJS.CellValue;
    return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
  }
  const upload = (round: string, unit: string, token: string, file: ArrayBuffer, headers: Record<string, string> = {}) =>
    api(`/rounds/${round}/submissions/${unit}/upload?acknowledgeWarnings=1`, { method: "POST", token, body: file, headers: { "content-type": XLSX, ...headers } });

  it("says what differs from the current revision; If-Match submits it knowingly; a wrong If-Match is still 412; replays still say replayed", async () => {
    await openRound("rup", "2035", FAR, ["zezhou"]);
    const token = await login("zezhou");
    const first = await filled("rup", "zezhou", token, values("zezhou", { products: 500 })); // made at revision 0
    const accepted = await upload("rup", "zezhou", token, first, { "idempotency-key": "desk-rup-first" });
    expect(accepted.status).toBe(201);
    const fileB = await filled("rup", "zezhou", token, values("zezhou", { products: 510 })); // made at revision 1
    expect((await put("rup", "zezhou", token, values("zezhou", { products: 520, work_funds: "12.50" }), 1)).status).toBe(200); // now revision 2

    const writes = async () => [await countRows("revisions"), await countRows("audit")];
    const before = await writes();
    const stale = await upload("rup", "zezhou", token, fileB);
    expect(stale.status).toBe(412);
    const e = await error(stale);
    expect(e).toMatchObject({ code: "stale_revision", currentRevision: 2 });
    expect(e.stale).toEqual({
      currentRevision: 2, fileRevision: 1,
      changes: [
        { indicator: "work_funds", current: "12.50", file: DEMO_PAST_VALUES.zezhou!.work_funds },
        { indicator: "products", current: 520, file: 510 },
      ],
    });
    expect(e.message.zh).toContain("第 1 版");
    expect(e.message.en).toContain("revision 2");
    // the way out is named as the button reads, never as an HTTP header (#22)
    expect(e.message.zh).toContain("以这份文件作为第 3 版上报");
    expect(`${e.message.zh}${e.message.en}`).not.toContain("If-Match");
    expect(await writes()).toEqual(before);

    const wrong = await upload("rup", "zezhou", token, fileB, { "if-match": '"1"' });
    expect(wrong.status).toBe(412);
    expect((await error(wrong)).stale).toMatchObject({ currentRevision: 2, fileRevision: 1 });
    expect(await writes()).toEqual(before);

    const knowing = await upload("rup", "zezhou", token, fileB, { "if-match": '"2"', "idempotency-key": "desk-rup-knowing" });
    expect(knowing.status).toBe(200);
    const view: SubmissionView = SubmissionViewSchema.parse(await knowing.json());
    expect(view).toMatchObject({ revision: 3, state: "submitted" });
    expect(view.values.products).toBe(510);

    // the first accepted file again with its key: the stored answer, marked replayed, nothing new
    const after = await writes();
    const replay = await upload("rup", "zezhou", token, first, { "idempotency-key": "desk-rup-first" });
    expect(replay.status).toBe(201);
    expect(SubmissionViewSchema.parse(await replay.json())).toMatchObject({ revision: 1, replayed: true });
    expect(await writes()).toEqual(after);
    // and without its key it is stale like any older file
    expect((await upload("rup", "zezhou", token, first)).status).toBe(412);
  });
});
