// Findings of the independent attack on the integrity issue (F1–F10), kept as tests: each failed
// while its finding existed. Hostile workbooks, text no sheet can hold, half-written creations.
import { describe, expect, it, beforeAll } from "vitest";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import { api, countRows, ensureDemo, json, login } from "./helpers";
import { READ_AREA, checkAndTrim, readUploadedGrid } from "../src/upload/read-xlsx";

let admin = "";
let tpl = { id: "", version: 0 };
const PW = "probe-password-1";
let seq = 0;
const uid = (p: string) => `${p}${++seq}${Math.random().toString(36).slice(2, 7)}`;

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const r = await json<{ templateId: string; templateVersion: number }>(await api("/rounds/r2025", { token: admin }));
  tpl = { id: r.templateId, version: r.templateVersion };
});

/** A fresh county under jincheng with its own reporter, and a fresh open round expecting only it. */
async function freshUnit(opts: { nameZh?: string } = {}) {
  const id = uid("pu");
  const u = await api("/units", { method: "POST", token: admin, json: { id, name: { zh: opts.nameZh ?? `探针${id}`, en: `Probe ${id}` }, level: "county", parentId: "jincheng" } });
  expect(u.status, await u.clone().text()).toBe(201);
  const username = `rep${id}`.toLowerCase().slice(0, 30);
  const us = await api("/users", { method: "POST", token: admin, json: { username, displayName: "p", role: "reporter", unitId: id, password: PW } });
  expect(us.status, await us.clone().text()).toBe(201);
  const roundId = uid("pr");
  const rr = await api("/rounds", { method: "POST", token: admin, json: { id: roundId, templateId: tpl.id, templateVersion: tpl.version, period: "2025", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: [id] } });
  expect(rr.status, await rr.clone().text()).toBe(201);
  const token = await login(username, PW);
  return { id, roundId, token };
}

const VALID = DEMO_PAST_VALUES.zezhou!;

async function submitValid(u: { id: string; roundId: string; token: string }) {
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}`, { method: "PUT", token: u.token, headers: { "if-match": '"0"' }, json: { values: VALID, acknowledgeWarnings: true } });
  expect(r.status, await r.clone().text()).toBe(201);
}

async function fillSheet(u: { id: string; roundId: string; token: string }): Promise<Record<string, Uint8Array>> {
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}/template.xlsx`, { token: u.token });
  expect(r.status).toBe(200);
  return unzipSync(new Uint8Array(await r.arrayBuffer()));
}

const upload = (u: { id: string; roundId: string; token: string }, files: Record<string, Uint8Array>) =>
  api(`/rounds/${u.roundId}/submissions/${u.id}/upload?acknowledgeWarnings=1`, { method: "POST", token: u.token, body: zipSync(files) });

const SHEET = "xl/worksheets/sheet1.xml";
const editSheet = (files: Record<string, Uint8Array>, f: (xml: string) => string) => ({ ...files, [SHEET]: strToU8(f(strFromU8(files[SHEET]!))) });

describe("class 5: uploads — hostile workbooks", () => {
  it("F1 a <mergeCell> over ~1M cells is never shown to the parser: the upload is read as a normal file", async () => {
    const u = await freshUnit();
    await submitValid(u);
    const files = editSheet(await fillSheet(u), (x) => x.replace(/<mergeCells count="(\d+)">/, (_m, n) => `<mergeCells count="${Number(n) + 1}"><mergeCell ref="H1:XFD1048576"/>`));
    expect(strFromU8(files[SHEET]!)).toContain("XFD1048576");
    const trimmed = new Map(Object.entries(files));
    checkAndTrim(trimmed);
    expect(strFromU8(trimmed.get(SHEET)!)).not.toMatch(/mergeCell|XFD/); // exceljs would create every merged cell
    const r = await upload(u, files);
    expect(r.status, await r.clone().text()).toBe(200);
  });

  it("F2 a <dataValidation sqref> over ~1M cells, comments and tables are dropped before parsing", async () => {
    const u = await freshUnit();
    await submitValid(u);
    const files = editSheet(await fillSheet(u), (x) => x.replace(/<dataValidations count="(\d+)">/, (_m, n) => `<dataValidations count="${Number(n) + 1}"><dataValidation type="whole" allowBlank="1" sqref="H1:XFD1048576"><formula1>0</formula1></dataValidation>`));
    const withExtras = { ...files, "xl/comments1.xml": strToU8('<comments><commentList><comment ref="A1:XFD1048576"/></commentList></comments>'), "xl/tables/table1.xml": strToU8('<table ref="A1:XFD1048576"/>') };
    const trimmed = new Map(Object.entries(withExtras));
    checkAndTrim(trimmed);
    expect(strFromU8(trimmed.get(SHEET)!)).not.toMatch(/dataValidation|XFD/);
    expect([...trimmed.keys()].filter((k) => /comments|tables/.test(k))).toEqual([]);
    const r = await upload(u, withExtras);
    expect(r.status, await r.clone().text()).toBe(200);
  });

  it("F3 the 50,000-cell limit cannot be bypassed by naming the sheet part xl/worksheets/sheet1.xmlz (exceljs's unanchored /xl\\/worksheets\\/sheet(\\d+)[.]xml/ still loads it)", async () => {
    const u = await freshUnit();
    await submitValid(u);
    const files = await fillSheet(u);
    // 60,000 extra number cells in columns H.. of 600 new rows below the table
    let extra = "";
    for (let r = 200; r < 800; r++) {
      extra += `<row r="${r}">`;
      for (let c = 0; c < 100; c++) extra += `<c r="${colName(8 + c)}${r}"><v>1</v></c>`;
      extra += "</row>";
    }
    const xml = strFromU8(files[SHEET]!).replace("</sheetData>", `${extra}</sheetData>`);
    const baseline = await upload(u, { ...files, [SHEET]: strToU8(xml) });
    console.log("F3 baseline (counted):", baseline.status);
    expect(baseline.status).toBe(413); // counted when the part is named normally
    const renamed: Record<string, Uint8Array> = { ...files };
    delete renamed[SHEET];
    renamed["xl/worksheets/sheet1.xmlz"] = strToU8(xml);
    renamed["xl/_rels/workbook.xml.rels"] = strToU8(strFromU8(files["xl/_rels/workbook.xml.rels"]!).replace("worksheets/sheet1.xml", "worksheets/sheet1.xmlz"));
    const r = await upload(u, renamed);
    console.log("F3 renamed part:", r.status, (await r.clone().text()).slice(0, 200));
    expect(r.status).toBe(413);
  });

  it("F4 text length per cell is bounded for every cell type: a t=\"str\" cell of 200,000 characters is refused", async () => {
    const u = await freshUnit();
    await submitValid(u);
    const big = "x".repeat(200_000);
    const files = editSheet(await fillSheet(u), (x) => x.replace("</sheetData>", `<row r="900"><c r="H900" t="str"><v>${big}</v></c></row></sheetData>`));
    const r = await upload(u, files);
    console.log("F4 t=str 200k chars:", r.status);
    expect(r.status).toBe(413);
  });

  it("F5 cells far out (column XFD, row 1,048,576) are no part of a fill sheet and cost nothing: the grid stays within the fill area", async () => {
    const u = await freshUnit();
    await submitValid(u);
    let extra = "";
    for (let r = 200; r < 6200; r++) extra += `<row r="${r}"><c r="XFD${r}"><v>1</v></c></row>`;
    extra += `<row r="1048576"><c r="A1048576"><v>1</v></c></row>`;
    const files = editSheet(await fillSheet(u), (x) => x.replace("</sheetData>", `${extra}</sheetData>`));
    const read = await readUploadedGrid(zipSync(files));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.grid.length).toBeLessThanOrEqual(READ_AREA.rows);
    expect(Math.max(...read.value.grid.map((row) => row.length))).toBeLessThanOrEqual(READ_AREA.cols);
    const r = await upload(u, files);
    expect(r.status, await r.clone().text()).toBe(200);
  });
});

function colName(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}


describe("class 2/7: names and stored text work everywhere (exports must stay readable)", () => {
  it("F6 a unit name containing U+FFFE (no .xlsx can hold it) is refused at creation, saying why", async () => {
    const id = uid("pn");
    const u = await api("/units", { method: "POST", token: admin, json: { id, name: { zh: "坏\uFFFE名", en: "bad" }, level: "county", parentId: "jincheng" } });
    // refused at creation, saying why (a name no sheet can hold would break every sheet it is written to)
    expect(u.status).toBe(422);
    expect(await u.text()).toContain("控制字符");
  });

  it("F7 a return comment containing U+FFFE is refused, so the city's aggregate workbook stays readable", async () => {
    const u = await freshUnit();
    await submitValid(u);
    const shenhe = await login("shenhe");
    const ret = await api(`/rounds/${u.roundId}/submissions/${u.id}/return`, { method: "POST", token: shenhe, json: { comment: "请核对\uFFFE" } });
    expect(ret.status).toBe(422); // refused, saying why; nothing changes
    expect(await ret.text()).toContain("控制字符");
    expect((await json<{ state: string }>(await api(`/rounds/${u.roundId}/submissions/${u.id}`, { token: shenhe }))).state).toBe("submitted");
  });

  it("F8 a text answer (remarks) containing U+FFFF is refused by indicator and nothing is stored", async () => {
    const u = await freshUnit();
    const r = await api(`/rounds/${u.roundId}/submissions/${u.id}`, { method: "PUT", token: u.token, headers: { "if-match": '"0"' }, json: { values: { ...VALID, remarks: "说明\uFFFF" }, acknowledgeWarnings: true } });
    expect(r.status).toBe(422); // refused by indicator, nothing stored
    const body = await json<{ error: { issues: { code: string; indicator: string; message: { zh: string } }[] } }>(r);
    expect(body.error.issues.find((i) => i.indicator === "remarks")).toMatchObject({ code: "bad_character" });
    expect(await countRows(`revisions WHERE round_id = '${u.roundId}'`)).toBe(0);
  });
});

describe("F11: a JSON number is held to the same domain as its digits", () => {
  it("12.0000000000000001 is not a whole number and 1.0000000000000001 has more than 2 decimals, though JavaScript would round both", async () => {
    const u = await freshUnit();
    const send = (literal: string, code: string) => api(`/rounds/${u.roundId}/submissions/${u.id}`, {
      method: "PUT", token: u.token, headers: { "if-match": '"0"', "content-type": "application/json" },
      body: JSON.stringify({ values: { ...VALID, [code]: 0 }, acknowledgeWarnings: true }).replace(`"${code}":0`, `"${code}":${literal}`),
    });
    for (const [literal, code, issue] of [["12.0000000000000001", "products", "not_integer"], ["1.0000000000000001", "work_funds", "too_many_decimals"], ["1.00000000000000000001e3", "products", "not_a_number"]] as const) {
      const r = await send(literal, code);
      expect(r.status, literal).toBe(422);
      const body = await json<{ error: { issues: { code: string; indicator: string }[] } }>(r);
      expect(body.error.issues.find((i) => i.indicator === code)?.code, literal).toBe(issue);
    }
    const exact = await send("1e3", "products"); // a JSON number that means exactly 1000
    expect(exact.status, await exact.clone().text()).toBe(201);
    expect((await json<{ values: Record<string, unknown> }>(exact)).values.products).toBe(1000);
  });
});

describe("other: no half-written state on refusal", () => {
  it("F9 POST /units with an id already taken answers 409 and writes no audit row", async () => {
    const before = await countRows("audit");
    const r = await api("/units", { method: "POST", token: admin, json: { id: "zezhou", name: { zh: "重复", en: "dup" }, level: "county", parentId: "jincheng" } });
    expect(r.status).toBe(409);
    const after = await countRows("audit");
    console.log("F9 audit rows before/after refused unit_create:", before, after);
    expect(after).toBe(before);
  });

  it("F10 concurrent POST /users of one username: the losers answer 409 and leave no user_create audit row", async () => {
    const username = uid("dupuser").toLowerCase();
    const before = await countRows("audit");
    const rs = await Promise.all(Array.from({ length: 4 }, () => api("/users", { method: "POST", token: admin, json: { username, displayName: "d", role: "viewer", unitId: "zezhou", password: PW } })));
    const statuses = rs.map((r) => r.status).sort();
    const after = await countRows("audit");
    console.log("F10 statuses", statuses, "audit rows added", after - before);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(after - before).toBe(1);
  });
});
