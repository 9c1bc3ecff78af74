import { expect } from "vitest";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { DEMO_PAST_VALUES } from "@tianbao/shared";
import { api, login } from "./helpers";

/** A probe reads whatever the API answered, error body or view, by path. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of any shape, read field by field
export type Body = any;

export const PW = "probe-password-1";
let seq = 0;
const uid = (p: string) => `${p}${++seq}${Math.random().toString(36).slice(2, 7)}`;
export type U = { id: string; roundId: string; token: string };
export type Files = Record<string, Uint8Array>;

export async function freshUnit(admin: string, tpl: { id: string; version: number }): Promise<U> {
  const id = uid("rv");
  const u = await api("/units", { method: "POST", token: admin, json: { id, name: { zh: `评审${id}`, en: `Rev ${id}` }, level: "county", parentId: "jincheng" } });
  expect(u.status, await u.clone().text()).toBe(201);
  const username = `rep${id}`.toLowerCase().slice(0, 30);
  const us = await api("/users", { method: "POST", token: admin, json: { username, displayName: "p", role: "reporter", unitId: id, password: PW } });
  expect(us.status, await us.clone().text()).toBe(201);
  const roundId = uid("rr");
  const rr = await api("/rounds", { method: "POST", token: admin, json: { id: roundId, templateId: tpl.id, templateVersion: tpl.version, period: "2025", deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: [id] } });
  expect(rr.status, await rr.clone().text()).toBe(201);
  return { id, roundId, token: await login(username, PW) };
}

export async function submitValid(u: U) {
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}`, { method: "PUT", token: u.token, headers: { "if-match": '"0"' }, json: { values: DEMO_PAST_VALUES.zezhou!, acknowledgeWarnings: true } });
  expect(r.status, await r.clone().text()).toBe(201);
}

export async function fillSheet(u: U): Promise<Files> {
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}/template.xlsx`, { token: u.token });
  expect(r.status).toBe(200);
  return unzipSync(new Uint8Array(await r.arrayBuffer()));
}

export async function upload(u: U, files: Files): Promise<{ status: number; body: Body }> {
  const r = await api(`/rounds/${u.roundId}/submissions/${u.id}/upload?acknowledgeWarnings=1`, { method: "POST", token: u.token, body: zipSync(files) });
  return { status: r.status, body: await r.json() };
}

export const SHEET = "xl/worksheets/sheet1.xml";
export const text = (f: Files, p: string) => strFromU8(f[p]!);
export const put = (f: Files, p: string, s: string) => { f[p] = strToU8(s); };

/** Replace cell `addr` in the sheet part with raw XML `<c r=addr ...>` built from attrs and inner. */
export function setCell(f: Files, addr: string, attrs: string, inner: string, part = SHEET) {
  const x = text(f, part);
  const re = new RegExp(`<c r="${addr}"(?: [^>]*?)?(?:/>|>.*?</c>)`);
  const cell = `<c r="${addr}"${attrs ? " " + attrs : ""}>${inner}</c>`;
  if (!re.test(x)) throw new Error(`no cell ${addr}`);
  put(f, part, x.replace(re, cell));
}

/** Adds a cellXfs entry with the number format; returns its index. formatCode adds a numFmts entry. */
export function addStyle(f: Files, numFmtId: number, formatCode?: string, extra = ""): number {
  let x = text(f, "xl/styles.xml");
  if (formatCode !== undefined) {
    const entry = `<numFmt numFmtId="${numFmtId}" formatCode="${formatCode.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"/>`;
    if (x.includes("<numFmts")) x = x.replace(/<numFmts count="(\d+)">/, (_m, n) => `<numFmts count="${Number(n) + 1}">${entry}`);
    else x = x.replace(/<fonts/, `<numFmts count="1">${entry}</numFmts><fonts`);
  }
  let idx = -1;
  x = x.replace(/<cellXfs count="(\d+)">/, (_m, n) => { idx = Number(n); return `<cellXfs count="${idx + 1}">`; });
  x = x.replace(/<\/cellXfs>/, `<xf numFmtId="${numFmtId}" fontId="0" fillId="4" borderId="0" xfId="0" applyNumberFormat="1"${extra}><protection locked="0"/></xf></cellXfs>`);
  put(f, "xl/styles.xml", x);
  return idx;
}

/** Appends a shared string; returns its index. */
export function addShared(f: Files, si: string): number {
  let x = text(f, "xl/sharedStrings.xml");
  let idx = -1;
  x = x.replace(/<sst([^>]*?)uniqueCount="(\d+)"/, (_m, a, n) => { idx = Number(n); return `<sst${a}uniqueCount="${idx + 1}"`; });
  if (idx < 0) { const m = x.match(/<si>/g); idx = m ? m.length : 0; }
  x = x.replace(/<\/sst>/, `<si>${si}</si></sst>`);
  put(f, "xl/sharedStrings.xml", x);
  return idx;
}
