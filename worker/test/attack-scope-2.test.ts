// Independent attack, issue 21: notes (说明) only on the input indicators of the round's template
// (finding 5), and the scope odds (finding 8): drafts read by those who may not edit them, the
// other city's unit ids in a province's round, a preview inventing period 10000.
//
// Tests named "FINDING …" failed on the code as it was; each states the behaviour expected.
// "HELD …" passed already and pins the behaviour down.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import {
  BUILTIN_TEMPLATE, DEMO_CHANGZHI_REPORTING_UNITS, DEMO_PAST_VALUES, DEMO_REPORTING_UNITS, ErrorBodySchema, RoundViewSchema,
  cellValueOf, fillIndex, nextPeriod, previousPeriod, type SubmissionView,
} from "@tianbao/shared";
import { hashNewPassword } from "../src/auth/password";
import { insertUnit } from "../src/db/units";
import { insertUser } from "../src/db/users";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, builtinCompiled, countRows, ensureDemo, env, json, login } from "./helpers";

const compiled = builtinCompiled();
const index = fillIndex(compiled);
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const FUTURE = "2099-01-31T23:59:59+08:00";
const PW = "scope-attack-password";
const writes = async () => Promise.all(["revisions", "revision_values", "submissions", "totals", "audit", "idempotency"].map(countRows));
/** The 说明 (note) cell of an indicator's row on the fill sheet: column F. */
const noteCell = (code: string) => `F${index.rowOf.get(code)! + 1}`;

async function refused(res: Response, status: number, code?: string) {
  const text = await res.text();
  expect(res.status, text.slice(0, 400)).toBe(status);
  const { error } = ErrorBodySchema.parse(JSON.parse(text));
  expect(error.message.zh.length * error.message.en.length, text).toBeGreaterThan(0);
  if (code) expect(error.code, text).toBe(code);
  return error;
}

const openRound = async (token: string, id: string, period: string, expectedUnitIds: string[], templateId: string = BUILTIN_TEMPLATE.id) => {
  const res = await api("/rounds", { method: "POST", token, json: { id, templateId, templateVersion: 1, period, deadline: FUTURE, expectedUnitIds } });
  expect(res.status, await res.clone().text()).toBe(201);
};

let admin = "";
let zezhou = "";
beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
  const now = new Date().toISOString();
  // a town under zezhou and an administrator of zezhou: a county that opens rounds of its own
  await insertUnit(env.DB, { id: "sc2_town", name: { zh: "泽州县某镇", en: "A town" }, level: "county", parentId: "zezhou" }).run();
  await insertUser(env.DB, { username: "sc2.county", displayName: "县管理员", role: "admin", unitId: "zezhou", ...(await hashNewPassword(PW)) }, now).run();
  [admin, zezhou] = await Promise.all([login("admin"), login("zezhou")]);
  await openRound(admin, "sc2", "2051", ["zezhou"]);
  await openRound(admin, "sc2u", "2052", ["zezhou"]);
});

describe("finding 5: notes only on the input indicators of the round's template", () => {
  const put = (comments: unknown, raw?: string) => api("/rounds/sc2/submissions/zezhou", {
    method: "PUT", token: zezhou, headers: { "if-match": '"0"', "content-type": "application/json" },
    body: raw ?? JSON.stringify({ values: DEMO_PAST_VALUES.zezhou, comments, acknowledgeWarnings: true }),
  });

  it("FINDING 5: ~1 MB of notes under 950 made-up keys is refused (422 naming the key), nothing stored", async () => {
    const comments = Object.fromEntries(Array.from({ length: 950 }, (_, i) => [`note${i}`, "x".repeat(1000)]));
    const before = await writes();
    const e = await refused(await put(comments), 422, "invalid_body");
    expect(e.where).toBe("body.comments.note0");
    expect(e.message.zh).toContain("「note0」");
    expect(e.message.en).toContain("'note0'");
    expect(e.message.zh).toContain("950");
    expect(await writes()).toEqual(before);
  });

  it("FINDING 5: a note on a derived indicator (标准覆盖率, a rate) is refused by PUT, naming it and its 说明 cell; nothing stored", async () => {
    const before = await writes();
    const e = await refused(await put({ products: "含新建园区", std_coverage_rate: "新建园区拉低覆盖率" }), 422, "invalid_body");
    expect(e.where).toBe("body.comments.std_coverage_rate");
    expect(e.message.zh).toContain(`${noteCell("std_coverage_rate")} 标准覆盖率（std_coverage_rate）`);
    expect(e.message.en).toContain("Standard coverage rate (std_coverage_rate)");
    expect(e.issues?.map((i) => [i.indicator, i.cell])).toEqual([["std_coverage_rate", noteCell("std_coverage_rate")]]);
    expect(await writes()).toEqual(before);
  });

  it("FINDING 5: a code differing by case, a made-up key with a blank note, prototype names — each refused by where; nothing stored", async () => {
    const before = await writes();
    for (const key of ["Products", "PRODUCTS", "products_", "ghost", "Std_coverage_rate"]) {
      const e = await refused(await put({ [key]: key === "ghost" ? "  " : "x" }), 422, "invalid_body");
      expect(e.where, key).toBe(`body.comments.${key}`);
      expect(e.message.en, key).toContain(`'${key}'`);
    }
    for (const key of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
      const e = await refused(await put({ [key]: "x" }), 422, "invalid_body");
      expect(e.where, key).toContain(`body.comments.${key}`);
    }
    const raw = `{"values":${JSON.stringify(DEMO_PAST_VALUES.zezhou)},"comments":{"__proto__":"x"},"acknowledgeWarnings":true}`;
    expect((await refused(await put(null, raw), 422, "invalid_body")).where).toBe("body.comments.__proto__");
    expect(await writes()).toEqual(before);
  });

  it("HELD: a note on an input indicator is still stored, trimmed", async () => {
    const res = await put({ products: "  含新建园区  " });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await json<SubmissionView>(res)).comments).toEqual({ products: "含新建园区" });
  });

  /** zezhou's fill sheet of round sc2u, filled with its figures and a note in the given row. */
  async function filledWithNote(code: string): Promise<ArrayBuffer> {
    const res = await api("/rounds/sc2u/submissions/zezhou/template.xlsx", { token: zezhou });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    for (const [c, v] of Object.entries(DEMO_PAST_VALUES.zezhou!)) ws.getCell(index.rowOf.get(c)! + 1, 4).value = cellValueOf(compiled.byCode.get(c)!, v as never) as ExcelJS.CellValue;
    ws.getCell(noteCell(code)).value = "新建园区";
    return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
  }
  const upload = (file: ArrayBuffer) => api("/rounds/sc2u/submissions/zezhou/upload?acknowledgeWarnings=1", { method: "POST", token: zezhou, body: file, headers: { "content-type": XLSX } });

  it("FINDING 5: an uploaded fill sheet with a note in a derived row's 说明 cell is refused on that cell (as PUT refuses it); nothing stored", async () => {
    const before = await writes();
    const e = await refused(await upload(await filledWithNote("std_coverage_rate")), 422, "invalid_body");
    expect(e.where).toBe(noteCell("std_coverage_rate"));
    expect(e.message.zh).toContain(`${noteCell("std_coverage_rate")} 标准覆盖率（std_coverage_rate）`);
    expect(await writes()).toEqual(before);
    // the same note on an input row goes in
    const res = await upload(await filledWithNote("products"));
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await json<SubmissionView>(res)).comments).toEqual({ products: "新建园区" });
  });
});

describe("finding 8: scope odds", () => {
  const DRAFT = { id: "sc2_draft", name: { zh: "未发布草稿", en: "Unpublished draft" }, periodType: "annual", sections: [{ code: "s", name: { zh: "分组", en: "S" } }], indicators: [{ code: "n", section: "s", kind: "count", name: { zh: "数", en: "N" } }], rules: [] };

  it("FINDING 8a: a draft is read (JSON, list, designer, preview) only by administrators of its owner and above; everyone else gets the 404 of a template that does not exist", async () => {
    expect((await api("/templates/draft", { method: "POST", token: admin, json: { template: DRAFT } })).status).toBe(200);
    for (const who of ["admin", "sheng"]) {
      const token = await login(who);
      expect((await api("/templates/sc2_draft/1", { token })).status, who).toBe(200);
      expect((await api("/templates/sc2_draft/1/designer.xlsx", { token })).status, who).toBe(200);
      expect((await json<{ id: string }[]>(await api("/templates", { token }))).map((t) => t.id), who).toContain("sc2_draft");
    }
    const county = await login("sc2.county", PW);
    for (const [who, token] of [["zezhou", zezhou], ["chakan", await login("chakan")], ["shenhe", await login("shenhe")], ["shengshenhe", await login("shengshenhe")], ["sc2.county", county]] as const) {
      for (const suffix of ["", "/designer.xlsx", "/preview.xlsx"]) {
        const draft = await api(`/templates/sc2_draft/1${suffix}`, { token });
        const none = await api(`/templates/sc2_none/1${suffix}`, { token });
        expect(draft.status, `${who} ${suffix}`).toBe(none.status);
        expect((await draft.text()).replaceAll("sc2_draft", "sc2_none"), `${who} ${suffix}`).toBe(await none.text());
      }
      expect((await api("/templates/sc2_draft/1", { token })).status, who).toBe(404);
      expect((await json<{ id: string }[]>(await api("/templates", { token }))).map((t) => t.id), who).not.toContain("sc2_draft");
      // a published version stays readable to every unit that uses it
      expect((await api(`/templates/${BUILTIN_TEMPLATE.id}/1`, { token })).status, who).toBe(200);
    }
  });

  it("FINDING 8b: in the province's round each participant sees only its subtree's unit ids (a county itself, a city its own, the province all)", async () => {
    const view = async (who: string) => RoundViewSchema.parse(await json(await api("/rounds/p2025", { token: await login(who) })));
    const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();
    const zz = await view("zezhou");
    expect([zz.expectedUnitIds, zz.levelUnitIds ?? []]).toEqual([["zezhou"], []]);
    const jc = await view("admin");
    expect([sorted(jc.expectedUnitIds), jc.levelUnitIds]).toEqual([sorted(DEMO_REPORTING_UNITS), ["jincheng"]]);
    const cz = await view("czshenhe");
    expect([sorted(cz.expectedUnitIds), cz.levelUnitIds]).toEqual([sorted(DEMO_CHANGZHI_REPORTING_UNITS), ["changzhi"]]);
    const sx = await view("sheng");
    expect([sorted(sx.expectedUnitIds), sorted(sx.levelUnitIds)]).toEqual([sorted([...DEMO_REPORTING_UNITS, ...DEMO_CHANGZHI_REPORTING_UNITS]), ["changzhi", "jincheng"]]);
    expect(jc.levelDeadlines).toEqual(sx.levelDeadlines); // the round's terms are the same for all
    // every read a city makes of the round names none of the other city's units
    const other = new RegExp(`\\b(${[...DEMO_CHANGZHI_REPORTING_UNITS, "changzhi"].join("|")})\\b|长治|长子|屯留|襄垣|沁源`);
    for (const who of ["admin", "shenhe", "chakan", "zezhou"]) {
      const token = await login(who);
      for (const path of ["/rounds", "/rounds/p2025", "/rounds/p2025/completeness", "/rounds/p2025/totals", "/rounds/p2025/audit", "/rounds/p2025/submissions/zezhou", "/rounds/p2025/export.csv"]) {
        const res = await api(path, { token });
        const text = await res.text();
        if (res.status === 200) expect(text.match(other)?.[0], `${who} ${path}`).toBeUndefined();
      }
    }
  });

  it("FINDING 8d: a county's round of the city's template for period 9999 does not make the city's preview say period 10000", async () => {
    expect([nextPeriod("9998"), nextPeriod("9999"), nextPeriod("9999H2"), nextPeriod("9999Q4"), nextPeriod("9999-12"), previousPeriod("0000"), previousPeriod("0000-01")])
      .toEqual(["9999", null, null, null, null, null, null]);
    await openRound(await login("sc2.county", PW), "sc2_9999", "9999", ["sc2_town"]);
    const sheetName = async (token: string) => {
      const res = await api(`/templates/${BUILTIN_TEMPLATE.id}/1/preview.xlsx`, { token });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      return wb.worksheets[0]!.name;
    };
    // the city's own last round is sc2u (2052): its preview is for 2053, whatever a county opened below it
    expect(await sheetName(admin)).toBe("填报-晋城市-2053");
    // a round of the city's own for 9999: nothing comes after it, so the preview takes this year, as with no round at all
    await openRound(admin, "sc2_city9999", "9999", ["zezhou"]);
    expect(await sheetName(admin)).toBe(`填报-晋城市-${new Date().getFullYear()}`);
  });
});
