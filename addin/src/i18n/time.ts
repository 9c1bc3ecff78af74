// Times as officials read them: Beijing time (deadlines are Beijing days), and days left to a deadline.
import type { Lang } from "./messages";

const BEIJING = "Asia/Shanghai";

/** Beijing time, as officials read it (deadlines are Beijing days). */
export function beijingTime(iso: string, lang: Lang, short = false): string {
  const text = new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: BEIJING, ...(short ? {} : { year: "numeric" }), month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
  return short ? text : `${text}${lang === "zh" ? "（北京时间）" : " (Beijing)"}`;
}

/** The Beijing calendar day of an instant, as YYYY-MM-DD. */
export const beijingDay = (at: Date): string => at.toLocaleDateString("en-CA", { timeZone: BEIJING });

/**
 * Days left to a deadline counted in Beijing calendar days, as a county reads it: 今天截止 on the
 * deadline's day, 还剩 N 天 before it, 已逾期 N 天 after it has passed.
 */
export function daysLeft(deadline: string, now: Date, lang: Lang): { text: string; urgency: "past" | "today" | "soon" | "later" } {
  const days = Math.round((Date.parse(`${beijingDay(new Date(deadline))}T00:00:00Z`) - Date.parse(`${beijingDay(now)}T00:00:00Z`)) / 86_400_000);
  if (Date.parse(deadline) < now.getTime()) {
    const late = Math.max(days === 0 ? 0 : -days, 0);
    return { text: late === 0 ? (lang === "zh" ? "今天已截止" : "closed today") : lang === "zh" ? `已逾期 ${late} 天` : `${late} day${late === 1 ? "" : "s"} late`, urgency: "past" };
  }
  if (days === 0) return { text: lang === "zh" ? "今天截止" : "due today", urgency: "today" };
  return { text: lang === "zh" ? `还剩 ${days} 天` : `${days} day${days === 1 ? "" : "s"} left`, urgency: days <= 3 ? "soon" : "later" };
}
