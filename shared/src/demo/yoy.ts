// A small demo of 上年同期 and 同比 columns (issue 24): the built-in report's money figures as one list
// table with 同比 columns. Its 2024 figures are the Jincheng demo's (DEMO_PAST_VALUES), so a 2025 round
// of it shows each county's 上年同期 filled from them and the city's 同比 over the counties with both
// years. Kept apart from the built-in form (质兴1表), whose tables the fill-book and add-in tests pin down.
import { TemplateSchema, type Template } from "../schemas/template";
import type { Values } from "../schemas/submission";
import { DEMO_PAST_VALUES } from "./jincheng";

const t = (zh: string, en: string) => ({ zh, en });

export const DEMO_YOY_TEMPLATE: Template = /* @__PURE__ */ TemplateSchema.parse({
  id: "quality_city_yoy", version: 1, status: "published", periodType: "annual",
  name: t("质量兴市主要经济指标（同比）", "Quality-driven city: main figures year on year"),
  sections: [{ code: "money", name: t("主要经济指标", "Main figures") }],
  indicators: [
    { code: "above_value_added", section: "money", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("规模以上工业增加值", "Above-scale industrial value added") },
    { code: "brand_output", section: "money", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("名牌企业工业总产值", "Brand producers' output value") },
    { code: "brand_exports", section: "money", kind: "amount", unit: "万美元", decimals: 2, required: true, name: t("名牌企业出口创汇", "Brand producers' exports") },
    { code: "work_funds", section: "money", kind: "amount", unit: "万元", decimals: 2, required: true, name: t("质量工作经费落实额", "Quality work funds in place") },
  ],
  form: { tables: [{ kind: "list", code: "main", formNo: "质兴3表", name: t("主要经济指标", "Main figures"), unitLine: "计量单位：见各栏", sections: ["money"], yoy: true }] },
});

/** The demo's 2024 figures of the 同比 template: the Jincheng demo's money figures of that year, by unit. */
export const DEMO_YOY_PAST_VALUES: Record<string, Values> = Object.fromEntries(Object.entries(DEMO_PAST_VALUES).map(([unit, values]) => [
  unit, Object.fromEntries(DEMO_YOY_TEMPLATE.indicators.map((i) => [i.code, values[i.code] ?? null])),
]));

/**
 * A monthly report with a 1–N月累计 (issue 24): 本月工业总产值 and its year to date, checked against the
 * unit's approved months (YTD) and never below this month's (a rule over last month's 累计 would refuse
 * every January, whose last month is December's whole year); a month over three times the same month
 * last year asks to confirm (LASTYEAR).
 */
export const DEMO_MONTHLY_TEMPLATE: Template = /* @__PURE__ */ TemplateSchema.parse({
  id: "quality_city_monthly", version: 1, status: "published", periodType: "month",
  name: t("规模以上工业产值月报", "Above-scale industrial output, monthly"),
  sections: [{ code: "output", name: t("工业产值", "Output") }],
  indicators: [
    { code: "month_output", section: "output", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("本月工业总产值", "Output this month") },
    { code: "ytd_output", section: "output", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("1–N月累计工业总产值", "Output year to date") },
  ],
  rules: [
    { code: "ytd_is_sum", expr: "ytd_output = YTD(month_output)", severity: "error", message: t("1–N月累计应等于本年各月（已审核）之和加本月", "the year to date must equal this year's approved months plus this month") },
    { code: "ytd_not_below_month", expr: "ytd_output >= month_output", severity: "error", message: t("1–N月累计不能小于本月", "the year to date cannot be below this month's") },
    { code: "month_vs_last_year", expr: "month_output <= LASTYEAR(month_output) * 3", severity: "warning", message: t("本月产值超过上年同月的 3 倍，请确认", "over three times the same month last year; please confirm") },
  ],
});

/** Three months of the monthly report by unit (2025-01 to 2025-03), each 累计 the sum of the months so far. */
export const DEMO_MONTHLY_VALUES: Record<string, Values>[] = (() => {
  // each unit's months in 0.01 亿元 (whole numbers: the 累计 is added up exactly)
  const months = [[210, 180, 240], [360, 320, 390], [120, 110, 150], [90, 80, 100], [140, 130, 160], [70, 60, 80], [30, 20, 40]];
  const text = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  return [0, 1, 2].map((m) => Object.fromEntries(["chengqu", "gaoping", "zezhou", "qinshui", "yangcheng", "lingchuan", "jincheng_self"].map((unit, k) => {
    const row = months[k]!;
    return [unit, { month_output: text(row[m]!), ytd_output: text(row.slice(0, m + 1).reduce((a, b) => a + b, 0)) }];
  })));
})();
