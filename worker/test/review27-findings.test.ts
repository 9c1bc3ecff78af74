// Independent review of issue 27 (the whole country on one deployment). Each FINDING asserts the
// correct behaviour and fails today; each HELD is an attack that the code withstood.
// A fresh database: a nation made by init, the rest through the units-and-accounts workbook.
import { beforeAll, describe, expect, it } from "vitest";
import "../src/export/quiet-streams";
import ExcelJS from "exceljs/excel.js";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES } from "@tianbao/shared";
import worker from "../src/index";
import { firstRunSql } from "../src/admin/first-run";
import { hashNewPassword } from "../src/auth/password";
import { api, env, json } from "./helpers";
// the board's own grouping (pure), to show what the nation's board draws; a review test, not Worker code
import { groupUnits } from "@tianbao/shared"; // the board's grouping, shared with addin/src/web/board.ts

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const RECEIVER = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
type Preview = { units: { create: { id: string }[]; change: { id: string; fields: Record<string, unknown> }[] }; accounts: { create: unknown[]; change: unknown[] }; unchanged: number; problems: { cell: string; message: { zh: string } }[] };
type Applied = { preview: Preview; passwords: { username: string; password: string; unitId: string }[] };
type Row = (string | null)[];

async function signIn(username: string, password: string): Promise<string> {
  const r = await api("/auth/login", { method: "POST", json: { username, password } });
  expect(r.status, await r.clone().text()).toBe(200);
  return (await json<{ token: string }>(r)).token;
}
/** Signs in with a generated password and sets one of one's own, as the first sign-in must. */
async function firstSignIn(username: string, initial: string): Promise<string> {
  const t = await signIn(username, initial);
  expect((await api("/auth/password", { method: "POST", token: t, json: { currentPassword: initial, newPassword: `${username}-Own-Pass-1` } })).status).toBe(204);
  return signIn(username, `${username}-Own-Pass-1`);
}
async function download(token: string): Promise<ExcelJS.Workbook> {
  const res = await api("/directory.xlsx", { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}
/** The caller's downloaded workbook with rows added below its own (as typed in Excel), and edits to its cells. */
async function filled(token: string, units: Row[], accounts: Row[] = [], edit?: (wb: ExcelJS.Workbook) => void): Promise<ArrayBuffer> {
  const wb = await download(token);
  const add = (name: string, rows: Row[]) => {
    const ws = wb.getWorksheet(name)!;
    let start = 3;
    while (ws.getCell(start, 1).value) start++;
    rows.forEach((r, i) => r.forEach((v, c) => { if (v !== null) ws.getCell(start + i, c + 1).value = v; }));
  };
  add("单位", units);
  add("账号", accounts);
  edit?.(wb);
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}
const post = (path: string, token: string, body: ArrayBuffer) => api(path, { method: "POST", token, body, headers: { "content-type": XLSX } });
async function preview(token: string, body: ArrayBuffer): Promise<Preview> {
  const r = await post("/directory/preview", token, body);
  expect(r.status, await r.clone().text()).toBe(200);
  return json<Preview>(r);
}
async function apply(token: string, body: ArrayBuffer): Promise<Applied> {
  const r = await post("/directory/apply", token, body);
  expect(r.status, await r.clone().text()).toBe(200);
  return json<Applied>(r);
}
/** A unit row's cell in the caller's workbook, by unit id (1-based column). */
function setUnitCell(wb: ExcelJS.Workbook, id: string, col: number, value: string): void {
  const ws = wb.getWorksheet("单位")!;
  for (let r = 3; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === id) { ws.getCell(r, col).value = value; return; }
  throw new Error(`no row for ${id}`);
}

let nation: string;
const tokens: Record<string, string> = {};

// 国家 → 山西省 (s_1) / 河北省 (sa1: differs from s_1 only where LIKE's `_` would match) →
// cities (two 市辖区 under two cities of one province, one more in another province; 省直辖县级行政区划 in both
// provinces; a city with a county of its own name) → counties and 本级.
const TREE: Row[] = [
  // children first: the workbook must place them once their parents are read
  ["jc_sxq", "市辖区", "Jincheng districts", "县（区）", "jc"],
  ["jc", "晋城市", "Jincheng", "市", "s_1"],
  ["s_1", "山西省", "Shanxi", "省", "CN"],
  ["sa1", "河北省", "Hebei", "省", "CN"],
  ["cz", "长治市", "Changzhi", "市", "s_1"],
  ["cz_sxq", "市辖区", "Changzhi districts", "县（区）", "cz"],
  ["cz_cz", "长治市", "Changzhi county", "县（区）", "cz"],
  ["jc_self", "晋城市本级", "Jincheng own", "本级", "jc"],
  ["s1_zx", "省直辖县级行政区划", "Shanxi direct", "市", "s_1"],
  ["s1_zx_a", "O'Brien县", "O'Brien", "县（区）", "s1_zx"],
  ["sa1_zx", "省直辖县级行政区划", "Hebei direct", "市", "sa1"],
  ["sa1_zx_a", "\"引号\"县", "Quoted", "县（区）", "sa1_zx"],
  ["sjz", "石家庄市", "Shijiazhuang", "市", "sa1"],
  ["sjz_sxq", "市辖区", "Shijiazhuang districts", "县（区）", "sjz"],
  ["sjz_f", "=cmd|' /C calc'!A0", "Formula-looking", "县（区）", "sjz"],
];
const ACCOUNTS: Row[] = [
  ["s1adm", "山西管理员", "管理员", "s_1"],
  ["sa1adm", "河北管理员", "管理员", "sa1"],
  ["jcadm", "晋城管理员", "管理员", "jc"],
  ["czadm", "长治管理员", "管理员", "cz"],
  ["sjzadm", "石家庄管理员", "管理员", "sjz"],
];

beforeAll(async () => {
  const initial = "Nation-Init-2025";
  const sql = firstRunSql({ unitId: "CN", unitNameZh: "中华人民共和国", unitNameEn: "China", level: "nation", username: "guojia", displayName: "国家管理员", ...(await hashNewPassword(initial)), now: new Date().toISOString() });
  for (const statement of sql.split(";\n")) await env.DB.prepare(statement.replace(/;$/, "")).run();
  nation = await firstSignIn("guojia", initial);
  const done = await apply(nation, await filled(nation, TREE, ACCOUNTS));
  expect(done.preview.problems).toEqual([]);
  for (const p of done.passwords) tokens[p.username] = await firstSignIn(p.username, p.password);
});

describe("review 27: national administration through init and the workbook", () => {
  it("HELD: init makes a nation; one workbook adds provinces, cities, counties and 本级, children listed before parents", async () => {
    const units = await json<{ id: string; level: string; parentId: string | null }[]>(await api("/units", { token: nation }));
    expect(units.find((u) => u.id === "CN")).toMatchObject({ level: "nation", parentId: null });
    expect(units).toHaveLength(TREE.length + 1);
    expect(units.find((u) => u.id === "jc_sxq")).toMatchObject({ level: "county", parentId: "jc" });
  });

  it("HELD: the nation's workbook goes back up unchanged and changes nothing", async () => {
    const wb = await download(nation);
    const p = await apply(nation, (await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(p.preview.problems).toEqual([]);
    expect(p.preview.units.create.length + p.preview.units.change.length + p.preview.accounts.create.length + p.preview.accounts.change.length).toBe(0);
    expect(p.preview.unchanged).toBe(TREE.length + 1 + ACCOUNTS.length + 1);
  });

  it("HELD: a province's workbook, with rows deleted and moved, changes nothing and deletes nothing", async () => {
    const body = await filled(tokens.s1adm!, [], [], (wb) => {
      const ws = wb.getWorksheet("单位")!;
      ws.spliceRows(4, 1); // a deleted row
      const last = ws.getRow(4).values as unknown[];
      ws.spliceRows(4, 1);
      ws.addRow(last.slice(1)); // moved to the end
    });
    const p = await apply(tokens.s1adm!, body);
    expect(p.preview.problems).toEqual([]);
    expect(p.preview.units.create.length + p.preview.units.change.length).toBe(0);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM units").first<{ n: number }>())!.n).toBe(TREE.length + 1);
  });

  it("HELD: a province administrator cannot add under another province, nor name the other's unit, nor see it (s_1 vs sa1: no LIKE)", async () => {
    const p = await preview(tokens.s1adm!, await filled(tokens.s1adm!, [
      ["x_hb", "新县", "New", "县（区）", "sjz"],
      ["sjz", "石家庄市改", "Shijiazhuang", "市", "sa1"],
    ]));
    // the new county's parent (E) and the other province's city (taken code, A) are refused on their cells
    expect(p.problems.map((x) => x.cell.replace(/\d+$/, "")).sort()).toEqual(["单位!A", "单位!E"]);
    expect(p.units.create).toEqual([]);
    const seen = await json<{ id: string }[]>(await api("/units", { token: tokens.s1adm! }));
    expect(seen.map((u) => u.id)).not.toContain("sa1");
    expect(seen.map((u) => u.id)).not.toContain("sjz");
  });

  it("HELD: a nation, a county under 本级, a province under a city, a cycle and a moved existing unit are each refused on their cell", async () => {
    const p = await preview(nation, await filled(nation, [
      ["cn2", "另一个国家", "Another nation", "国家", "CN"],
      ["under_self", "本级下的县", "Under self", "县（区）", "jc_self"],
      ["up_prov", "倒置省", "Upside down", "省", "jc"],
      ["cyc_a", "环A", "Cycle A", "市", "cyc_b"],
      ["cyc_b", "环B", "Cycle B", "市", "cyc_a"],
    ], [], (wb) => setUnitCell(wb, "cz_sxq", 5, "jc")));
    const cells = p.problems.map((x) => x.cell.replace(/\d+$/, ""));
    expect(p.units.create).toEqual([]);
    expect(p.problems.length).toBe(6);
    expect(cells.filter((c) => c === "单位!D").length).toBeGreaterThanOrEqual(2);
    expect((await post("/directory/apply", nation, await filled(nation, [["cn2", "另一个国家", "Another nation", "国家", "CN"]]))).status).toBe(422);
  });

  it("HELD: a unit cannot rename itself; its parent can", async () => {
    const own = await preview(tokens.jcadm!, await filled(tokens.jcadm!, [], [], (wb) => setUnitCell(wb, "jc", 2, "新晋城市")));
    expect(own.problems.map((x) => x.cell)).toEqual([expect.stringMatching(/^单位!B\d+$/)]);
    const above = await preview(tokens.s1adm!, await filled(tokens.s1adm!, [], [], (wb) => setUnitCell(wb, "jc", 2, "晋城市")));
    expect(above.problems).toEqual([]);
  });

  it("HELD: the same name twice under one parent by look (NFKC, spaces, zero-width, case) is refused, in the workbook and POST /units", async () => {
    const p = await preview(tokens.czadm!, await filled(tokens.czadm!, [
      ["cz_a", "市 辖 区", "A", "县（区）", "cz"],
      ["cz_b", "市辖区\u200b", "B", "县（区）", "cz"],
      ["cz_c", "Changzhi County", "C", "县（区）", "cz"],
      ["cz_d", "ＡＢ县", "D", "县（区）", "cz"],
      ["cz_e", "ab县", "E", "县（区）", "cz"],
    ]));
    expect(p.problems.length).toBeGreaterThanOrEqual(4);
    const r = await api("/units", { method: "POST", token: tokens.czadm!, json: { id: "cz_f", name: { zh: "市辖区\u3000", en: "F" }, level: "county", parentId: "cz" } });
    expect(r.status).toBe(409);
  });

  it("HELD: an id differing only by case is refused; a name over 64 characters is refused on its cell", async () => {
    const p = await preview(nation, await filled(nation, [
      ["JC", "大写晋城", "Upper", "市", "s_1"],
      ["huge", "长".repeat(65), "Huge", "市", "s_1"],
    ]));
    expect(p.problems.map((x) => x.cell.replace(/\d+$/, ""))).toEqual(["单位!A", "单位!B"]);
  });

  it("HELD: 2,001 new units in one sheet are refused with the first row past the limit named; 2,000 pass the preview", async () => {
    const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [`big${i}`, `县${i}`, `County ${i}`, "县（区）", "cz"]);
    const over = await preview(nation, await filled(nation, rows(2001)));
    expect(over.problems).toHaveLength(1);
    expect(over.problems[0]!.message.zh).toContain("2,001");
    const at = await preview(nation, await filled(nation, rows(2000)));
    expect(at.problems).toEqual([]);
    expect(at.units.create).toHaveLength(2000);
  });

  it("FINDING: a unit named through POST /units with a trailing space (the API keeps it) makes its own workbook fail to go back up unchanged", async () => {
    // the nation adds a city by the API with a name as pasted from a document: "太原市 "
    const r = await api("/units", { method: "POST", token: nation, json: { id: "ty", name: { zh: "太原市 ", en: "Taiyuan" }, level: "city", parentId: "s_1" } });
    expect(r.status).toBe(201);
    const c = await api("/users", { method: "POST", token: nation, json: { username: "tyadm", displayName: "太原管理员", role: "admin", unitId: "ty" } });
    const ty = await firstSignIn("tyadm", (await json<{ password: string }>(c)).password);
    const wb = await download(ty);
    const back = await preview(ty, (await wb.xlsx.writeBuffer()) as ArrayBuffer);
    // expected: as downloaded, nothing to change and no problem; actual: "不能修改本单位的名称" on its own row
    expect(back.problems.map((x) => x.message.zh)).toEqual([]);
    expect(back.units.change).toEqual([]);
  });

  it("FINDING: a unit named through POST /units with more than 64 characters (the API allows 500) makes every workbook above it fail to go back up unchanged", async () => {
    const long = "某某".repeat(40); // 80 characters: POST /units took it before; the workbook refuses it
    // fixed both ways: the API now takes at most the workbook's 64, and a longer name set before that
    // (inserted here as a database made by an earlier version holds it) still goes back up unchanged
    const r = await api("/units", { method: "POST", token: tokens.sjzadm!, json: { id: "sjz_long", name: { zh: long, en: "Long" }, level: "county", parentId: "sjz" } });
    expect(r.status).toBe(422);
    await env.DB.prepare("INSERT INTO units (id, name_zh, name_en, level, parent_id, path) SELECT 'sjz_long', ?1, 'Long', 'county', 'sjz', path || 'sjz_long/' FROM units WHERE id = 'sjz'").bind(long).run();
    const wb = await download(nation);
    const back = await preview(nation, (await wb.xlsx.writeBuffer()) as ArrayBuffer);
    // expected: the nation's workbook goes back up as downloaded; actual: 单位名称不能超过 64 个字 on a row nobody changed
    expect(back.problems.map((x) => x.message.zh)).toEqual([]);
  });

  it("FINDING: two administrators adding the same name under one parent at the same moment both succeed (the sibling rule is read-then-write)", async () => {
    const add = (token: string, id: string) => api("/units", { method: "POST", token, json: { id, name: { zh: "同时县", en: `Same ${id}` }, level: "county", parentId: "jc" } });
    const [a, b] = await Promise.all([add(tokens.jcadm!, "race_a"), add(tokens.s1adm!, "race_b")]);
    const { results } = await env.DB.prepare("SELECT id FROM units WHERE parent_id = 'jc' AND name_zh = '同时县'").all<{ id: string }>();
    // expected: one 201 and one 409, one unit of that name; actual: two 市辖区-like twins under 晋城市
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(results).toHaveLength(1);
  });
});

describe("review 27: names that stay unique in a nation's round", () => {
  const counties = ["jc_sxq", "cz_sxq", "cz_cz", "jc_self", "s1_zx_a", "sa1_zx_a", "sjz_sxq", "sjz_f"];
  beforeAll(async () => {
    expect((await api("/templates", { method: "POST", token: nation, json: { builtin: true } })).status).toBe(201);
    expect((await api(`/templates/${BUILTIN_TEMPLATE.id}/1/publish`, { method: "POST", token: nation })).status).toBe(200);
    const r = await api("/rounds", { method: "POST", token: nation, json: { id: "n2025", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2025", deadline: "2027-03-31T17:00:00+08:00", expectedUnitIds: counties, levelDeadlines: { city: "2027-04-10T17:00:00+08:00", province: "2027-04-20T17:00:00+08:00" } } });
    expect(r.status, await r.clone().text()).toBe(201);
    const by: Record<string, string> = { jc_sxq: "jcadm", cz_sxq: "czadm", cz_cz: "czadm", jc_self: "jcadm", sjz_sxq: "sjzadm", sjz_f: "sjzadm" };
    for (const [unit, user] of Object.entries(by)) {
      const put = await api(`/rounds/n2025/submissions/${unit}`, { method: "PUT", token: tokens[user]!, json: { values: DEMO_PAST_VALUES.zezhou, acknowledgeWarnings: true }, headers: { "if-match": '"0"' } });
      expect(put.status, await put.clone().text()).toBe(201);
    }
  });

  it("HELD: the nation's completeness sheet names each county by its path (two 市辖区 differ)", async () => {
    const res = await api("/rounds/n2025/export.xlsx", { token: nation });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const texts: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => { if (typeof c.value === "string") texts.push(c.value); })));
    expect(texts).toContain("山西省 / 晋城市 / 市辖区");
    expect(texts).toContain("山西省 / 长治市 / 市辖区");
    expect(texts).toContain("河北省 / 石家庄市 / 市辖区");
    expect(texts).toContain("山西省 / 长治市 / 长治市");
    expect(texts.filter((t) => t === "市辖区")).toEqual([]);
  });

  it("HELD: a formula-looking unit name is neutralised in the CSV and stays text in the workbook", async () => {
    const csv = await (await api("/rounds/n2025/export.csv?unit=sjz", { token: nation })).text();
    expect(csv).toContain("'=cmd|' /C calc'!A0");
    expect(csv).not.toMatch(/(^|,)=cmd/m);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await api("/rounds/n2025/export.xlsx?unit=sjz", { token: nation })).arrayBuffer());
    let formulas = 0;
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => { if (c.formula && /cmd/.test(c.formula)) formulas++; })));
    expect(formulas).toBe(0);
  });

  it("FINDING: the nation's group robot names the three 市辖区 it chases only as 市辖区, with nothing to tell them apart", async () => {
    const hook = await api("/units/CN/webhook", { method: "PUT", token: nation, json: { kind: "wecom", url: `${RECEIVER}/ok/review27-nation?key=k` } });
    expect(hook.status, await hook.clone().text()).toBe(200);
    // withdraw nothing: 3 市辖区 have submitted; reopen none. Chase the ones not in: the round has no other robot,
    // so every unreported unit is named in the nation's group. Make two 市辖区 not in: a fresh round.
    const r = await api("/rounds", { method: "POST", token: nation, json: { id: "n2025b", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2024", deadline: "2027-03-31T17:00:00+08:00", expectedUnitIds: ["jc_sxq", "cz_sxq", "sjz_sxq"] } });
    expect(r.status, await r.clone().text()).toBe(201);
    await worker.scheduled!({ cron: "0 * * * *", scheduledTime: Date.parse("2027-03-30T10:00:00+08:00"), noRetry: () => undefined } as unknown as ScheduledController, env as unknown as Env);
    const log = ((await (await fetch(`${RECEIVER}/_log`)).json()) as { path: string; body: { text: { content: string } } }[]).filter((p) => p.path.startsWith("/ok/review27-nation"));
    expect(log.length).toBeGreaterThan(0);
    const text = log.map((p) => p.body.text.content).join("\n");
    // expected: 晋城市 / 市辖区, 长治市 / 市辖区, 石家庄市 / 市辖区 (or the like); actual: 市辖区、市辖区、市辖区
    expect(text, text).toContain("晋城市");
    expect(text).toContain("长治市");
    expect(text).toContain("石家庄市");
  });

  it("FINDING: the nation's board groups its units under cities named only by their own name: two 省直辖县级行政区划 headings (and 所属市 filter entries) look the same", async () => {
    const c = await json<{ units: { unitId: string; name: { zh: string; en: string } }[]; levels?: { unitId: string }[] }>(await api("/rounds/n2025/completeness", { token: nation }));
    const units = await json<{ id: string; parentId: string | null; name: { zh: string; en: string } }[]>(await api("/units", { token: nation }));
    // exactly what addin/src/web/board.ts feeds its groups with
    const groups = groupUnits(c.units as never, new Map(units.map((u) => [u.id, u.parentId])), new Map(units.map((u) => [u.id, u.name])), (c.levels ?? []) as never)!;
    const headings = groups.map((g) => g.name.zh);
    // expected: every heading tells its city apart (山西省 / 省直辖县级行政区划, 河北省 / 省直辖县级行政区划); actual: the same text twice
    expect(new Set(headings).size, headings.join(" | ")).toBe(headings.length);
  });

  it("HELD: a city administrator's integrity cursor naming the nation's round checks nothing of it", async () => {
    const r = await api("/integrity?cursor=n2025/1", { token: tokens.jcadm! });
    expect(r.status).toBe(200);
    const body = await json<{ complete: boolean; work: { roundId: string | null }[] }>(r);
    expect(body.work.filter((w) => w.roundId === "n2025")).toEqual([]);
    expect(body.complete).toBe(true);
  });
});

describe("review 27: names nobody can see", () => {
  it("FINDING: a unit name that is only a space (POST /units) or only a zero-width space (the workbook) is accepted", async () => {
    const api1 = await api("/units", { method: "POST", token: nation, json: { id: "blank_api", name: { zh: " ", en: "Blank" }, level: "city", parentId: "sa1" } });
    const p = await preview(nation, await filled(nation, [["blank_wb", "\u200b", "Blank too", "市", "sa1"]]));
    // expected: both refused (a name one can see is required); actual: 201, and a preview creating it without a problem
    expect(api1.status).toBe(422);
    expect(p.problems.map((x) => x.cell)).toEqual([expect.stringMatching(/^单位!B\d+$/)]);
  });
});
