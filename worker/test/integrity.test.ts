import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { strToU8, zipSync } from "fflate";
import { DEMO_PAST_VALUES, aggregateReports, fillIndex, type TemplateInput, type TotalsView } from "@tianbao/shared";
import { api, builtinCompiled, countRows, ensureDemo, env, json, login } from "./helpers";
import { signIn } from "../src/auth/session";
import { checkIntegrity } from "../src/integrity/d1";
import worker from "../src/index";
import { insertUnit } from "../src/db/units";
import { compileTemplate, TemplateSchema } from "@tianbao/shared";

// One named test per class of attack from the integrity issue; the integrity check must find
// nothing after all of them, and must find a total that was tampered with.

type Err = { error: { code: string; where?: string; message: { zh: string; en: string }; issues?: { indicator: string; cell: string | null; message: { zh: string; en: string } }[] } };
const PW = "password-123456";
let admin = "";

async function createUnit(id: string, parentId: string, level: "city" | "county" = "county") {
  const res = await api("/units", { method: "POST", token: admin, json: { id, name: { zh: `单位'${id}"`, en: `Unit '${id}"` }, level, parentId } });
  expect(res.status, await res.clone().text()).toBe(201);
}
async function createUser(username: string, role: string, unitId: string) {
  const res = await api("/users", { method: "POST", token: admin, json: { username, displayName: username, role, unitId, password: PW } });
  expect(res.status, await res.clone().text()).toBe(201);
  return login(username, PW);
}
async function openRound(id: string, templateId: string, templateVersion: number, period: string, expectedUnitIds: string[], token = admin) {
  return api("/rounds", { method: "POST", token, json: { id, templateId, templateVersion, period, deadline: "2099-01-31T23:59:59+08:00", expectedUnitIds } });
}
async function submit(round: string, unit: string, token: string, values: Record<string, unknown>, ifMatch = 0) {
  return api(`/rounds/${round}/submissions/${unit}`, { method: "PUT", token, json: { values, acknowledgeWarnings: true }, headers: { "if-match": `"${ifMatch}"` } });
}
/** A template as the create route takes it (version and status are the server's). */
const asBody = ({ version: _v, status: _s, ...t }: TemplateInput) => ({ template: t });
const integrity = async () => (await checkIntegrity(env.DB, "/", new Date())).problems;

const BIG: TemplateInput = {
  id: "bigt", version: 1, status: "draft", name: { zh: "大数模板", en: "Big numbers" }, periodType: "annual",
  sections: [{ code: "s", name: { zh: "分组", en: "Section" } }],
  indicators: [
    { code: "n", section: "s", kind: "count", name: { zh: "个数", en: "Count" } },
    { code: "amt", section: "s", kind: "amount", unit: "万元", decimals: 2, name: { zh: "金额", en: "Amount" } },
    { code: "per", section: "s", kind: "derived", formula: "amt / n", decimals: 2, name: { zh: "平均", en: "Per item" } },
  ],
  rules: [],
};

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
});

describe("1–2. value domain and exact totals", () => {
  const units = Array.from({ length: 12 }, (_, i) => `big${i}`);
  beforeAll(async () => {
    for (const u of units) await createUnit(u, "jincheng");
    expect((await api("/templates", { method: "POST", token: admin, json: asBody(BIG) })).status).toBe(201);
    expect((await api("/templates/bigt/1/publish", { method: "POST", token: admin })).status).toBe(200);
    expect((await openRound("rbig", "bigt", 1, "2030", units)).status).toBe(201);
  });

  it("refuses number text that is not a plain number, naming the indicator", async () => {
    for (const bad of ["12,34", "1 2 3", "1e3", "1,47,0", "0x10", "9".repeat(300), "１２,３４"]) {
      const res = await submit("rbig", "big0", admin, { n: bad });
      expect(res.status, bad).toBe(422);
      const body = await json<Err>(res);
      expect(body.error.issues![0]!.indicator).toBe("n");
      expect(body.error.issues![0]!.message.zh).toContain("个数（n）");
      expect(body.error.issues![0]!.message.zh).toContain("不是数字");
    }
    expect(await countRows("revisions WHERE round_id = 'rbig'")).toBe(0);
  });

  it("refuses values past the default bound of 10^13 − 1, and accepts correctly grouped and full-width digits", async () => {
    expect((await submit("rbig", "big0", admin, { n: "10000000000000" })).status).toBe(422);
    expect((await submit("rbig", "big0", admin, { amt: "9999999999999.01" })).status).toBe(422);
    expect((await submit("rbig", "big0", admin, { n: 1e300 })).status).toBe(422);
    const ok = await submit("rbig", "big0", admin, { n: "１,４７０", amt: "1,470.5" });
    expect(ok.status).toBe(201);
    expect((await json<{ values: Record<string, unknown> }>(ok)).values).toMatchObject({ n: 1470, amt: "1470.50" });
  });

  it("keeps totals exact beyond 2^53 and equal to the reference after a big → small correction", async () => {
    const compiled = compileTemplate(TemplateSchema.parse({ ...BIG, status: "published" }));
    if (!compiled.ok) throw new Error("template");
    const max = { n: "9999999999999", amt: "9999999999999.00" };
    for (const u of units) {
      const cur = await json<{ revision: number }>(await api(`/rounds/rbig/submissions/${u}`, { token: admin }));
      expect((await submit("rbig", u, admin, max, cur.revision)).status).toBeLessThan(300);
    }
    const totals = async () => json<TotalsView>(await api("/rounds/rbig/totals?unit=jincheng", { token: admin }));
    const big = await totals();
    // 12 × 9,999,999,999,999.00 = 119,999,999,999,988.00: 1.2·10^16 once scaled, past 2^53
    expect(big.totals.indicators.amt).toMatchObject({ value: "119999999999988.00" });
    expect(big.totals.indicators.n).toMatchObject({ value: "119999999999988" });
    const reference = aggregateReports(compiled.compiled, units.map((unitId) => ({ unitId, values: { n: 9999999999999, amt: "9999999999999.00" } })));
    expect(big.totals.indicators.amt).toEqual(reference.indicators.amt);
    for (const u of units.slice(0, 11)) {
      const cur = await json<{ revision: number }>(await api(`/rounds/rbig/submissions/${u}`, { token: admin }));
      expect((await submit("rbig", u, admin, { n: 1, amt: "0.01" }, cur.revision)).status).toBe(200);
    }
    const small = await totals();
    // 11 × 0.01 + 9,999,999,999,999.00 (the twelfth unit keeps its figure)
    expect(small.totals.indicators.amt).toMatchObject({ value: "9999999999999.11" });
    expect(await integrity()).toEqual([]);
  });

  it("a next period's round reads the huge previous figures without failing", async () => {
    expect((await openRound("rbig2", "bigt", 1, "2031", ["big11"])).status).toBe(201);
    const res = await submit("rbig2", "big11", admin, { n: 1, amt: "1.00" });
    expect(res.status).toBe(201);
    expect((await api("/rounds/rbig2/export.xlsx?unit=jincheng", { token: admin })).status).toBe(200);
  });

  it("refuses a template whose bounds the totals could not hold", async () => {
    const tooBig = { ...BIG, id: "bigt2", indicators: [{ code: "n", section: "s", kind: "count", max: "10000000000000000", name: { zh: "个数", en: "Count" } }] };
    const res = await api("/templates", { method: "POST", token: admin, json: asBody(tooBig as TemplateInput) });
    expect(res.status).toBe(422);
    expect((await json<Err>(res)).error.issues![0]!.message.zh).toContain("超出系统支持的范围");
  });
});

describe("3. scoping is exact: ids that differ by case or hold _ never mix", () => {
  let abc = "", qx = "";
  beforeAll(async () => {
    await createUnit("ab_c", "jincheng", "city");
    await createUnit("abXc", "jincheng", "city");
    await createUnit("ab_c_1", "ab_c");
    await createUnit("abXc_1", "abXc");
    // new ids may not differ only by case (refused at creation); data that does must still never mix
    await createUnit("Qx", "jincheng");
    expect((await api("/units", { method: "POST", token: admin, json: { id: "qx", name: { zh: "x", en: "x" }, level: "county", parentId: "jincheng" } })).status).toBe(409);
    await insertUnit(env.DB, { id: "qx", name: { zh: "单位'qx\"", en: "Unit 'qx\"" }, level: "county", parentId: "jincheng" }).run();
    expect((await openRound("rscope", "bigt", 1, "2032", ["ab_c_1", "abXc_1", "Qx", "qx"])).status).toBe(201);
    abc = await createUser("abc_admin", "admin", "ab_c");
    qx = await createUser("qx_rep", "reporter", "qx");
    // a unit under a review level is written by itself or that level (authority one level at a time)
    const abxc = await createUser("abxc_admin", "admin", "abXc");
    const writer: Record<string, string> = { ab_c_1: abc, abXc_1: abxc, Qx: admin, qx: admin };
    expect((await submit("rscope", "ab_c_1", admin, { n: 10 })).status).toBe(403);
    for (const [u, n] of [["ab_c_1", 10], ["abXc_1", 1000], ["Qx", 7], ["qx", 3]] as const) expect((await submit("rscope", u, writer[u]!, { n })).status).toBe(201);
  });

  it("a unit sees neither the unit that _ would match nor the one that differs by case", async () => {
    expect((await api("/rounds/rscope/submissions/abXc_1", { token: abc })).status).toBe(403);
    expect((await api("/rounds/rscope/submissions/Qx", { token: qx })).status).toBe(403);
    expect((await submit("rscope", "Qx", qx, { n: 1 }, 1)).status).toBe(403);
    const units = await json<{ id: string }[]>(await api("/units", { token: abc }));
    expect(units.map((u) => u.id).sort()).toEqual(["ab_c", "ab_c_1"]);
  });

  it("their totals never mix", async () => {
    const t = await json<TotalsView>(await api("/rounds/rscope/totals?unit=ab_c", { token: abc }));
    expect(t.totals.indicators.n).toMatchObject({ value: "10", reported: 1 });
    const city = await json<TotalsView>(await api("/rounds/rscope/totals?unit=jincheng", { token: admin }));
    expect(city.totals.indicators.n).toMatchObject({ value: "1020", reported: 4 });
  });
});

describe("4. authority comes from above", () => {
  it("a county's own administrator or reviewer cannot approve, return or reopen its own report", async () => {
    const own = await createUser("zezhou_admin", "admin", "zezhou");
    const rev = await createUser("zezhou_rev", "reviewer", "zezhou");
    const zz = await login("zezhou");
    const cur = await json<{ revision: number }>(await api("/rounds/r2025/submissions/zezhou", { token: zz }));
    if (cur.revision === 0) {
      const res = await submit("r2025", "zezhou", zz, DEMO_PAST_VALUES.zezhou!);
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const before = await countRows("audit");
    for (const token of [own, rev]) {
      expect((await api("/rounds/r2025/submissions/zezhou/approve", { method: "POST", token, json: {} })).status).toBe(403);
      expect((await api("/rounds/r2025/submissions/zezhou/return", { method: "POST", token, json: { comment: "x" } })).status).toBe(403);
    }
    expect((await api("/rounds/r2025/reopen", { method: "POST", token: own, json: { unitId: "zezhou" } })).status).toBe(403);
    expect(await countRows("audit")).toBe(before);
  });

  it("a report is reviewed by its direct parent: the review level between the owner and the unit can, a sibling level and the owner directly cannot", async () => {
    // rscope is owned by jincheng and expects ab_c_1 below ab_c: ab_c is its review level (issue 14)
    const abc = await login("abc_admin", PW);
    expect((await api("/rounds/rscope/submissions/abXc_1/approve", { method: "POST", token: abc, json: {} })).status).toBe(403);
    expect((await api("/rounds/rscope/submissions/ab_c_1/approve", { method: "POST", token: await login("shenhe"), json: {} })).status).toBe(403);
    expect((await api("/rounds/rscope/submissions/ab_c_1/approve", { method: "POST", token: abc, json: {} })).status).toBe(200);
    // Qx reports straight to the owner: the owner reviews it, as in every single-level round
    expect((await api("/rounds/rscope/submissions/Qx/approve", { method: "POST", token: await login("shenhe"), json: {} })).status).toBe(200);
  });

  it("a template is edited and published only by its owner or above; its id cannot be taken over", async () => {
    const own = await login("zezhou_admin", PW);
    const draft = { ...BIG, id: "cityform", name: { zh: "市表", en: "City form" } };
    expect((await api("/templates", { method: "POST", token: admin, json: asBody(draft) })).status).toBe(201);
    // another unit's draft is as absent to a county as one that does not exist (issue 21, 8a)
    expect((await api("/templates/cityform/1/publish", { method: "POST", token: own })).status).toBe(404);
    const { version: _v, status: _s, ...body } = draft;
    expect((await api("/templates/cityform/1", { method: "PUT", token: own, json: body })).status).toBe(404);
    expect((await api("/templates", { method: "POST", token: own, json: asBody(draft) })).status).toBe(403);
    expect((await api("/templates/cityform/1/publish", { method: "POST", token: admin })).status).toBe(200);
  });

  it("a round may not expect a unit and one below it", async () => {
    const res = await openRound("rboth", "bigt", 1, "2033", ["ab_c", "ab_c_1"]);
    expect(res.status).toBe(422);
    expect((await json<Err>(res)).error.message.zh).toContain("不能同时列入");
  });
});

describe("6. sign-in abuse", () => {
  beforeAll(async () => { await createUser("locky", "viewer", "zezhou"); });

  it("unknown user, wrong password and locked account get the same status and body", async () => {
    const attempt = async (username: string, password: string) => {
      const res = await api("/auth/login", { method: "POST", json: { username, password } });
      return [res.status, await res.text()] as const;
    };
    const unknown = await attempt("nobody_here", "whatever-123");
    const wrong = await attempt("locky", "wrong-password");
    for (let i = 0; i < 5; i++) await attempt("locky", "wrong-password");
    const locked = await attempt("locky", PW); // the right password during the lock
    expect(wrong).toEqual(unknown);
    expect(locked).toEqual(unknown);
  });

  it("one wrong guess per lock period does not keep an account locked", async () => {
    const db = env.DB;
    const t0 = Date.now();
    for (let k = 1; k <= 4; k++) {
      const at = new Date(t0 + k * 16 * 60_000); // each just after the previous lock ran out
      expect((await signIn(db, "locky", "wrong-password", at, 1)).ok).toBe(false);
      const r = await signIn(db, "locky", PW, new Date(at.getTime() + 1000), 1);
      expect(r.ok, `period ${k}`).toBe(true);
    }
  });

  it("changing the password counts wrong current passwords like sign-in", async () => {
    await createUser("changer", "viewer", "zezhou");
    const token = await login("changer", PW);
    const change = (currentPassword: string) => api("/auth/password", { method: "POST", token, json: { currentPassword, newPassword: "new-password-123" } });
    for (let i = 0; i < 4; i++) expect((await change("wrong-one")).status).toBe(403);
    expect((await change("wrong-one")).status).toBe(423);
    expect((await change(PW)).status).toBe(423);
    expect((await api("/auth/login", { method: "POST", json: { username: "changer", password: PW } })).status).toBe(401);
  });
});

describe("7. names a user can give", () => {
  it("refuses JavaScript prototype names as codes, with a clear message", async () => {
    for (const code of ["constructor", "toString", "valueOf", "hasOwnProperty"]) {
      const t = { ...BIG, id: `proto_${code}`, indicators: [{ code, section: "s", kind: "count", name: { zh: "x", en: "x" } }] };
      const res = await api("/templates", { method: "POST", token: admin, json: asBody(t as TemplateInput) });
      expect(res.status, code).toBe(422);
      expect((await json<Err>(res)).error.message.zh).toContain("保留字");
      const u = await api("/units", { method: "POST", token: admin, json: { id: code, name: { zh: "x", en: "x" }, level: "county", parentId: "jincheng" } });
      expect(u.status).toBe(422);
    }
  });

  it("concurrent creation of the same template answers 201 or 409, never 500", async () => {
    const t = { ...BIG, id: "racy" };
    const statuses = await Promise.all(Array.from({ length: 6 }, () => api("/templates", { method: "POST", token: admin, json: asBody(t as TemplateInput) }).then((r) => r.status)));
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
  });
});

describe("5. uploads cost what they are worth", () => {
  const compiled = builtinCompiled();
  const row = (code: string) => fillIndex(compiled).rowOf.get(code)! + 1;
  const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const upload = async (token: string, body: BodyInit) =>
    api("/rounds/r2025/submissions/yangcheng/upload", { method: "POST", token, body, headers: { "content-type": XLSX } });

  /** Sets an entry's declared (uncompressed) size in both the local header and the central directory. */
  function lieAboutSize(zip: Uint8Array, name: string, size: number): Uint8Array {
    const out = zip.slice();
    const view = new DataView(out.buffer);
    const enc = new TextEncoder().encode(name);
    const nameAt = (i: number, len: number) => len === enc.length && enc.every((b, k) => out[i + k] === b);
    for (let i = 0; i < out.length - 46; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50 && nameAt(i + 30, view.getUint16(i + 26, true))) view.setUint32(i + 22, size, true);
      if (sig === 0x02014b50 && nameAt(i + 46, view.getUint16(i + 28, true))) view.setUint32(i + 24, size, true);
    }
    return out;
  }

  it("refuses an entry that inflates past its declared size (not truncated, not trusted)", async () => {
    const token = await login("yangcheng");
    const bomb = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "xl/workbook.xml": strToU8("<workbook/>"), "xl/worksheets/sheet1.xml": new Uint8Array(30_000_000) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const res = await upload(token, lieAboutSize(bomb, "xl/worksheets/sheet1.xml", 1000));
    expect(res.status).toBe(400);
    expect((await json<Err>(res)).error.message.zh).toContain("与其目录不符");
  });

  it("counts cells in the file before parsing it", async () => {
    const token = await login("yangcheng");
    const cells = "<c r=\"A1\"/>".repeat(60_000);
    const file = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "xl/workbook.xml": strToU8("<workbook/>"), "xl/worksheets/sheet1.xml": strToU8(`<worksheet><sheetData><row r="1">${cells}</row></sheetData></worksheet>`) });
    const res = await upload(token, file);
    expect(res.status).toBe(413);
    expect((await json<Err>(res)).error.message.zh).toContain("单元格超过");
  });

  it("never trusts a formula's cached result in an input cell", async () => {
    const token = await login("yangcheng");
    const res0 = await api("/rounds/r2025/submissions/yangcheng/template.xlsx", { token });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res0.arrayBuffer());
    wb.worksheets[0]!.getCell(`D${row("products")}`).value = { formula: "1+1", result: 300 };
    const before = await countRows("revisions");
    const res = await upload(token, (await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(res.status).toBe(422);
    const body = await json<Err>(res);
    expect(body.error.where).toBe(`D${row("products")}`);
    expect(body.error.message.zh).toContain("公式");
    expect(await countRows("revisions")).toBe(before);
  });
});

describe("8. the integrity check", () => {
  it("finds a total that does not match the stored revisions, and nothing once it is put back", async () => {
    const pick = await env.DB.prepare("SELECT round_id, unit_id, basis, key FROM totals WHERE round_id = 'rscope' AND unit_id = 'jincheng' AND key = 'n'").first<Record<string, string>>();
    const bump = (d: number) => env.DB.prepare("UPDATE totals SET value = value + ? WHERE round_id = ? AND unit_id = ? AND basis = ? AND key = ?").bind(d, pick!.round_id, pick!.unit_id, pick!.basis, pick!.key).run();
    await bump(1);
    const found = await integrity();
    expect(found.some((p) => p.kind === "totals" && p.roundId === "rscope" && p.unitId === "jincheng")).toBe(true);
    await bump(-1);
    expect(await integrity()).toEqual([]);
  });

  it("runs from the daily Cron Trigger and logs what it finds", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => { lines.push(args.map(String).join(" ")); };
    try {
      await worker.scheduled!({ cron: "0 19 * * *", scheduledTime: Date.now(), noRetry: () => undefined } as unknown as ScheduledController, env as unknown as Env);
    } finally {
      console.log = log;
    }
    const report = JSON.parse(lines.find((l) => l.includes('"integrity"'))!) as { integrity: string; rounds: number; problems: unknown[] };
    expect(report).toMatchObject({ integrity: "ok", problems: [] });
    expect(report.rounds).toBeGreaterThan(2);
  });

  it("is a route for administrators, scoped to their subtree", async () => {
    const res = await api("/integrity", { token: admin });
    expect(res.status).toBe(200);
    const report = await json<{ rounds: number; problems: unknown[] }>(res);
    expect(report.problems).toEqual([]);
    expect(report.rounds).toBeGreaterThan(2);
    expect((await api("/integrity", { token: await login("shenhe") })).status).toBe(403);
  });
});
