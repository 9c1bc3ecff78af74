import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { BUILTIN_TEMPLATE, DirectoryPreviewSchema, type DirectoryPreview } from "@tianbao/shared";
import { firstRunProblems, firstRunSql } from "../src/admin/first-run";
import { hashNewPassword } from "../src/auth/password";
import { api, countRows, env, json } from "./helpers";

// Issue 27: the whole country on one deployment. From an empty database, `npm run admin -- init`
// (the same SQL text scripts/admin.mjs sends) makes a national root and its administrator; the
// nation's administrator adds provinces, cities, counties and their accounts through the
// units-and-accounts workbook alone; a province's administrator adds a county through its own; the
// completeness sheet names each unit by its path; and a workbook of more than 2,000 unchanged rows
// goes back up with a few changes.

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
type Err = { error: { code: string; message: { zh: string; en: string }; issues?: { cell: string; message: { zh: string } }[] } };
type Applied = { preview: DirectoryPreview; passwords: { username: string; password: string }[] };

async function signIn(username: string, password: string): Promise<string> {
  const r = await api("/auth/login", { method: "POST", json: { username, password } });
  expect(r.status, await r.clone().text()).toBe(200);
  return (await json<{ token: string }>(r)).token;
}
/** Signs in with a generated first password, sets one's own, and signs in again. */
async function firstSignIn(username: string, initial: string): Promise<string> {
  const first = await signIn(username, initial);
  const own = `${username}-own-password`;
  expect((await api("/auth/password", { method: "POST", token: first, json: { currentPassword: initial, newPassword: own } })).status).toBe(204);
  return signIn(username, own);
}

/** The caller's downloaded workbook, with rows typed below each sheet's rows and `edit` applied to existing rows (by column A). */
async function filled(token: string, units: (string | null)[][], accounts: string[][], edit: (ws: ExcelJS.Worksheet) => void = () => undefined): Promise<Uint8Array> {
  const res = await api("/directory.xlsx", { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const add = (name: string, rows: (string | null)[][]) => {
    const ws = wb.getWorksheet(name)!;
    const start = ws.actualRowCount + 1;
    rows.forEach((r, i) => r.forEach((v, c) => { if (v !== null) ws.getCell(start + i, c + 1).value = v; }));
  };
  add("单位", units);
  add("账号", accounts);
  edit(wb.getWorksheet("单位")!);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
const post = (path: string, token: string, body: Uint8Array) => api(path, { method: "POST", token, body, headers: { "content-type": XLSX } });
async function apply(token: string, body: Uint8Array): Promise<Applied> {
  const preview = DirectoryPreviewSchema.parse(await json(await post("/directory/preview", token, body)));
  expect(preview.problems).toEqual([]);
  const r = await post("/directory/apply", token, body);
  expect(r.status, await r.clone().text()).toBe(200);
  return json<Applied>(r);
}
const tree = async () => (await env.DB.prepare("SELECT id, level, parent_id, path FROM units ORDER BY path").all<{ id: string; level: string; parent_id: string | null; path: string }>()).results;
/** Every cell's text of a sheet, row by row. */
async function sheetRows(res: Response, name: string): Promise<string[][]> {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.worksheets.find((w) => w.name.startsWith(name))!;
  const rows: string[][] = [];
  ws.eachRow((r) => rows.push((r.values as ExcelJS.CellValue[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v)))));
  return rows;
}

describe("a national root through init and the workbook alone (issue 27)", () => {
  it("init makes a 国家 root; the nation adds 省, 市, 县 and accounts; a province adds a county; completeness names paths; 2,000+ unchanged rows go back up", async () => {
    expect(await countRows("units")).toBe(0);
    // 1. npm run admin -- init --unit cn --unit-name 中国 --unit-name-en China --level nation --username guojia
    const args = { unitId: "cn", unitNameZh: "中国", unitNameEn: "China", level: "nation" as const, username: "guojia", displayName: "国家管理员" };
    expect(firstRunProblems(args)).toEqual([]);
    expect(firstRunProblems({ ...args, level: "county" })[0]).toContain("nation");
    const sql = firstRunSql({ ...args, ...(await hashNewPassword("Init-Pass-2027x")), now: new Date().toISOString() });
    for (const statement of sql.split(";\n")) await env.DB.prepare(statement.replace(/;$/, "")).run();
    expect(await tree()).toEqual([{ id: "cn", level: "nation", parent_id: null, path: "/cn/" }]);
    const nation = await firstSignIn("guojia", "Init-Pass-2027x");

    // 2. the nation's workbook: provinces, cities, counties (two 市辖区 under two cities) and accounts, in one upload
    const units = [
      ["sx", "山西省", "Shanxi", "省", "cn", "省联系人", "03511234567"],
      ["hb", "河北省", "Hebei", "省", "cn", null, null],
      ["jc", "晋城市", "Jincheng", "市", "sx", null, null],
      ["ty", "太原市", "Taiyuan", "市", "sx", null, null],
      ["sjz", "石家庄市", "Shijiazhuang", "市", "hb", null, null],
      ["jc_cq", "城区", "Chengqu", "县（区）", "jc", null, null],
      ["ty_sxq", "市辖区", "Districts", "县", "ty", null, null],
      ["sjz_sxq", "市辖区", "Districts", "县", "sjz", null, null],
      ["jc_self", "晋城市本级", "Jincheng own", "本级", "jc", null, null],
    ];
    const accounts = [["sx.admin", "山西省管理员", "管理员", "sx"], ["jc.admin", "晋城市管理员", "管理员", "jc"], ["cq.rep", "城区填报员", "填报员", "jc_cq"]];
    // a nation row and a province below a city are refused on their cells, nothing stored
    const wrong = await filled(nation, [...units, ["cn2", "另一个国家", "Other", "国家", "cn", null, null], ["sx2", "某省", "P", "省", "jc", null, null]], accounts);
    const refused = await post("/directory/apply", nation, wrong);
    expect(refused.status).toBe(422);
    const issues = (await json<Err>(refused)).error.issues!;
    expect(issues.map((i) => i.cell)).toEqual(["单位!D13", "单位!D14"]);
    expect(issues[0]!.message.zh).toContain("国家级单位是最上级");
    expect(issues[1]!.message.zh).toContain("级别「省」高于上级单位「晋城市」");
    expect(await countRows("units")).toBe(1);

    const made = await apply(nation, await filled(nation, units, accounts));
    expect(made.preview.units.create.map((u) => u.id)).toEqual(units.map((u) => u[0]));
    expect(made.passwords.map((p) => p.username)).toEqual(["sx.admin", "jc.admin", "cq.rep"]);
    expect((await tree()).map((u) => `${u.path}:${u.level}`)).toEqual([
      "/cn/:nation", "/cn/hb/:province", "/cn/hb/sjz/:city", "/cn/hb/sjz/sjz_sxq/:county",
      "/cn/sx/:province", "/cn/sx/jc/:city", "/cn/sx/jc/jc_cq/:county", "/cn/sx/jc/jc_self/:self", "/cn/sx/ty/:city", "/cn/sx/ty/ty_sxq/:county",
    ]);
    // the same through POST /units: a county straight below a province is any level below one's own
    expect((await api("/units", { method: "POST", token: nation, json: { id: "hb_x", name: { zh: "辛集市", en: "Xinji" }, level: "county", parentId: "hb" } })).status).toBe(201);
    const nationAgain = await api("/units", { method: "POST", token: nation, json: { id: "cn3", name: { zh: "国", en: "N" }, level: "nation", parentId: "cn" } });
    expect(nationAgain.status).toBe(422);
    expect((await json<Err>(nationAgain)).error.message.en).toContain("A nation is the top level");

    // 3. the province's administrator adds a county under its city through its own workbook; the nation, a sibling province or 省 are not its to add
    const sxAdmin = await firstSignIn("sx.admin", made.passwords.find((p) => p.username === "sx.admin")!.password);
    const outside = await filled(sxAdmin, [["x1", "某县", "X1", "县", "hb", null, null], ["x2", "某省", "X2", "省", "cn", null, null]], []);
    const outsidePreview = DirectoryPreviewSchema.parse(await json(await post("/directory/preview", sxAdmin, outside)));
    expect(outsidePreview.problems.map((p) => p.cell)).toEqual(["单位!E9", "单位!E10"]);
    expect(outsidePreview.problems[0]!.message.zh).toContain("上级单位「hb」不是您的单位或其下级");
    const county = await apply(sxAdmin, await filled(sxAdmin, [["jc_zz", "泽州县", "Zezhou", "县", "jc", null, null], ["sx_gj", "古交市", "Gujiao", "县", "sx", null, null]], [["zz.rep", "泽州县填报员", "填报员", "jc_zz"]]));
    expect(county.preview.units.create.map((u) => [u.id, u.parentId])).toEqual([["jc_zz", "jc"], ["sx_gj", "sx"]]);
    expect(county.preview.unchanged).toBe(6 + 3); // 山西省, its two cities, 城区, 市辖区 and 晋城市本级; sx.admin, jc.admin and cq.rep
    expect((await tree()).find((u) => u.id === "jc_zz")).toEqual({ id: "jc_zz", level: "county", parent_id: "jc", path: "/cn/sx/jc/jc_zz/" });

    // 4. a round of the nation, reported level by level (counties → cities → provinces → nation): the
    //    completeness sheet names each unit by its path below the viewer, so the two 市辖区 differ
    expect((await api("/templates", { method: "POST", token: nation, json: { builtin: true } })).status).toBe(201);
    expect((await api(`/templates/${BUILTIN_TEMPLATE.id}/1/publish`, { method: "POST", token: nation })).status).toBe(200);
    const round = await api("/rounds", { method: "POST", token: nation, json: { id: "cn2027", templateId: BUILTIN_TEMPLATE.id, templateVersion: 1, period: "2027", deadline: "2028-03-31T17:00:00+08:00", expectedUnitIds: ["jc_cq", "ty_sxq", "sjz_sxq", "jc_zz"], levelDeadlines: { city: "2028-04-10T17:00:00+08:00", province: "2028-04-20T17:00:00+08:00" } } });
    expect(round.status, await round.clone().text()).toBe(201);
    const atNation = await sheetRows(await api("/rounds/cn2027/export.xlsx", { token: nation }), "完成情况");
    const names = atNation.map((r) => r[0]);
    expect(names).toEqual(expect.arrayContaining(["山西省 / 晋城市 / 城区", "山西省 / 太原市 / 市辖区", "河北省 / 石家庄市 / 市辖区", "山西省 / 晋城市 / 泽州县"]));
    // the review levels by path too, and the unit above each county as its path
    expect(names).toEqual(expect.arrayContaining(["山西省", "河北省", "山西省 / 晋城市", "河北省 / 石家庄市"]));
    expect(atNation.find((r) => r[0] === "河北省 / 石家庄市 / 市辖区")![6]).toBe("河北省 / 石家庄市");
    const atProvince = (await sheetRows(await api("/rounds/cn2027/export.xlsx", { token: sxAdmin }), "完成情况")).map((r) => r[0]);
    expect(atProvince).toEqual(expect.arrayContaining(["晋城市 / 城区", "太原市 / 市辖区"]));
    expect(atProvince.some((n) => n?.includes("河北"))).toBe(false);

    // 5. a nation-sized workbook: 2,300 more counties and 300 accounts (made directly, as if applied
    //    over earlier uploads), downloaded and sent back with three changes: it uploads, and only the
    //    changes count
    const ids = JSON.stringify(Array.from({ length: 2300 }, (_, i) => String(i).padStart(4, "0")));
    await env.DB.prepare("INSERT INTO units (id, name_zh, name_en, level, parent_id, path) SELECT 'k' || value, '县' || value, 'County ' || value, 'county', 'ty', '/cn/sx/ty/k' || value || '/' FROM json_each(?1)").bind(ids).run();
    const hash = await hashNewPassword("bulk-password-1");
    await env.DB.prepare(
      `INSERT INTO users (username, display_name, role, unit_id, password_hash, password_salt, password_iterations, created_at, password_changed_at)
       SELECT 'rep' || value, '填报员' || value, 'reporter', 'k' || value, ?2, ?3, ?4, '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z' FROM json_each(?1) LIMIT 300`,
    ).bind(ids, hash.hash, hash.salt, hash.iterations).run();
    const unitCount = await countRows("units");
    const accountCount = await countRows("users");
    expect(unitCount).toBeGreaterThan(2300);
    const big = await filled(nation, [["k_new", "新县", "New county", "县", "ty", null, null]], [["new.rep", "新县填报员", "填报员", "k_new"]], (ws) => {
      ws.eachRow((row) => { if (row.getCell(1).value === "k1234") row.getCell(6).value = "新联系人"; });
    });
    const bigApplied = await apply(nation, big);
    expect(bigApplied.preview.units.create.map((u) => u.id)).toEqual(["k_new"]);
    expect(bigApplied.preview.units.change).toEqual([{ id: "k1234", fields: { contactName: [null, "新联系人"] } }]);
    expect(bigApplied.preview.accounts.create.map((a) => a.username)).toEqual(["new.rep"]);
    expect(bigApplied.preview.unchanged).toBe(unitCount - 1 + accountCount);
    expect(bigApplied.passwords.map((p) => p.username)).toEqual(["new.rep"]);
    // and again, unchanged: nothing to do, nothing refused
    const again = await apply(nation, await filled(nation, [], []));
    expect(again.preview.unchanged).toBe(unitCount + 1 + accountCount + 1);
    expect(again.passwords).toEqual([]);
  });
});
