import type { Completeness } from "../aggregation/completeness";
import { PAGE_FOOTER, safeSheetName, type CellPlan, type SheetPlan } from "./sheet-plan";
import { BEIJING_LABEL, beijingTime } from "./time";

const STATE_ZH = { not_started: "未报", submitted: "已上报", returned: "已退回", approved: "已审核" } as const;

/** The completeness sheet: the summary counts, then one row per expected unit, times in Beijing time. */
export function buildCompletenessPlan(
  c: Completeness, input: { title: string; unitNames: Record<string, string>; comments?: Record<string, string> },
): SheetPlan {
  const cells: CellPlan[] = [];
  const put = (row: number, col: number, value: string | number | null, style: CellPlan["style"]): void => {
    cells.push({ row, col, value, style, locked: true });
  };
  put(0, 0, input.title, "title");
  const summary: [string, number][] = [["应报", c.expected], ["已报", c.submitted], ["已审核", c.approved], ["退回", c.returned], ["逾期", c.late], ["未报", c.notStarted]];
  summary.forEach(([label, value], i) => { put(1, i * 2, label, "header"); put(1, i * 2 + 1, value, "total"); });
  ["单位", "状态", "修订号", `首次上报时间（${BEIJING_LABEL}）`, "是否逾期", "退回意见"].forEach((h, col) => put(3, col, h, "header"));
  c.units.forEach((u, i) => {
    const r = 4 + i;
    put(r, 0, input.unitNames[u.unitId] ?? u.unitId, "label");
    put(r, 1, STATE_ZH[u.state], "input");
    put(r, 2, u.revision, "input");
    put(r, 3, u.firstSubmittedAt === null ? null : beijingTime(u.firstSubmittedAt), "input");
    put(r, 4, u.late ? "逾期" : "", "input");
    put(r, 5, input.comments?.[u.unitId] ?? "", "comment");
  });
  return {
    name: safeSheetName(`完成情况-${input.title}`),
    cells,
    columnWidths: [20, 12, 10, 22, 10, 40],
    merges: ["A1:F1"],
    validations: [],
    freezeRows: 4,
    protect: false,
    properties: {},
    print: { landscape: true, titleRows: "4:4", gridlines: true, footer: PAGE_FOOTER },
  };
}
