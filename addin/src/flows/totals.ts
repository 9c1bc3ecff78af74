import { BEIJING_LABEL, beijingTime as beijingWallClock, buildCompletenessPlan, buildTotalsPlan, periodLabel, totalsAsColumn, type RoundView } from "@tianbao/shared";
import { PRINT_NOT_SET } from "../excel/page-layout";
import { writeTotalsSheets } from "../excel/totals-sheets";
import { T, errorText, type Lang } from "../i18n/messages";
import { api, compiledFor } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

const CHART_CODES = ["std_coverage_rate", "adoption_rate", "grade_rate", "spot_pass_rate"];

/** 下载汇总: totals with every unit and the previous period as live formulas, completeness, a chart. */
export async function downloadTotals(round: RoundView, lang: Lang): Promise<FlowResult> {
  const user = api.user;
  if (!user) return { ok: false, message: T.signInFirst[lang] };
  if (user.role === "reporter") return { ok: false, message: T.cityOnly[lang] };
  const compiled = await compiledFor(round);
  if (!compiled) return { ok: false, message: T.network[lang] };
  const [totals, completeness] = await Promise.all([api.totals(round.id), api.completeness(round.id)]);
  if (!totals.ok) return { ok: false, message: errorText(totals.error, lang) };
  if (!completeness.ok) return { ok: false, message: errorText(completeness.error, lang) };
  const title = `${user.unitName.zh} ${periodLabel(round.period, "zh")}`;
  const totalsPlan = buildTotalsPlan(compiled, {
    title, note: `含已上报和已审核数据；导出于 ${beijingWallClock(new Date().toISOString())}（${BEIJING_LABEL}）`,
    columns: totals.value.children.map((c) => ({ id: c.unitId, name: c.name.zh, values: totalsAsColumn(compiled, c.totals) })),
    previous: totals.value.previous?.totals ?? null,
    chartCodes: CHART_CODES,
  });
  const c = completeness.value;
  const compPlan = buildCompletenessPlan(c, {
    title: `${title} 填报完成情况`,
    unitNames: Object.fromEntries(c.units.map((u) => [u.unitId, u.name.zh])),
    comments: Object.fromEntries(c.units.map((u) => [u.unitId, u.reviewComment ?? ""])),
  });
  // a sheet of the same name is replaced only if it is this round's and this unit's (its mark says so)
  const w = await excelRun((ctx) => writeTotalsSheets(ctx, [totalsPlan, compPlan], `${round.id}|${user.unitId}`));
  return { ok: true, message: `${T.totalsWritten[lang]}${lang === "zh" ? "：" : ": "}${w.sheetNames.join("、")}${w.printed ? "" : PRINT_NOT_SET[lang]}` };
}
