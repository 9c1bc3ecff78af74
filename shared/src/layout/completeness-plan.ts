import type { Completeness } from "../aggregation/completeness";
import { PAGE_FOOTER, safeSheetName, type CellPlan, type SheetPlan } from "./sheet-plan";
import { BEIJING_LABEL, beijingTime } from "./time";

const STATE_ZH = { not_started: "未报", submitted: "已上报", returned: "已退回", approved: "已审核" } as const;

/** A review level's row (a city in a province's round): its upward submission and the units below it. */
export interface CompletenessLevel {
  unitId: string;
  state: keyof typeof STATE_ZH;
  revision: number;
  expected: number;
  approved: number;
  returned: number;
  missing: number;
  deadline: string;
  late: boolean;
  reviewComment: string | null;
}

/**
 * The completeness sheet: the summary counts, then one row per expected unit (with the unit above it
 * when the round is reported level by level), times in Beijing time; then, for such a round, one row
 * per review level (by city): its upward submission and how many units below it are in.
 */
export function buildCompletenessPlan(
  c: Completeness,
  input: { title: string; unitNames: Record<string, string>; comments?: Record<string, string>; levels?: readonly CompletenessLevel[]; parentOf?: Record<string, string> },
): SheetPlan {
  const cells: CellPlan[] = [];
  const put = (row: number, col: number, value: string | number | null, style: CellPlan["style"]): void => {
    cells.push({ row, col, value, style, locked: true });
  };
  put(0, 0, input.title, "title");
  const summary: [string, number][] = [["应报", c.expected], ["已报", c.submitted], ["已审核", c.approved], ["退回", c.returned], ["逾期", c.late], ["未报", c.notStarted]];
  summary.forEach(([label, value], i) => { put(1, i * 2, label, "header"); put(1, i * 2 + 1, value, "total"); });
  const byLevel = (input.levels?.length ?? 0) > 0;
  ["单位", "状态", "修订号", `首次上报时间（${BEIJING_LABEL}）`, "是否逾期", "退回意见", ...(byLevel ? ["上级单位"] : [])].forEach((h, col) => put(3, col, h, "header"));
  // level by level: the units grouped under the unit above them (a city's counties together)
  const parentName = (id: string) => { const p = input.parentOf?.[id]; return p === undefined ? "" : input.unitNames[p] ?? p; };
  const units = byLevel ? [...c.units].sort((a, b) => parentName(a.unitId).localeCompare(parentName(b.unitId), "zh-CN")) : c.units;
  units.forEach((u, i) => {
    const r = 4 + i;
    put(r, 0, input.unitNames[u.unitId] ?? u.unitId, "label");
    put(r, 1, STATE_ZH[u.state], "input");
    put(r, 2, u.revision, "input");
    put(r, 3, u.firstSubmittedAt === null ? null : beijingTime(u.firstSubmittedAt), "input");
    put(r, 4, u.late ? "逾期" : "", "input");
    put(r, 5, input.comments?.[u.unitId] ?? "", "comment");
    if (byLevel) put(r, 6, parentName(u.unitId), "label");
  });
  if (byLevel) {
    const top = 4 + units.length + 1;
    put(top, 0, "逐级上报（按上级单位）", "header");
    ["单位", "上报状态", "修订号", "下级应报", "已审核", "已退回", "未报", `上报截止（${BEIJING_LABEL}）`, "是否逾期", "上级意见"].forEach((h, col) => put(top + 1, col, h, "header"));
    input.levels!.forEach((l, i) => {
      const r = top + 2 + i;
      put(r, 0, input.unitNames[l.unitId] ?? l.unitId, "label");
      put(r, 1, STATE_ZH[l.state], "input");
      put(r, 2, l.revision, "input");
      put(r, 3, l.expected, "input");
      put(r, 4, l.approved, "input");
      put(r, 5, l.returned, "input");
      put(r, 6, l.missing, "input");
      put(r, 7, beijingTime(l.deadline), "input");
      put(r, 8, l.late ? "逾期" : "", "input");
      put(r, 9, l.reviewComment ?? "", "comment");
    });
  }
  return {
    name: safeSheetName(`完成情况-${input.title}`),
    cells,
    columnWidths: byLevel ? [20, 12, 10, 22, 10, 40, 16, 22, 10, 30] : [20, 12, 10, 22, 10, 40],
    merges: ["A1:F1"],
    validations: [],
    freezeRows: 4,
    protect: false,
    properties: {},
    print: { landscape: true, titleRows: "4:4", gridlines: true, footer: PAGE_FOOTER },
  };
}
