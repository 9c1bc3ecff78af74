import { describe, expect, it } from "vitest";
import { DIRECTORY_SHEETS, buildDirectoryPlans, placementProblem, planDirectory, planGrid, type CellValue, type DirectoryContext, type DirectoryUnit, type UnitLevel } from "@tianbao/shared";

// The units-and-accounts planner's rules on identity (issue 21): a name changes only from above,
// siblings keep different names, and a new unit is placed by the one rule POST /units applies too.

const unit = (id: string, zh: string, level: UnitLevel, parentId: string | null, en = id): DirectoryUnit => ({ id, name: { zh, en }, level, parentId, contactName: null, contactPhone: null });
const CITY: DirectoryUnit[] = [unit("jc", "晋城市", "city", "sx", "Jincheng"), unit("zz", "泽州县", "county", "jc"), unit("gp", "高平市", "county", "jc"), unit("jc_self", "晋城市本级", "self", "jc")];
const ctx = (subtree: DirectoryUnit[], unitId: string): DirectoryContext => ({ caller: { unitId, username: "me" }, subtree, takenUnitIds: new Set(subtree.map((u) => u.id.toLowerCase())), accounts: new Map() });
/** The downloaded units sheet as a grid, with `edit` applied to rows by unit code and `extra` rows added. */
function sheet(units: DirectoryUnit[], edit: Record<string, Partial<Record<1 | 2 | 4 | 5, string>>> = {}, extra: CellValue[][] = []): CellValue[][] {
  // the rows drawn empty below the units are where `extra` is typed
  const grid = (planGrid(buildDirectoryPlans(units, []).find((p) => p.name === DIRECTORY_SHEETS.units)!) as CellValue[][]).slice(0, 2 + units.length);
  for (const row of grid.slice(2)) for (const [col, v] of Object.entries(edit[String(row[0])] ?? {})) row[Number(col)] = v;
  return [...grid, ...extra];
}
const plan = (units: CellValue[][], who: string, subtree = CITY) => planDirectory(units, [[], []], ctx(subtree, who));

describe("a unit's identity in the units-and-accounts workbook", () => {
  it("an administrator renames the units below its own, never its own (name, English name or parent), on the cell", () => {
    const own = plan(sheet(CITY, { jc: { 1: "长治市", 2: "Changzhi", 4: "other" } }), "jc");
    expect(own.problems.map((p) => p.cell)).toEqual(["单位!E3"]);
    const renamed = plan(sheet(CITY, { jc: { 1: "长治市", 2: "Changzhi" } }), "jc");
    expect(renamed.problems.map((p) => p.cell)).toEqual(["单位!B3", "单位!C3"]);
    expect(renamed.problems[0]!.message).toEqual({ zh: "单位!B3：不能修改本单位的名称（应为「晋城市」）；单位名称只能由上级单位修改", en: "单位!B3: you cannot rename your own unit (it is '晋城市'); a unit's name is changed only by the unit above it" });
    expect(renamed.units.change).toEqual([]);
    const contact = plan(sheet(CITY, { jc: { 5: "赵主任" } }), "jc");
    expect(contact.problems).toEqual([]);
    expect(contact.units.change).toEqual([{ id: "jc", fields: { contactName: [null, "赵主任"] } }]);
    const below = plan(sheet(CITY, { gp: { 1: "高平市（县级）" } }), "jc");
    expect(below.units.change).toEqual([{ id: "gp", fields: { nameZh: ["高平市", "高平市（县级）"] } }]);
  });

  it("names under one parent stay different (Chinese exactly, English ignoring case); a swap and old clashes are left alone", () => {
    expect(plan(sheet(CITY, { gp: { 1: "泽州县" } }), "jc").problems.map((p) => p.cell)).toEqual(["单位!B5"]);
    expect(plan(sheet(CITY, { gp: { 2: "ZZ" } }), "jc").problems.map((p) => p.cell)).toEqual(["单位!C5"]);
    expect(plan(sheet(CITY, { gp: { 1: "泽州县" }, zz: { 1: "高平市" } }), "jc").problems).toEqual([]);
    const added = plan(sheet(CITY, {}, [["new1", "高平市", "New", "县", "jc"], ["new2", "某县", "New", "县", "jc"]]), "jc");
    expect(added.problems.map((p) => p.cell)).toEqual(["单位!B7", "单位!C7", "单位!C8"]);
    // the same name under another parent is fine; a clash already stored is not this sheet's to report
    expect(plan(sheet(CITY, {}, [["zz_t", "高平市", "GP town", "县", "zz"]]), "jc").problems).toEqual([]);
    const legacy = [...CITY, unit("gp2", "高平市", "county", "jc")];
    expect(plan(sheet(legacy, { zz: { 5: "王" } }), "jc", legacy).problems).toEqual([]);
  });

  it("places a new unit by one rule: no province, nothing below 本级, never above its parent; problems come in cell order", () => {
    const p = plan(sheet(CITY, {}, [["a1", "甲", "A", "市", "zz"], ["a2", "乙", "B", "县", "jc_self"], ["a3", "丙", "C", "省", "jc"], ["a4", "丁", "D", "县", "a1"], ["a5", "戊", "E", "县", "zz"]]), "jc");
    expect(p.problems.map((x) => x.cell)).toEqual(["单位!D7", "单位!E8", "单位!D9", "单位!E10"]);
    expect(p.units.create.map((u) => u.id)).toEqual(["a5"]);
    const parent = { id: "zz", name: { zh: "泽州县", en: "Zezhou" }, level: "county" as const };
    expect(placementProblem("county", parent)).toBeNull();
    expect(placementProblem("self", parent)).toBeNull();
    expect(placementProblem("city", { ...parent, level: "city" })).toBeNull();
    expect(placementProblem("city", parent)!.message).toEqual({ zh: "级别「市」高于上级单位「泽州县」（zz）的级别「县（区）」", en: "level city is above the level of the parent 'Zezhou' (zz) (county)" });
  });
});

describe("the units-and-accounts workbook as drawn (issue 20)", () => {
  it("writes every column as Text (@), the rows left to type into included, so a landline keeps its 0", () => {
    const accounts = [{ username: "zz.rep", displayName: "泽州", role: "reporter" as const, unitId: "zz" }];
    const plans = buildDirectoryPlans(CITY.map((u) => ({ ...u, contactPhone: "03562021234" })), accounts);
    for (const [name, columns, rows] of [[DIRECTORY_SHEETS.units, 7, CITY.length], [DIRECTORY_SHEETS.accounts, 4, accounts.length]] as const) {
      const plan = plans.find((p) => p.name === name)!;
      const text = new Set(plan.cells.filter((c) => c.row >= 2 && c.numberFormat === "@").map((c) => `${c.row},${c.col}`));
      // the rows already there, and room below them to type new ones
      for (let row = 2; row < 2 + rows + 200; row++) for (let col = 0; col < columns; col++) expect(text.has(`${row},${col}`), `${name} ${row},${col}`).toBe(true);
      expect(plan.cells.filter((c) => c.row < 2).every((c) => c.locked)).toBe(true);
    }
  });
});
