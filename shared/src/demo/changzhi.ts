import type { Unit } from "../schemas/unit";
import type { Values } from "../schemas/submission";
import { DEMO_PAST_VALUES, DEMO_REPORTING_UNITS } from "./jincheng";

const t = (zh: string, en: string) => ({ zh, en });

/** Changzhi (长治市), a second city under Shanxi: four county-level units plus 市本级. */
export const DEMO_CHANGZHI_UNITS: Unit[] = [
  { id: "changzhi", name: t("长治市", "Changzhi"), level: "city", parentId: "shanxi" },
  // in 区划代码 order (140405 屯留区, 140423 襄垣县, 140428 长子县, 140431 沁源县)
  { id: "tunliu", name: t("屯留区", "Tunliu"), level: "county", parentId: "changzhi" },
  { id: "xiangyuan", name: t("襄垣县", "Xiangyuan"), level: "county", parentId: "changzhi" },
  { id: "zhangzi", name: t("长子县", "Zhangzi"), level: "county", parentId: "changzhi" },
  { id: "qinyuan", name: t("沁源县", "Qinyuan"), level: "county", parentId: "changzhi" },
  { id: "changzhi_self", name: t("长治市本级", "Changzhi city level"), level: "self", parentId: "changzhi" },
];

export const DEMO_CHANGZHI_REPORTING_UNITS = ["zhangzi", "tunliu", "xiangyuan", "qinyuan", "changzhi_self"] as const;

/**
 * Changzhi's 2025 figures: each unit reports like a Jincheng unit of similar size, with more
 * products and enterprises (so the province's totals are not just twice one city's).
 */
export const DEMO_CHANGZHI_VALUES: Record<string, Values> = Object.fromEntries(
  DEMO_CHANGZHI_REPORTING_UNITS.map((unitId, i) => {
    const like = DEMO_PAST_VALUES[DEMO_REPORTING_UNITS[[2, 1, 0, 3, 6][i]!]!]!;
    const more = (code: string, by: number) => (typeof like[code] === "number" ? { [code]: (like[code] as number) + by } : {});
    return [unitId, { ...like, ...more("products", 10 * (i + 1)), ...more("all_enterprises", 25 * (i + 1)), ...more("spot_batches", 5 * (i + 1)), ...more("spot_passed", 5 * (i + 1)) }];
  }),
);

/**
 * The province's round (山西省 2025): every reporting unit of both cities, reported level by level —
 * counties to their city, each city's approved figures up to the province. The cities' upward
 * deadline is a month after the counties'.
 */
export const DEMO_PROVINCE_ROUND = {
  id: "p2025", period: "2025", deadline: "2027-02-28T23:59:59+08:00", levelDeadlines: { city: "2027-03-31T23:59:59+08:00" },
} as const;
