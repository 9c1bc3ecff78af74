/// <reference types="vite/client" />
import { beforeAll, describe, expect, it } from "vitest";
import { api, countRows, ensureDemo, env, json, login } from "./helpers";
import { CORPUS } from "./corpus/ids";
// the committed workbooks themselves, inlined by Vite (worker/vitest.config.ts: assetsInclude), as
// data: URLs keyed by file name (workerd tests cannot read the disk)
const inlined = import.meta.glob<string>("./corpus/files/*.xlsx", { query: "?inline", import: "default", eager: true });
const CORPUS_FILES: Record<string, string> = Object.fromEntries(Object.entries(inlined).map(([path, url]) => [path.slice(path.lastIndexOf("/") + 1), url.slice(url.indexOf(",") + 1)]));
import { MANIFEST, ROUTES, type Answer, type Route } from "./corpus/manifest";

/**
 * Issue 20's corpus: every workbook in worker/test/corpus/files (made by LibreOffice in zh-CN and
 * de-DE profiles and by openpyxl from the workbooks we serve; see scripts/corpus/make.mjs) is
 * uploaded to all three routes — a fill-sheet upload, a designer upload, a 单位与账号 preview —
 * and must give the answer manifest.ts records for it: the exact figures, or a 4xx naming the
 * problem (its cell, and a phrase). Never a 5xx, and a refused upload stores nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of any shape, read field by field
type Body = any;
const PASSWORD = "corpus-password-1";
let admin = "";
let reporter = "";

beforeAll(async () => {
  await ensureDemo();
  admin = await login("admin");
  const unit = await api("/units", { method: "POST", token: admin, json: { id: CORPUS.unitId, name: { zh: CORPUS.unitName, en: "Corpus county" }, level: "county", parentId: "jincheng" } });
  expect(unit.status, await unit.clone().text()).toBe(201);
  const user = await api("/users", { method: "POST", token: admin, json: { username: "corpus_reporter", displayName: "语料", role: "reporter", unitId: CORPUS.unitId, password: PASSWORD } });
  expect(user.status, await user.clone().text()).toBe(201);
  const round = await api("/rounds", { method: "POST", token: admin, json: { id: CORPUS.roundId, templateId: "quality_city_annual", templateVersion: 1, period: CORPUS.period, deadline: "2030-01-01T00:00:00+08:00", expectedUnitIds: [CORPUS.unitId] } });
  expect(round.status, await round.clone().text()).toBe(201);
  reporter = await login("corpus_reporter", PASSWORD);
});

const bytesOf = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** Everything an upload could store: a refused one must leave all of it as it was. */
async function stored(): Promise<string> {
  const templates = await env.DB.prepare("SELECT id, version, status, body FROM templates ORDER BY id, version").all();
  const submissions = await env.DB.prepare("SELECT round_id, unit_id, revision, state FROM submissions ORDER BY round_id, unit_id").all();
  const counts = await Promise.all(["revisions", "revision_values", "units", "users", "audit", "totals"].map(countRows));
  return JSON.stringify({ counts, templates: templates.results, submissions: submissions.results });
}

async function currentRevision(): Promise<number> {
  const row = await env.DB.prepare("SELECT revision FROM submissions WHERE round_id = ? AND unit_id = ?").bind(CORPUS.roundId, CORPUS.unitId).first<{ revision: number }>();
  return row?.revision ?? 0;
}

/**
 * One upload. A fill sheet is sent on top of the report's current revision (If-Match) with its
 * warnings and any dropped 说明 acknowledged: the corpus tests reading, not the stale-file checks,
 * and every accepted file is a new revision of the one report.
 */
async function send(route: Route, body: Uint8Array): Promise<{ status: number; body: Body }> {
  const init = { method: "POST", body, headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as Record<string, string> };
  let res: Response;
  if (route === "fill") {
    init.headers["if-match"] = `"${await currentRevision()}"`;
    res = await api(`/rounds/${CORPUS.roundId}/submissions/${CORPUS.unitId}/upload?acknowledgeWarnings=1&acknowledgeLoss=1`, { ...init, token: reporter });
  } else if (route === "designer") {
    res = await api("/templates/designer", { ...init, token: admin });
  } else {
    res = await api("/directory/preview", { ...init, token: admin });
  }
  const text = await res.text();
  let parsed: Body = text;
  try { parsed = JSON.parse(text); } catch { /* kept as text: a 5xx may not be JSON */ }
  return { status: res.status, body: parsed };
}

const tally = { tried: 0, exact: 0, refused: 0, wrong: 0 };

function check(file: string, route: Route, want: Answer, got: { status: number; body: Body }): string[] {
  const problems: string[] = [];
  const say = (m: string) => problems.push(`${file} → ${route}: ${m}`);
  if (got.status >= 500) say(`${got.status} (a server error) ${JSON.stringify(got.body).slice(0, 300)}`);
  const stored = want.status === 201 && got.status === 200; // a later revision of the report
  if (got.status !== want.status && !stored) say(`status ${got.status}, want ${want.status}: ${JSON.stringify(got.body).slice(0, 400)}`);
  if ("says" in want) {
    const err = got.body?.error;
    const text = JSON.stringify(err ?? got.body);
    if (want.where !== undefined && err?.where !== want.where) say(`where ${JSON.stringify(err?.where)}, want ${want.where}`);
    for (const phrase of want.says) if (!text.includes(phrase)) say(`message lacks 「${phrase}」: ${text.slice(0, 400)}`);
  } else if (got.status < 300) {
    for (const [code, v] of Object.entries(want.values ?? {})) {
      if (JSON.stringify(got.body?.values?.[code]) !== JSON.stringify(v)) say(`${code} stored as ${JSON.stringify(got.body?.values?.[code])}, want ${JSON.stringify(v)}`);
    }
    for (const [code, v] of Object.entries(want.comments ?? {})) {
      if (got.body?.comments?.[code] !== v) say(`说明 of ${code} stored as ${JSON.stringify(got.body?.comments?.[code])}, want ${JSON.stringify(v)}`);
    }
    if (want.preview) {
      const p = got.body;
      const picked = { unitsCreated: p?.units?.create, unitsChanged: p?.units?.change, accountsCreated: p?.accounts?.create, accountsChanged: p?.accounts?.change };
      const { problems: wantProblems, ...wantRest } = want.preview;
      if (JSON.stringify(picked) !== JSON.stringify(wantRest)) say(`preview ${JSON.stringify(picked)}, want ${JSON.stringify(wantRest)}`);
      const gotProblems: { cell: string; message: { zh: string; en: string } }[] = p?.problems ?? [];
      if (JSON.stringify(gotProblems.map((x) => x.cell)) !== JSON.stringify(wantProblems.map((x) => x.cell))) say(`problems at ${JSON.stringify(gotProblems.map((x) => x.cell))}, want ${JSON.stringify(wantProblems.map((x) => x.cell))}`);
      wantProblems.forEach((w, i) => { for (const phrase of w.says) if (!JSON.stringify(gotProblems[i]?.message ?? "").includes(phrase)) say(`problem at ${w.cell} lacks 「${phrase}」`); });
    }
    if (want.template && (got.body?.template?.indicatorCount !== want.template.indicatorCount || got.body?.template?.status !== "draft")) say(`draft ${JSON.stringify(got.body?.template)}, want ${JSON.stringify(want.template)}`);
  }
  return problems;
}

/** The draft a designer upload just saved, as stored: its 环比提示 % per indicator code. */
async function draftJumps(body: Body): Promise<Record<string, number | undefined>> {
  const t = await json<{ indicators: { code: string; jumpPercent?: number }[] }>(await api(`/templates/${body.template.id}/${body.template.version}`, { token: admin }));
  return Object.fromEntries(t.indicators.map((i) => [i.code, i.jumpPercent]));
}

describe("upload corpus (issue 20): every file × fill / designer / units-and-accounts", () => {
  it("the manifest names every file in the corpus, and only those", () => {
    expect(Object.keys(MANIFEST).sort()).toEqual(Object.keys(CORPUS_FILES).sort());
  });

  for (const file of Object.keys(MANIFEST).sort()) {
    it(`${file}: ${MANIFEST[file]!.made}`, async () => {
      const problems: string[] = [];
      for (const route of ROUTES) {
        const want = MANIFEST[file]![route];
        const before = await stored();
        const got = await send(route, bytesOf(CORPUS_FILES[file]!));
        tally.tried++;
        const found = check(file, route, want, got);
        if (route === "designer" && got.status === 200 && "jumps" in want && want.jumps) {
          const jumps = await draftJumps(got.body);
          for (const [code, v] of Object.entries(want.jumps)) if (jumps[code] !== v) found.push(`${file} → designer: 环比提示 % of ${code} stored as ${jumps[code]}, want ${v}`);
        }
        // nothing stored from a refused upload (a preview never stores anything)
        if (got.status >= 400 || route === "directory") {
          const after = await stored();
          if (after !== before) found.push(`${file} → ${route}: answered ${got.status} but changed what is stored`);
        }
        console.log(`### corpus ${file} → ${route}: ${got.status} ${got.status >= 400 ? JSON.stringify(got.body?.error?.where ?? null) + " " + String(got.body?.error?.message?.zh ?? got.body).slice(0, 160) : ""}`);
        if (found.length > 0) tally.wrong++;
        else if (got.status >= 400 || (got.body?.problems?.length ?? 0) > 0) tally.refused++;
        else tally.exact++;
        problems.push(...found);
      }
      expect(problems).toEqual([]);
    });
  }

  it("counts", () => {
    console.log(`### corpus counts: ${Object.keys(MANIFEST).length} files × ${ROUTES.length} routes = ${tally.tried} tried; ${tally.exact} read exactly, ${tally.refused} refused clearly, ${tally.wrong} not as the manifest says`);
    expect(tally.tried).toBe(Object.keys(MANIFEST).length * ROUTES.length);
  });
});
