// What every screen of the web page shares: the API, the language, the notice line, downloads,
// navigation by address (#/…, so Back/Forward and a refresh keep the screen), and how times are shown.
import type { LocalizedText } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
import { h } from "../taskpane/dom";

export interface Desk {
  api: ApiClient;
  lang: Lang;
  say: (text: string, kind?: "ok" | "error" | "info") => void;
  save: (blob: Blob, filename: string) => void;
  /** Shows another screen: sets the address, which the router follows (and Back returns from). */
  go: (hash: string) => void;
  /** Draws the current screen again (after a change, or a language switch). */
  redraw: () => void;
}

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

/** Runs an action from a button: disabled and saying so while it runs, so a double click does it once. */
export function busyButton(label: string, busyLabel: string, attrs: Record<string, string>, run: () => Promise<void>): HTMLButtonElement {
  const b = h("button", attrs, label);
  b.addEventListener("click", () => {
    if (b.disabled) return;
    b.disabled = true;
    b.textContent = busyLabel;
    b.setAttribute("aria-busy", "true");
    void run().finally(() => { b.disabled = false; b.textContent = label; b.removeAttribute("aria-busy"); });
  });
  return b;
}

/** Downloads a file the API serves, the button showing progress while it comes. */
export function downloadButton(desk: Desk, label: string, cls: string, path: string): HTMLButtonElement {
  return busyButton(label, desk.lang === "zh" ? "正在下载…" : "Downloading…", { class: cls }, async () => {
    const r = await desk.api.download(path);
    if (r.ok) desk.save(r.value.blob, r.value.filename); else desk.say(errorText(r.error, desk.lang), "error");
  });
}

export const text = (t: LocalizedText, lang: Lang): string => t[lang];
