/** Where a unit's report stands, as the fill sheet's status line needs it. */
export interface FillStatusInput {
  state: "not_started" | "submitted" | "returned" | "approved";
  revision: number;
  reviewComment?: string | null;
}

const STATE_ZH = { not_started: "未上报", submitted: "已上报", returned: "已退回", approved: "已审核" } as const;

/**
 * The fill sheet's status line in Chinese: "未上报", "已上报（第 2 版）", "已审核（第 3 版）",
 * "已退回（第 1 版）：<the reviewer's comment>".
 */
export function fillStatusText(s: FillStatusInput): string {
  if (s.state === "not_started" || s.revision <= 0) return STATE_ZH.not_started;
  const head = `${STATE_ZH[s.state]}（第 ${s.revision} 版）`;
  const comment = s.state === "returned" ? s.reviewComment?.trim() : "";
  return comment ? `${head}：${comment}` : head;
}
