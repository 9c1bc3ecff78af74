const BEIJING_MS = 8 * 3_600_000;

/**
 * An instant as Beijing wall-clock time (UTC+8 all year, Asia/Shanghai has no daylight saving):
 * "2025-03-01 14:05". Text that is not a time comes back as it is.
 */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const t = new Date(ms + BEIJING_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** A time in a message, as officials read it: Beijing time, labelled, in both languages. */
export const beijingText = (iso: string): { zh: string; en: string } => ({ zh: `${beijingTime(iso)}（北京时间）`, en: `${beijingTime(iso)} (Beijing time)` });

/** The label that goes with every time a sheet shows. */
export const BEIJING_LABEL = "北京时间";
