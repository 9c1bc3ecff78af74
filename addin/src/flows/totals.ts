import type { RoundView } from "@tianbao/shared";
import { PRINT_NOT_SET } from "../excel/page-layout";
import { writeTotalsSheets } from "../excel/totals-sheets";
import { T, errorText, type Lang } from "../i18n/messages";
import { api } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

/** Rates charted unit by unit below the totals, where the round's template has them. */
const CHART_CODES = ["std_coverage_rate", "adoption_rate", "grade_rate", "spot_pass_rate"];

/**
 * 下载汇总: the aggregate workbook's sheets as the Worker lays them out for the file (each unit's column
 * marked with where it stands, 增减幅度 and 个百分点 against last period over the same units, choice
 * distributions, the completeness sheet named by path, the 说明 sheet) — drawn into the open
 * workbook as live formulas, with a chart of the rates.
 */
export async function downloadTotals(round: RoundView, lang: Lang, basis: "standing" | "approved" = "standing"): Promise<FlowResult> {
  const user = api.user;
  if (!user) return { ok: false, message: T.signInFirst[lang] };
  if (user.role === "reporter") return { ok: false, message: T.cityOnly[lang] };
  const sheets = await api.totalsSheets(round.id, { basis, chart: CHART_CODES.join(",") });
  if (!sheets.ok) return { ok: false, message: errorText(sheets.error, lang) };
  // a sheet of the same name is replaced only if it is this round's and this unit's (its mark says so)
  const w = await excelRun((ctx) => writeTotalsSheets(ctx, sheets.value.sheets, `${round.id}|${user.unitId}`));
  return { ok: true, message: `${T.totalsWritten[lang]}${lang === "zh" ? "：" : ": "}${w.sheetNames.join("、")}${w.printed ? "" : PRINT_NOT_SET[lang]}` };
}
