import { z } from "zod";

/** annual `2024`, half-year `2024H1`, quarter `2024Q3`, month `2024-09`. */
export const PeriodTypeSchema = z.enum(["annual", "half", "quarter", "month"]);
export type PeriodType = z.infer<typeof PeriodTypeSchema>;

const PERIOD_RE = /^(\d{4})(?:H([12])|Q([1-4])|-(0[1-9]|1[0-2]))?$/;

export const PeriodSchema = z.string().regex(PERIOD_RE, "period must look like 2024, 2024H1, 2024Q3 or 2024-09");
export type Period = z.infer<typeof PeriodSchema>;

interface ParsedPeriod {
  year: number;
  type: PeriodType;
  index: number; // 1-based half, quarter or month; 1 for annual
}

/** Splits a period into year, type and index; null when the text is not a period. */
export function parsePeriod(period: string): ParsedPeriod | null {
  const m = PERIOD_RE.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2]) return { year, type: "half", index: Number(m[2]) };
  if (m[3]) return { year, type: "quarter", index: Number(m[3]) };
  if (m[4]) return { year, type: "month", index: Number(m[4]) };
  return { year, type: "annual", index: 1 };
}

const PER_YEAR: Record<PeriodType, number> = { annual: 1, half: 2, quarter: 4, month: 12 };

function formatPeriod({ year, type, index }: ParsedPeriod): string {
  switch (type) {
    case "annual": return String(year);
    case "half": return `${year}H${index}`;
    case "quarter": return `${year}Q${index}`;
    case "month": return `${year}-${String(index).padStart(2, "0")}`;
  }
}

/** Years a period can name: the four digits of PeriodSchema. Nothing comes before 0000 or after 9999. */
const FIRST_YEAR = 0;
const LAST_YEAR = 9999;

/** The period just before this one, of the same type (2024Q1 → 2023Q4); null before 0000. */
export function previousPeriod(period: string): string | null {
  const p = parsePeriod(period);
  if (!p) return null;
  if (p.index > 1) return formatPeriod({ ...p, index: p.index - 1 });
  return p.year > FIRST_YEAR ? formatPeriod({ ...p, year: p.year - 1, index: PER_YEAR[p.type] }) : null;
}

/** The period after: 2024 → 2025, 2024H2 → 2025H1, 2024Q4 → 2025Q1, 2024-12 → 2025-01; null after 9999 (never "10000"). */
export function nextPeriod(period: string): string | null {
  const p = parsePeriod(period);
  if (!p) return null;
  if (p.index < PER_YEAR[p.type]) return formatPeriod({ ...p, index: p.index + 1 });
  return p.year < LAST_YEAR ? formatPeriod({ ...p, year: p.year + 1, index: 1 }) : null;
}

/** The same period a year before (上年同期): 2025-03 → 2024-03, 2025Q1 → 2024Q1, 2025 → 2024; null before 0000. */
export function lastYearPeriod(period: string): string | null {
  const p = parsePeriod(period);
  return p && p.year > FIRST_YEAR ? formatPeriod({ ...p, year: p.year - 1 }) : null;
}

/** The same period a year after (the report whose 上年同期 this one is): 2024-03 → 2025-03; null after 9999. */
export function nextYearPeriod(period: string): string | null {
  const p = parsePeriod(period);
  return p && p.year < LAST_YEAR ? formatPeriod({ ...p, year: p.year + 1 }) : null;
}

/** This year's periods of the same type before this one, in order (2025-03 → 2025-01, 2025-02; 2025 → none): what 1–N月累计 adds to it. */
export function earlierThisYear(period: string): string[] {
  const p = parsePeriod(period);
  if (!p) return [];
  return Array.from({ length: p.index - 1 }, (_, i) => formatPeriod({ ...p, index: i + 1 }));
}

/** This year's periods of the same type after this one, in order (2025-10 → 2025-11, 2025-12; 2025 → none): whose 累计 this one is part of. */
export function laterThisYear(period: string): string[] {
  const p = parsePeriod(period);
  if (!p) return [];
  return Array.from({ length: PER_YEAR[p.type] - p.index }, (_, i) => formatPeriod({ ...p, index: p.index + i + 1 }));
}

/** Whether rounds of period type `coarse` are made of periods of type `fine` (a quarter of months, a year of quarters); a type is not coarser than itself. */
export const isCoarser = (coarse: PeriodType, fine: PeriodType): boolean => PER_YEAR[coarse] < PER_YEAR[fine] && PER_YEAR[fine] % PER_YEAR[coarse] === 0;

/** The periods of type `fine` a period is made of, in order (2025Q2 → 2025-04, 2025-05, 2025-06); none when it is not coarser. */
export function subPeriods(period: string, fine: PeriodType): string[] {
  const p = parsePeriod(period);
  if (!p || !isCoarser(p.type, fine)) return [];
  const per = PER_YEAR[fine] / PER_YEAR[p.type];
  return Array.from({ length: per }, (_, i) => formatPeriod({ year: p.year, type: fine, index: (p.index - 1) * per + i + 1 }));
}

/** Human label: 2024年 / 2024年上半年 / 2024年第3季度 / 2024年9月 and the English forms. */
export function periodLabel(period: string, lang: "zh" | "en"): string {
  const p = parsePeriod(period);
  if (!p) return period;
  if (lang === "en") return period;
  switch (p.type) {
    case "annual": return `${p.year}年`;
    case "half": return `${p.year}年${p.index === 1 ? "上" : "下"}半年`;
    case "quarter": return `${p.year}年第${p.index}季度`;
    case "month": return `${p.year}年${p.index}月`;
  }
}
