// The independent attack on the integrity issue, kept as tests: scoping, authority, sign-in, names,
// concurrency, periods, no 500 (what held, with counts), and F12 (a kind change between periods).
import { describe, expect, it, beforeAll } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { strFromU8, unzipSync, zipSync } from "fflate";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import { api, ensureDemo, env, json, login } from "./helpers";
import { insertUnit } from "../src/db/units";

let admin = "";
let tpl = { id: "", version: 0 };
const PW = "probe-password-1";
let seq = 0;
const uid = (p: string) => `${p}${++seq}${Math.random().toString(36).slice(2, 7)}`;
const VALID = DEMO_PAST_VALUES.zezhou!;
const held: Record<string, [number, number]> = {};
const tally = (k: string, ok: boolean) => { const t = (held[k] ??= [0, 0]); t[1]++; if (ok) t[0]++; };

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: admin }));
  tpl = { id: r.templateId, version: r.templateVersion };
});

async function mkUnit(id: string, parentId = "jincheng", nameZh = `探针${id}`, token = admin) {
  return api("/units", { method: "POST", token, json: { id, name: { zh: nameZh, en: `P ${id}` }, level: "county", parentId } });
}
async function mkUser(unitId: string, role: string, token = admin) {
  const username = uid("u").toLowerCase();
  const r = await api("/users", { method: "POST", token, json: { username, displayName: "p", role, unitId, password: PW } });
  return { status: r.status, username };
}
async function mkRound(expectedUnitIds: string[], opts: { templateId?: string; version?: number; period?: string; token?: string } = {}) {
  const id = uid("pr");
  const r = await api("/rounds", { method: "POST", token: opts.token ?? admin, json: { id, templateId: opts.templateId ?? tpl.id, templateVersion: opts.version ?? tpl.version, period: opts.period ?? "2025", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds } });
  return { status: r.status, id, body: await r.text() };
}
const put = (roundId: string, unitId: string, token: string, values: Record<string, unknown>, rev = 0, extra: Record<string, string> = {}) =>
  api(`/rounds/${roundId}/submissions/${unitId}`, { method: "PUT", token, headers: { "if-match": `"${rev}"`, ...extra }, json: { values, acknowledgeWarnings: true } });

describe("class 3: exact scoping", () => {
  it("units differing only by case or by _ see and change nothing of each other", async () => {
    const base = uid("sc").toLowerCase();
    const ids = [base, base.toUpperCase(), `${base}_`, `${base}_x`, `${base[0]!.toUpperCase()}${base.slice(1)}`];
    // ids differing only by case are refused at creation, so they are put in as existing data
    for (const id of ids) {
      const r = await mkUnit(id);
      if (r.status === 409) await insertUnit(env.DB, { id, name: { zh: `探针${id}`, en: `P ${id}` }, level: "county", parentId: "jincheng" }).run();
      else expect(r.status).toBe(201);
    }
    const round = await mkRound(ids);
    expect(round.status).toBe(201);
    const tokens: Record<string, string> = {};
    for (const id of ids) { const u = await mkUser(id, "reporter"); tokens[id] = await login(u.username, PW); }
    // each submits a distinct products figure
    for (const [i, id] of ids.entries()) expect((await put(round.id, id, tokens[id]!, { ...VALID, products: 1000 + i })).status).toBe(201);
    for (const me of ids) {
      for (const other of ids) {
        if (me === other) continue;
        for (const path of [`/rounds/${round.id}/submissions/${other}`, `/rounds/${round.id}/submissions/${other}/revisions`, `/rounds/${round.id}/submissions/${other}/template.xlsx`]) {
          const s = (await api(path, { token: tokens[me] })).status;
          tally("cross-unit read refused", s === 403 || s === 404);
          expect(s === 403 || s === 404, `${me} GET ${path} → ${s}`).toBe(true);
        }
        const w = await put(round.id, other, tokens[me]!, VALID, 1);
        tally("cross-unit write refused", w.status === 403 || w.status === 404);
        expect([403, 404]).toContain(w.status);
      }
      const units = await json<{ id: string }[]>(await api("/units", { token: tokens[me] }));
      tally("own /units only", units.length === 1 && units[0]!.id === me);
      expect(units.map((u) => u.id)).toEqual([me]);
    }
    const shenhe = await login("shenhe");
    const totals = await json<{ children: { unitId: string; totals: { indicators: Record<string, { value: string }> } }[] }>(await api(`/rounds/${round.id}/totals`, { token: shenhe }));
    for (const [i, id] of ids.entries()) {
      const ch = totals.children.find((c) => c.unitId === id)!;
      tally("child totals unmixed", ch.totals.indicators.products!.value === String(1000 + i));
      expect(ch.totals.indicators.products!.value).toBe(String(1000 + i));
    }
  });
});

describe("class 4: authority from above", () => {
  it("reporters/reviewers/admins at the reported unit or below cannot return/approve/reopen; admins cannot grant outside their subtree; rounds cannot expect a unit and its descendant", async () => {
    const county = uid("au");
    expect((await mkUnit(county)).status).toBe(201);
    const town = uid("at");
    expect((await mkUnit(town, county)).status).toBe(201);
    const round = await mkRound([county]);
    const rep = await mkUser(county, "reporter");
    const repTok = await login(rep.username, PW);
    expect((await put(round.id, county, repTok, VALID)).status).toBe(201);
    for (const role of ["admin", "reviewer"]) {
      for (const at of [county, town]) {
        const u = await mkUser(at, role);
        const tok = await login(u.username, PW);
        for (const [path, body] of [["return", { comment: "x" }], ["approve", {}]] as const) {
          const s = (await api(`/rounds/${round.id}/submissions/${county}/${path}`, { method: "POST", token: tok, json: body })).status;
          tally("review from self/below refused", s === 403 || s === 404);
          expect([403, 404], `${role}@${at} ${path}`).toContain(s);
        }
        const s = (await api(`/rounds/${round.id}/reopen`, { method: "POST", token: tok, json: { unitId: county } })).status;
        tally("reopen from self/below refused", s === 403 || s === 404);
        expect([403, 404]).toContain(s);
        if (role === "admin") {
          for (const target of ["jincheng", "shanxi", "zezhou"]) {
            const c = await mkUser(target, "admin", tok);
            tally("user outside subtree refused", c.status === 422 || c.status === 403);
            expect([403, 422]).toContain(c.status);
          }
          const t = await api(`/templates/${tpl.id}/${tpl.version}/publish`, { method: "POST", token: tok });
          tally("template publish by county refused", t.status >= 400 && t.status < 500);
          const nt = await api("/templates", { method: "POST", token: tok, json: { builtin: true } });
          tally("new version of ancestor's template refused", nt.status === 403);
          expect(nt.status).toBe(403);
        }
      }
    }
    const both = await mkRound([county, town]);
    tally("unit + descendant refused", both.status === 422);
    expect(both.status).toBe(422);
  });
});

describe("class 6: sign-in", () => {
  it("unknown / wrong / locked answer alike; the right password does not get in while locked; password change counts", async () => {
    const unit = uid("si");
    await mkUnit(unit);
    const u = await mkUser(unit, "viewer");
    const answer = async (username: string, password: string) => { const r = await api("/auth/login", { method: "POST", json: { username, password } }); return `${r.status} ${await r.text()}`; };
    const unknown = await answer(`nobody${unit}`, "whatever-pass");
    const wrong = await answer(u.username, "wrong-password");
    for (let i = 0; i < 4; i++) await answer(u.username, "wrong-password");
    const locked = await answer(u.username, PW);
    const upper = await answer(u.username.toUpperCase(), PW);
    tally("same answer unknown/wrong/locked", unknown === wrong && wrong === locked && locked === upper);
    expect(new Set([unknown, wrong, locked, upper]).size).toBe(1);
    // password change counts failures
    const v = await mkUser(unit, "viewer");
    const tok = await login(v.username, PW);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await api("/auth/password", { method: "POST", token: tok, json: { currentPassword: "nope-nope-nope", newPassword: "new-password-123" } })).status);
    const after = await api("/auth/login", { method: "POST", json: { username: v.username, password: PW } });
    tally("password change counts", codes.includes(423) && after.status === 401);
    expect(after.status).toBe(401);
  });
});

describe("class 7: reserved codes, hostile names, concurrent creation", () => {
  it("reserved codes are refused as unit ids and template ids", async () => {
    for (const code of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf", "toLocaleString", "propertyIsEnumerable"]) {
      const s = (await mkUnit(code)).status;
      tally("reserved unit id refused", s === 422);
      expect(s).toBe(422);
      const t = await api("/templates", { method: "POST", token: admin, json: { builtin: true, id: code } });
      tally("reserved template id refused", t.status === 422);
      expect(t.status).toBe(422);
    }
  });

  it("a unit named with quotes, apostrophes, commas, =, <, & round-trips: fill sheet downloads, re-uploads, aggregate .xlsx and CSV read back", async () => {
    const names = [`'泽州,"县"'`, "O'Brien's, \"Co\"", "=HYPERLINK(\"x\")", "<b>&amp;</b>", "History", "a".repeat(64), "x:y/z?*[1]"];
    for (const nameZh of names) {
      const id = uid("hn");
      expect((await mkUnit(id, "jincheng", nameZh)).status).toBe(201);
      const round = await mkRound([id]);
      const u = await mkUser(id, "reporter");
      const tok = await login(u.username, PW);
      expect((await put(round.id, id, tok, VALID)).status).toBe(201);
      const x = await api(`/rounds/${round.id}/submissions/${id}/template.xlsx`, { token: tok });
      const bytes = new Uint8Array(await x.arrayBuffer());
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes.buffer as ArrayBuffer);
      const up = await api(`/rounds/${round.id}/submissions/${id}/upload?acknowledgeWarnings=1`, { method: "POST", token: tok, body: bytes });
      tally("hostile name fill round trip", up.status === 200);
      expect(up.status, await up.clone().text()).toBe(200);
      const agg = await api(`/rounds/${round.id}/export.xlsx`, { token: admin });
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(await agg.arrayBuffer());
      const csv = await api(`/rounds/${round.id}/export.csv`, { token: admin });
      tally("hostile name exports", agg.status === 200 && csv.status === 200);
      expect(csv.status).toBe(200);
    }
  });

  it("concurrent creation of the same unit / user / template version / round answers 201 once and 409 otherwise, never 500", async () => {
    const id = uid("cc");
    const units = await Promise.all(Array.from({ length: 5 }, () => mkUnit(id)));
    const username = uid("ccu").toLowerCase();
    const users = await Promise.all(Array.from({ length: 5 }, () => api("/users", { method: "POST", token: admin, json: { username, displayName: "c", role: "viewer", unitId: "zezhou", password: PW } })));
    const tid = uid("tpl");
    const tpls = await Promise.all(Array.from({ length: 5 }, () => api("/templates", { method: "POST", token: admin, json: { builtin: true, id: tid } })));
    const rid = uid("rr");
    const rounds = await Promise.all(Array.from({ length: 5 }, () => api("/rounds", { method: "POST", token: admin, json: { id: rid, templateId: tpl.id, templateVersion: tpl.version, period: "2025", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] } })));
    for (const [what, rs] of Object.entries({ units, users, tpls, rounds })) {
      const st = rs.map((r) => r.status).sort();
      console.log("concurrent", what, st);
      tally("concurrent create 201+409", st.filter((s) => s === 201).length === 1 && st.every((s) => s === 201 || s === 409));
      expect(st.filter((s) => s === 201), what).toHaveLength(1);
      expect(st.every((s) => s === 201 || s === 409), what).toBe(true);
    }
  });
});

describe("class 2: totals and next period", () => {
  it("big→small correction leaves totals equal to what is stored", async () => {
    const id = uid("bs");
    await mkUnit(id);
    const round = await mkRound([id]);
    const u = await mkUser(id, "reporter");
    const tok = await login(u.username, PW);
    const big = Object.fromEntries(Object.entries(VALID).map(([k, v]) => [k, typeof v === "number" ? 9999999999999 : typeof v === "string" && /^\d/.test(v) ? "9999999999999" : v]));
    const r1 = await put(round.id, id, tok, big);
    console.log("big submit", r1.status, r1.status !== 201 ? (await r1.text()).slice(0, 300) : "");
    expect(r1.status).toBe(201);
    const tb = await json<{ totals: { indicators: Record<string, { value?: string | null }> } }>(await api(`/rounds/${round.id}/totals`, { token: admin }));
    expect(tb.totals.indicators.products!.value).toBe("9999999999999");
    const small = await put(round.id, id, tok, VALID, r1.status === 201 ? 1 : 0);
    expect(small.status).toBeLessThan(300);
    const t = await json<{ totals: { indicators: Record<string, { value?: string | null }> } }>(await api(`/rounds/${round.id}/totals?unit=${id}`, { token: admin }));
    const expectProducts = String(VALID.products);
    tally("big→small totals", t.totals.indicators.products!.value === expectProducts);
    expect(t.totals.indicators.products!.value).toBe(expectProducts);
  });

  it("F12 next period after an indicator changed kind (text → amount): the fill sheet's previous-period column holds no NaN and reads back", async () => {
    const tid = uid("kc");
    const base = (kind: "text" | "amount") => ({
      template: {
        id: tid, name: { zh: "探针", en: "probe" }, periodType: "annual", sections: [{ code: "s", name: { zh: "一", en: "one" } }],
        indicators: [
          { code: "n", section: "s", kind: "count", name: { zh: "数", en: "n" } },
          kind === "text" ? { code: "x", section: "s", kind: "text", name: { zh: "某项", en: "x" } } : { code: "x", section: "s", kind: "amount", unit: "万元", decimals: 2, name: { zh: "某项", en: "x" } },
        ],
      },
    });
    const unit = uid("kcu");
    await mkUnit(unit);
    const u = await mkUser(unit, "reporter");
    const tok = await login(u.username, PW);
    expect((await api("/templates", { method: "POST", token: admin, json: base("text") })).status).toBe(201);
    expect((await api(`/templates/${tid}/1/publish`, { method: "POST", token: admin })).status).toBe(200);
    const r1 = await mkRound([unit], { templateId: tid, version: 1, period: "2031" });
    expect(r1.status, r1.body).toBe(201);
    expect((await put(r1.id, unit, tok, { n: 5, x: "尚在统计" })).status).toBe(201);
    expect((await api("/templates", { method: "POST", token: admin, json: base("amount") })).status).toBe(201);
    expect((await api(`/templates/${tid}/2/publish`, { method: "POST", token: admin })).status).toBe(200);
    const r2 = await mkRound([unit], { templateId: tid, version: 2, period: "2032" });
    expect(r2.status, r2.body).toBe(201);
    const sub = await put(r2.id, unit, tok, { n: 6, x: "12.50" });
    expect(sub.status, await sub.clone().text()).toBe(201);
    for (const p of [`/rounds/${r2.id}/totals?unit=${unit}`, `/rounds/${r2.id}/export.csv`, `/rounds/${r2.id}/export.xlsx`]) expect((await api(p, { token: admin })).status).toBe(200);
    const x = await api(`/rounds/${r2.id}/submissions/${unit}/template.xlsx`, { token: tok });
    expect(x.status).toBe(200);
    const bytes = new Uint8Array(await x.arrayBuffer());
    const sheet = strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"]!);
    const nan = /<v>NaN<\/v>/.test(sheet);
    console.log("F12 fill sheet contains <v>NaN</v>:", nan);
    expect(nan).toBe(false);
  });
});

describe("class 8 + no 500", () => {
  it("odd requests never give a 500", async () => {
    const rep = await login("zezhou");
    const reqs: [string, RequestInit & { token?: string; json?: unknown }][] = [
      ["/templates/x/abc", { token: admin }], ["/templates/x/1e400", { token: admin }], ["/templates/x/-1", { token: admin }],
      [`/templates/${tpl.id}/NaN`, { method: "PUT", token: admin, json: {} }],
      ["/rounds/r2025/totals?unit=" + "a".repeat(5000), { token: admin }], ["/rounds/r2025/totals?unit=%00", { token: admin }],
      ["/rounds/r2025/submissions/zezhou/diff?from=1e400&to=1", { token: rep }], ["/rounds/r2025/submissions/zezhou/diff?from=0x1&to=1", { token: rep }],
      ["/rounds/r2025/submissions/zezhou", { method: "PUT", token: rep, headers: { "if-match": '"999999999"' }, json: { values: {} } }],
      ["/rounds/r2025/submissions/zezhou", { method: "PUT", token: rep, headers: { "if-match": '"0"', "idempotency-key": "k".repeat(129) }, json: { values: {} } }],
      ["/rounds/r2025/submissions/zezhou", { method: "PUT", token: rep, headers: { "if-match": '"0"' }, json: { values: { constructor: 1 } } }],
      ["/rounds/r2025/submissions/zezhou", { method: "PUT", token: rep, headers: { "if-match": '"0"' }, body: '{"values":{"products":1,"products":2}}' }],
      ["/rounds/r2025/submissions/zezhou/upload", { method: "POST", token: rep, body: new Uint8Array(0) }],
      ["/rounds/r2025/submissions/zezhou/upload", { method: "POST", token: rep, body: zipSync({ "xl/workbook.xml": new Uint8Array(0) }) }],
      ["/rounds/r2025/submissions/zezhou/upload", { method: "POST", token: rep, body: zipSync({ "xl/workbook.xml": new TextEncoder().encode("<x/>"), "xl/worksheets/sheet1.xml": new TextEncoder().encode("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>") }) }],
      ["/rounds/%E0%A4%A/totals", { token: admin }], ["/units", { method: "POST", token: admin, json: { id: "zz1", name: { zh: "x", en: "x" }, level: "province", parentId: "zezhou" } }],
      ["/rounds", { method: "POST", token: admin, json: { id: "rq1", templateId: tpl.id, templateVersion: tpl.version, period: "2025Q1", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] } }],
      ["/rounds", { method: "POST", token: admin, json: { id: "rq2", templateId: tpl.id, templateVersion: 9007199254740993, period: "2025", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: ["zezhou"] } }],
      ["/rounds/r2025/reopen", { method: "POST", token: admin, json: { unitId: "jincheng" } }],
      ["/integrity", { token: admin }],
    ];
    const bad: string[] = [];
    for (const [path, init] of reqs) {
      const r = await api(path, init);
      tally("odd request no 500", r.status < 500);
      if (r.status >= 500) bad.push(`${init.method ?? "GET"} ${path.slice(0, 60)} → ${r.status}`);
    }
    expect(bad).toEqual([]);
    const integ = await json<{ problems: unknown[] }>(await api("/integrity", { token: admin }));
    console.log("integrity problems", JSON.stringify(integ.problems).slice(0, 500));
    expect((await api("/integrity", { token: await login("shenhe") })).status).toBe(403);
    console.log("HELD TALLY", JSON.stringify(held));
  });
});
