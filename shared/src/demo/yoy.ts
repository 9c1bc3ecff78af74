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
