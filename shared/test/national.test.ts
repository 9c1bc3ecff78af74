import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DIRECTORY_LIMIT, DIRECTORY_SHEETS, LEVEL_LABELS, buildDirectoryPlans, levelsBelow, pathNamesBelow, placementProblem, planDirectory, planGrid,
  type CellValue, type DirectoryAccount, type DirectoryContext, type DirectoryUnit, type UnitLevel,
} from "@tianbao/shared";

// Issue 27: a national root, units of any level below one's own through the units-and-accounts
// workbook (one placement rule for the workbook and POST /units), a limit that counts only changes,
// and names that stay unique as paths.

const RANK: Record<Exclude<UnitLevel, "self">, number> = { nation: 0, province: 1, city: 2, county: 3 };
const LEVELS: UnitLevel[] = ["nation", "province", "city", "county", "self"];

const unit = (id: string, zh: string, level: UnitLevel, parentId: string | null): DirectoryUnit => ({ id, name: { zh, en: id }, level, parentId, contactName: null, contactPhone: null });
// 中国 → 山西省 → 晋城市 → 城区, and a sibling province with a city of its own
const TREE: DirectoryUnit[] = [
  unit("cn", "中国", "nation", null),
  unit("sx", "山西省", "province", "cn"), unit("jc", "晋城市", "city", "sx"), unit("jc_cq", "城区", "county", "jc"), unit("jc_self", "晋城市本级", "self", "jc"),
  unit("hb", "河北省", "province", "cn"), unit("sjz", "石家庄市", "city", "hb"), unit("sjz_sxq", "市辖区", "county", "sjz"),
];
const below = (rootId: string) => {
  const out: DirectoryUnit[] = [];
  const walk = (id: string) => { const u = TREE.find((x) => x.id === id)!; out.push(u); for (const c of TREE.filter((x) => x.parentId === id)) walk(c.id); };
  walk(rootId);
  return out;
};
const ctx = (unitId: string, accounts: DirectoryAccount[] = []): DirectoryContext => ({
  caller: { unitId, username: "me" }, subtree: below(unitId), takenUnitIds: new Set(TREE.map((u) => u.id.toLowerCase())),
  accounts: new Map(accounts.map((a) => [a.username.toLowerCase(), { ...a, inSubtree: true }])),
});
/** The caller's downloaded units sheet with `extra` rows typed below its rows. */
function sheet(unitId: string, extra: CellValue[][] = []): CellValue[][] {
  const units = below(unitId);
  const grid = (planGrid(buildDirectoryPlans(units, []).find((p) => p.name === DIRECTORY_SHEETS.units)!) as CellValue[][]).slice(0, 2 + units.length);
  return [...grid, ...extra];
}
const accountsSheet = (accounts: DirectoryAccount[], extra: CellValue[][] = []): CellValue[][] =>
  [...(planGrid(buildDirectoryPlans([], accounts).find((p) => p.name === DIRECTORY_SHEETS.accounts)!) as CellValue[][]).slice(0, 2 + accounts.length), ...extra];

describe("placementProblem across levels (one rule for the workbook and POST /units)", () => {
  it("a unit may hang below any parent of its own level or above, never below a 本级 unit; a nation nowhere (property)", () => {
    fc.assert(fc.property(fc.constantFrom(...LEVELS), fc.constantFrom(...LEVELS), (level, parentLevel) => {
      const wrong = placementProblem(level, { id: "p", name: { zh: "上级", en: "Parent" }, level: parentLevel });
      if (level === "nation") return wrong?.field === "level";
      if (parentLevel === "self") return wrong?.field === "parent";
      if (level === "self") return wrong === null;
      const allowed = RANK[level] >= RANK[parentLevel];
      return allowed ? wrong === null : wrong?.field === "level" && wrong.message.zh.includes(LEVEL_LABELS[level]) && wrong.message.en.includes("above");
    }), { numRuns: 200 });
  });

  it("names the level in both languages: a nation is made only by init", () => {
    expect(placementProblem("nation", { id: "sx", name: { zh: "山西省", en: "Shanxi" }, level: "province" })!.message).toEqual({
      zh: "国家级单位是最上级，只能在初始化时建立（npm run admin -- init），不能添加在上级单位「山西省」（sx）之下",
      en: "A nation is the top level, made only by the first run (npm run admin -- init); it cannot be added below the parent 'Shanxi' (sx)",
    });
    expect(placementProblem("province", { id: "jc", name: { zh: "晋城市", en: "Jincheng" }, level: "city" })!.message.zh).toBe("级别「省」高于上级单位「晋城市」（jc）的级别「市」");
    expect(placementProblem("province", { id: "cn", name: { zh: "中国", en: "China" }, level: "nation" })).toBeNull();
  });

  it("the screen offers every level below the parent's and 本级", () => {
    expect(levelsBelow("nation")).toEqual(["province", "city", "county", "self"]);
    expect(levelsBelow("province")).toEqual(["city", "county", "self"]);
    expect(levelsBelow("city")).toEqual(["county", "self"]);
    expect(levelsBelow("county")).toEqual([]);
    expect(levelsBelow("self")).toEqual([]);
  });
});

describe("the units-and-accounts workbook takes units of any level below one's own", () => {
  it("a nation adds 省, 市 and 县 in one sheet, parents first, a new province's city under it", () => {
    const p = planDirectory(sheet("cn", [
      ["sd", "山东省", "Shandong", "省", "cn"], ["jn", "济南市", "Jinan", "市", "sd"], ["jn_lx", "历下区", "Lixia", "县（区）", "jn"],
      ["cn_xj", "新区", "Xinqu", "县", "cn"], ["cn_self", "国家本级", "Own", "本级", "cn"],
    ]), [[], []], ctx("cn"));
    expect(p.problems).toEqual([]);
    expect(p.units.create.map((u) => [u.id, u.level])).toEqual([["sd", "province"], ["jn", "city"], ["jn_lx", "county"], ["cn_xj", "county"], ["cn_self", "self"]]);
    expect(p.unchanged).toBe(TREE.length);
  });

  it("a province adds 市 and 县 below its own unit or below its units; never 国家, never above a parent, never outside its subtree (own unit, ancestor, sibling, below-own)", () => {
    const rows: CellValue[][] = [
      ["a1", "甲市", "A1", "市", "sx"], // own unit: fine
      ["a2", "乙县", "A2", "县", "jc"], // below own: fine
      ["a3", "丙县", "A3", "县", "a1"], // below a new unit of this sheet: fine
      ["a4", "丁县", "A4", "县", "cn"], // the ancestor: outside the subtree
      ["a5", "戊县", "A5", "县", "hb"], // a sibling province: outside the subtree
      ["a6", "己县", "A6", "县", "sjz"], // below the sibling: outside
      ["a7", "庚省", "A7", "省", "jc"], // above its parent
      ["a8", "辛", "A8", "国家", "sx"], // a nation: only init
      ["a9", "壬县", "A9", "县", "jc_self"], // below 本级
      ["a10", "癸省", "A10", "省", "sx"], // a province below a province: an equal level nests, as cities and counties do
    ];
    const p = planDirectory(sheet("sx", rows), [[], []], ctx("sx"));
    const first = 2 + below("sx").length; // row index of a1
    const cell = (i: number, col: string) => `单位!${col}${first + i + 1}`;
    expect(p.problems.map((x) => x.cell)).toEqual([cell(3, "E"), cell(4, "E"), cell(5, "E"), cell(6, "D"), cell(7, "D"), cell(8, "E")]);
    expect(p.problems[0]!.message.zh).toContain("上级单位「cn」不是您的单位或其下级");
    expect(p.units.create.map((u) => u.id)).toEqual(["a1", "a2", "a3", "a10"]);
  });

  it("a city adds counties only below itself; a county adds towns (its own level) below itself", () => {
    const city = planDirectory(sheet("jc", [["t1", "新县", "T1", "县", "jc"], ["t2", "某市", "T2", "市", "jc_cq"], ["t3", "某省", "T3", "省", "jc"]]), [[], []], ctx("jc"));
    expect(city.units.create.map((u) => u.id)).toEqual(["t1"]);
    expect(city.problems.map((x) => x.cell.slice(-2, -1))).toEqual(["D", "D"]);
    const county = planDirectory(sheet("jc_cq", [["z1", "某镇", "Z1", "县", "jc_cq"]]), [[], []], ctx("jc_cq"));
    expect(county.problems).toEqual([]);
  });
});

describe("the limit counts changes, not rows", () => {
  const many = (n: number): DirectoryAccount[] => Array.from({ length: n }, (_, i) => ({ username: `user${String(i).padStart(5, "0")}`, displayName: `用户${i}`, role: "reporter", unitId: "jc_cq" }));

  it("3,000 unchanged accounts and a few changes plan with no problem; unchanged rows are counted as such", () => {
    const accounts = many(3000);
    const grid = accountsSheet(accounts, [["new.one", "新人", "填报员", "jc_cq"]]);
    grid[2 + 10]![1] = "改名"; // one display name changed
    const p = planDirectory(sheet("cn"), grid, ctx("cn", accounts));
    expect(p.problems).toEqual([]);
    expect(p.accounts.create.map((a) => a.username)).toEqual(["new.one"]);
    expect(p.accounts.change).toHaveLength(1);
    expect(p.unchanged).toBe(TREE.length + 2999);
  });

  it(`more than ${DIRECTORY_LIMIT} creations and changes on a sheet: the sheet's first row past the limit is named, in both languages`, () => {
    const units = Array.from({ length: 2100 }, (_, i) => [`u${i}`, `县${i}`, `U${i}`, "县", "jc"]);
    const accounts = Array.from({ length: 2000 }, (_, i) => [`acct${i}`, `人${i}`, "填报员", "jc"]);
    const p = planDirectory(sheet("cn", units), accountsSheet([], accounts), ctx("cn"));
    // 2,000 accounts are within the limit; the 2,001st new unit is on row 3 + 8 units + 2,000
    expect(p.problems.map((x) => x.cell)).toEqual([`单位!A${3 + TREE.length + 2000}`]);
    expect(p.problems[0]!.message.zh).toContain("本表有 2,100 个新增或修改的单位，每张表每次最多导入 2,000 个（未修改的行不计）");
    expect(p.problems[0]!.message.en).toContain("this sheet creates or changes 2,100 units, and one upload applies at most 2,000 a sheet");
  });

  it("a chain of 5,000 nested new units is placed without recursion (linear), and is over the limit", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`n${i}`, `镇${i}`, `N${i}`, "县", i === 0 ? "jc" : `n${i - 1}`]);
    const started = performance.now();
    const p = planDirectory(sheet("cn", rows), [[], []], ctx("cn"));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(p.units.create).toHaveLength(5000);
    expect(p.units.create[4999]!.parentId).toBe("n4998");
    expect(p.problems).toHaveLength(1);
  });
});

describe("names that stay unique: a unit's path below the viewer", () => {
  it("names each unit by its path below the root, the root and its children by their own names", () => {
    const at = (root: string) => pathNamesBelow(TREE, root);
    expect(at("cn").get("jc_cq")).toBe("山西省 / 晋城市 / 城区");
    expect(at("cn").get("sjz_sxq")).toBe("河北省 / 石家庄市 / 市辖区");
    expect(at("cn").get("sx")).toBe("山西省");
    expect(at("cn").get("cn")).toBe("中国");
    expect(at("sx").get("jc_cq")).toBe("晋城市 / 城区");
    expect(at("jc").get("jc_cq")).toBe("城区");
    expect(pathNamesBelow(TREE, "cn", "en").get("jc_cq")).toBe("sx / jc / jc_cq");
  });

  it("is linear in the units whatever their order (property: any order, the same names, all distinct among same-named leaves)", () => {
    fc.assert(fc.property(fc.shuffledSubarray(TREE, { minLength: TREE.length, maxLength: TREE.length }), (units) => {
      const names = pathNamesBelow(units, "cn");
      return TREE.every((u) => names.get(u.id) === pathNamesBelow(TREE, "cn").get(u.id));
    }));
    // 31 × 11 × 9 units, each city with a 市辖区: every name distinct
    const big: DirectoryUnit[] = [unit("cn", "中国", "nation", null)];
    for (let p = 0; p < 31; p++) {
      big.push(unit(`p${p}`, `省${p}`, "province", "cn"));
      for (let c = 0; c < 11; c++) {
        big.push(unit(`p${p}c${c}`, `市${c}`, "city", `p${p}`));
        for (let k = 0; k < 9; k++) big.push(unit(`p${p}c${c}k${k}`, k === 0 ? "市辖区" : `县${k}`, "county", `p${p}c${c}`));
      }
    }
    const names = pathNamesBelow(big, "cn");
    expect(new Set(names.values()).size).toBe(big.length);
  });
});
