// Issue 22, "names everywhere, never ids": a county in both its city's round r2025 and the province's
// round p2025 told the two apart by nothing (same card title, file name and sheet tab), and a sheet of
// one uploaded into the other was refused naming codes shown nowhere ("「p2025」…不是「r2025」").
// Every answer here is read as the official reads it: names of rounds (issuer, period, template) and
// units, never their codes.
import { beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs/excel.js";
import { CompletenessSchema, ErrorBodySchema, RoundViewSchema } from "@tianbao/shared";
import { z } from "zod";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, ensureDemo, env, login } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CODES = /\b(p2025|r2025|zezhou|gaoping|jincheng|changzhi|shanxi|tunliu)\b/;

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
});

const filename = (res: Response) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "");
async function sheet(round: string, unit: string, token: string) {
  const res = await api(`/rounds/${round}/submissions/${unit}/template.xlsx`, { token });
  expect(res.status).toBe(200);
  const bytes = await res.arrayBuffer();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const ws = wb.worksheets[0]!;
  return { name: filename(res), tab: ws.name, title: String(ws.getCell("A1").value), bytes };
}
const upload = (round: string, unit: string, token: string, file: ArrayBuffer) =>
  api(`/rounds/${round}/submissions/${unit}/upload`, { method: "POST", token, body: file, headers: { "content-type": XLSX } });

describe("a round is named by who issued it", () => {
  it("GET /rounds names each round's issuing unit: a county in both rounds tells 晋城市's from 山西省's", async () => {
    const rounds = z.array(RoundViewSchema).parse(await (await api("/rounds", { token: await login("zezhou") })).json());
    const of = (id: string) => rounds.find((r) => r.id === id)!;
    expect(of("r2025").ownerName).toEqual({ zh: "晋城市", en: "Jincheng" });
    expect(of("p2025").ownerName).toEqual({ zh: "山西省", en: "Shanxi" });
    expect(of("p2025").ownerLevel).toBe("province");
  });

  it("the two rounds' fill sheets differ in file name, sheet tab and title, each naming its issuer", async () => {
    const token = await login("zezhou");
    const city = await sheet("r2025", "zezhou", token);
    const province = await sheet("p2025", "zezhou", token);
    expect(city.name).toContain("晋城市");
    expect(province.name).toContain("山西省");
    expect(city.name).not.toBe(province.name);
    expect(province.tab).toContain("山西省");
    expect(city.tab).toContain("晋城市");
    expect(province.title).toContain("山西省");
    expect(`${city.name}${province.name}${city.tab}${province.tab}`).not.toMatch(CODES);
  });

  it("the two rounds' 汇总表 downloads are named apart for the city that takes part in both", async () => {
    const token = await login("admin");
    const names = await Promise.all(["r2025", "p2025"].map(async (id) => filename(await api(`/rounds/${id}/export.xlsx`, { token }))));
    expect(names[0]).not.toBe(names[1]);
    expect(names[1]).toContain("山西省");
  });
});

describe("refusals name rounds and units by name", () => {
  it("a sheet of the city's round uploaded into the province's round names both rounds by issuer, period and template", async () => {
    const token = await login("zezhou");
    const city = await sheet("r2025", "zezhou", token);
    const res = await upload("p2025", "zezhou", token, city.bytes);
    expect(res.status).toBe(422);
    const { message } = ErrorBodySchema.parse(await res.json()).error;
    expect(message.zh).toContain("晋城市 2025年 质量兴市工作年报");
    expect(message.zh).toContain("山西省 2025年 质量兴市工作年报");
    expect(message.en).toContain("Jincheng");
    expect(message.en).toContain("Shanxi");
    expect(`${message.zh} ${message.en}`).not.toMatch(CODES);
  });

  it("a sheet of another unit names that unit by name", async () => {
    const token = await login("admin");
    const zezhou = await sheet("r2025", "zezhou", token);
    const res = await upload("r2025", "gaoping", token, zezhou.bytes);
    expect(res.status).toBe(422);
    const { message } = ErrorBodySchema.parse(await res.json()).error;
    expect(message.zh).toContain("泽州县");
    expect(message.zh).toContain("高平市");
    expect(`${message.zh} ${message.en}`).not.toMatch(CODES);
  });

  it("a city not ready to submit upward is told by name which units keep it, its own code nowhere", async () => {
    const token = await login("changzhi");
    const res = await api("/rounds/p2025/levels/changzhi/submit", { method: "POST", token, json: {}, headers: { "if-match": '"0"' } });
    expect(res.status).toBe(409);
    const { message } = ErrorBodySchema.parse(await res.json()).error;
    expect(message.zh).toContain("长治市");
    expect(message.zh).toContain("屯留区");
    expect(`${message.zh} ${message.en}`).not.toMatch(CODES);
  });
});

describe("units in official order", () => {
  it("the province's completeness lists each city's units in the order the city set them up (区划 order in the demo), 市本级 last", async () => {
    const c = CompletenessSchema.parse(await (await api("/rounds/p2025/completeness", { token: await login("sheng") })).json());
    expect(c.units.map((u) => u.name.zh)).toEqual(["城区", "沁水县", "阳城县", "陵川县", "泽州县", "高平市", "晋城市本级", "屯留区", "襄垣县", "长子县", "沁源县", "长治市本级"]);
  });
});
