// The demo's detail list (issue 25): Jincheng's famous-brand products and their producers — the seeds'
// 21 山西名牌 producers with their output, profit and tax and exports adding up to 210 亿元, 32 亿元 and
// 8,662 万美元 — as 质兴4表附表, a list each county fills with its own producers, beside 质兴4表, whose
// fixed figures the list is checked against by rules between the two tables. Kept apart from the
// built-in form (质兴1表), whose tables the fill-book and add-in tests pin down.
import { TemplateSchema, type Template } from "../schemas/template";
import type { Values } from "../schemas/submission";

const t = (zh: string, en: string) => ({ zh, en });
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A 统一社会信用代码 from its first 17 characters, with its check character (GB 32100-2015). */
export function withUsccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return `${first17}${USCC_CHARS[(31 - (sum % 31)) % 31]}`;
}

export const DEMO_BRANDS_TEMPLATE: Template = /* @__PURE__ */ TemplateSchema.parse({
  id: "quality_city_brands", version: 1, status: "published", periodType: "annual",
  name: t("名牌产品及生产企业统计", "Famous-brand products and their producers"),
  sections: [{ code: "brand", name: t("名牌产品", "Famous brands") }],
  indicators: [
    { code: "sx_products", section: "brand", kind: "count", unit: "个", required: true, name: t("山西名牌产品数", "Shanxi famous-brand products") },
    { code: "brand_output", section: "brand", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("名牌企业工业总产值", "Brand producers' output value") },
    { code: "brand_tax", section: "brand", kind: "amount", unit: "亿元", decimals: 2, required: true, name: t("名牌企业利税", "Brand producers' profit and tax") },
    { code: "brand_exports", section: "brand", kind: "amount", unit: "万美元", decimals: 0, required: true, name: t("名牌企业出口创汇", "Brand producers' exports") },
  ],
  rules: [
    { code: "list_sx", expr: "producers_level_sx_rows = sx_products", severity: "error", message: t("名单中品牌级别为山西名牌的行数应等于质兴4表的山西名牌产品数", "The list's rows of Shanxi famous brands should equal 质兴4表's Shanxi famous-brand products") },
    { code: "list_output", expr: "producers_output = brand_output", severity: "error", message: t("名单的工业总产值合计应等于质兴4表的名牌企业工业总产值", "The list's output in all should equal 质兴4表's brand producers' output value") },
    { code: "list_tax", expr: "producers_tax = brand_tax", severity: "error", message: t("名单的利税合计应等于质兴4表的名牌企业利税", "The list's profit and tax in all should equal 质兴4表's") },
    { code: "list_exports", expr: "producers_exports = brand_exports", severity: "warning", message: t("名单的出口额合计与质兴4表的名牌企业出口创汇不一致，请核对", "The list's exports in all differ from 质兴4表's brand producers' exports; please check") },
  ],
  form: {
    legal: { maker: "晋城市质量技术监督局", approver: "晋城市统计局", approvalNo: "晋市统制〔2025〕12号", validUntil: "2027年12月" },
    tables: [
      { kind: "list", code: "main", formNo: "质兴4表", name: t("名牌产品统计", "Famous brands"), sections: ["brand"] },
      {
        kind: "detail", code: "producers", formNo: "质兴4表附表", name: t("名牌产品生产企业名单", "Famous-brand producers"), attachedTo: "main",
        notes: t("每个名牌产品一行；同一企业有多个名牌产品的，分行填写。", "One row per famous-brand product; an enterprise with several fills a row for each."),
        fields: [
          { code: "firm", name: t("企业名称", "Enterprise"), type: "text", required: true, maxLength: 100 },
          { code: "uscc", name: t("统一社会信用代码", "Credit code"), type: "code", check: "uscc", required: true, maxLength: 18 },
          { code: "product", name: t("产品", "Product"), type: "text", required: true, maxLength: 100 },
          { code: "level", name: t("品牌级别", "Brand level"), type: "choice", required: true, options: [
            { code: "cn", name: t("中国名牌", "China famous brand") }, { code: "sx", name: t("山西名牌", "Shanxi famous brand") }] },
          { code: "year", name: t("获评年份", "Year awarded"), type: "count", min: "1990", max: "2100" },
          { code: "output", name: t("工业总产值", "Output value"), type: "amount", unit: "亿元", decimals: 2 },
          { code: "tax", name: t("利税", "Profit and tax"), type: "amount", unit: "亿元", decimals: 2, min: "-1000" },
          { code: "exports", name: t("出口额", "Exports"), type: "amount", unit: "万美元", decimals: 0 },
        ],
        key: ["uscc", "product"],
        maxRows: 2000,
      },
    ],
  },
});

const PRODUCTS = ["焦炭", "铸造生铁", "无缝钢管", "煤层气压缩机", "丝麻制品", "陶瓷砖", "铸管"];
const OUTPUT = ["18.50", "6.20", "12.30", "9.00", "4.80", "15.60", "7.10", "22.40", "5.30", "8.70", "11.20", "3.90", "9.60", "6.40", "14.10", "10.20", "7.70", "5.50", "12.80", "4.10", "14.60"];
const TAX = ["2.90", "0.85", "1.90", "1.30", "0.70", "2.40", "1.05", "3.60", "0.75", "1.25", "1.70", "0.55", "1.45", "0.95", "2.15", "1.55", "1.10", "0.80", "1.95", "0.60", "2.50"];
const EXPORTS = [820, 210, 560, 380, 150, 690, 260, 1120, 170, 330, 480, 90, 400, 220, 610, 450, 300, 180, 540, 102, 600];
const COUNTIES = [["zezhou", "泽州县", "140525"], ["gaoping", "高平市", "140581"], ["yangcheng", "阳城县", "140522"]] as const;

/** The 2024 lists of the demo's three producing counties: 7 山西名牌 producers each, 21 in all (210 亿元, 32 亿元, 8,662 万美元). */
export const DEMO_BRAND_PRODUCERS: Record<string, Values[]> = Object.fromEntries(COUNTIES.map(([unit, name, area], k) => [unit, PRODUCTS.map((product, i) => {
  const n = k * 7 + i;
  return {
    firm: `${name}${["鑫", "晋", "泰", "华", "宏", "兴", "丰"][i]}${["源", "达", "盛", "通"][n % 4]}${product}有限公司`,
    uscc: withUsccCheck(`91${area}MA0${10000 + n}${"ABCDEFG"[i]}`),
    product, level: "sx", year: 2015 + (n % 9), output: OUTPUT[n]!, tax: TAX[n]!, exports: EXPORTS[n]!,
  };
})]));

/** Each county's 质兴4表 figures: what its list adds up to. */
export const DEMO_BRANDS_PAST_VALUES: Record<string, Values> = Object.fromEntries(Object.entries(DEMO_BRAND_PRODUCERS).map(([unit, rows]) => {
  const cents = (f: string) => rows.reduce((s, r) => s + BigInt(String(r[f]).replace(".", "")), 0n);
  const money = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, "0")}`;
  return [unit, { sx_products: rows.length, brand_output: money(cents("output")), brand_tax: money(cents("tax")), brand_exports: rows.reduce((s, r) => s + Number(r.exports), 0) }];
}));
