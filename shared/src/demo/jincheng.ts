import type { Unit } from "../schemas/unit";
import type { Values } from "../schemas/submission";

const t = (zh: string, en: string) => ({ zh, en });

/** Jincheng (晋城市) under Shanxi: six county-level units plus 市本级, seven reporting units. */
export const DEMO_UNITS: Unit[] = [
  { id: "shanxi", name: t("山西省", "Shanxi"), level: "province", parentId: null },
  { id: "jincheng", name: t("晋城市", "Jincheng"), level: "city", parentId: "shanxi" },
  // in 区划代码 order (140502 城区 … 140581 高平市): the demo is created in the official order, which the board keeps
  { id: "chengqu", name: t("城区", "Chengqu"), level: "county", parentId: "jincheng" },
  { id: "qinshui", name: t("沁水县", "Qinshui"), level: "county", parentId: "jincheng" },
  { id: "yangcheng", name: t("阳城县", "Yangcheng"), level: "county", parentId: "jincheng" },
  { id: "lingchuan", name: t("陵川县", "Lingchuan"), level: "county", parentId: "jincheng" },
  { id: "zezhou", name: t("泽州县", "Zezhou"), level: "county", parentId: "jincheng" },
  { id: "gaoping", name: t("高平市", "Gaoping"), level: "county", parentId: "jincheng" },
  { id: "jincheng_self", name: t("晋城市本级", "Jincheng city level"), level: "self", parentId: "jincheng" },
];

export const DEMO_REPORTING_UNITS = ["chengqu", "gaoping", "zezhou", "qinshui", "yangcheng", "lingchuan", "jincheng_self"] as const;

// One column per reporting unit, in DEMO_REPORTING_UNITS order. The columns add up to the seeds'
// figures: 2 China brands, 7 exempt, 3 iconic, 16 provincial famous, 1 geographic indication;
// 21 brand producers with 210 亿 output (51%), 32 亿 profit-tax (53%), 8,662 万美元 exports (85%);
// 2,570 products, 423 with no standard (83.54% coverage), 55 adopting (2.14%); 771 above-scale
// enterprises, 230 over 100 m, 266.2 亿 value added; small firms 88.71%; grade rate 88%;
// city reward funds 700 万 against 200 万 from counties; 67 万 work funds.
const COLUMNS: Record<string, readonly (number | string | boolean)[]> = {
  leading_group: [true, true, true, true, true, true, true],
  plan_issued: [true, true, true, false, true, true, true],
  perf_review: [true, true, true, false, true, false, true],
  mayor_award: [false, true, true, false, true, false, true],
  park_activity: [false, true, true, false, true, false, false],
  drive_status: ["in_progress", "achieved", "achieved", "not_started", "in_progress", "in_progress", "in_progress"],
  work_funds: ["10.00", "15.50", "14.20", "6.30", "12.00", "9.00", "0.00"],
  cn_famous_brands: [0, 1, 1, 0, 0, 0, 0],
  inspection_exempt: [1, 2, 2, 0, 1, 0, 1],
  prov_iconic_brands: [0, 1, 1, 0, 1, 0, 0],
  prov_famous_brands: [2, 4, 4, 1, 3, 1, 1],
  geo_indication: [0, 0, 0, 0, 0, 1, 0],
  brand_reward_funds: ["30.00", "60.00", "55.00", "15.00", "30.00", "10.00", "700.00"],
  brand_enterprises: [2, 6, 6, 1, 4, 1, 1],
  brand_output: ["18.50", "62.30", "58.70", "9.40", "40.10", "6.00", "15.00"],
  brand_profit_tax: ["2.60", "9.80", "9.10", "1.30", "6.20", "0.80", "2.20"],
  brand_exports: ["500.00", "2600.00", "2450.00", "212.00", "1900.00", "100.00", "900.00"],
  products: [300, 520, 500, 330, 450, 250, 220],
  products_no_std: [50, 70, 65, 75, 60, 70, 33],
  products_adopting: [5, 15, 14, 3, 10, 2, 6],
  above_scale_ents: [95, 180, 170, 90, 140, 56, 40],
  ents_over_100m: [25, 60, 55, 22, 45, 13, 10],
  above_output: ["40.10", "105.20", "98.30", "42.50", "75.66", "20.00", "30.00"],
  above_profit_tax: ["6.10", "14.20", "13.40", "7.80", "10.38", "3.50", "5.00"],
  above_exports: ["620.00", "2900.00", "2750.00", "620.59", "2100.00", "200.00", "1000.00"],
  above_value_added: ["30.00", "65.40", "62.80", "35.00", "45.00", "13.00", "15.00"],
  all_enterprises: [800, 1500, 1450, 900, 1200, 680, 300],
  small_firms: [705, 1320, 1280, 810, 1060, 624, 260],
  main_products: [30, 50, 48, 35, 40, 25, 22],
  graded_products: [27, 46, 44, 29, 36, 20, 18],
  spot_batches: [160, 240, 230, 150, 200, 120, 100],
  spot_passed: [150, 228, 218, 138, 189, 112, 95],
  complaints: [50, 70, 66, 40, 58, 30, 26],
  complaints_resolved: [48, 68, 64, 37, 56, 28, 25],
  quality_incidents: [0, 0, 1, 0, 0, 0, 0],
};

/** Each reporting unit's figures for the closed past round (2024). */
export const DEMO_PAST_VALUES: Record<string, Values> = Object.fromEntries(
  DEMO_REPORTING_UNITS.map((unitId, i) => [
    unitId,
    Object.fromEntries(Object.entries(COLUMNS).map(([code, col]) => [code, col[i]!])),
  ]),
);

/** Demo rounds: 2024 closed and approved, 2025 open until the end of January. */
export const DEMO_ROUNDS = {
  past: { id: "r2024", period: "2024", deadline: "2025-01-31T23:59:59+08:00" },
  current: { id: "r2025", period: "2025", deadline: "2027-01-31T23:59:59+08:00" },
} as const;
