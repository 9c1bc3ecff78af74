// What every screen of the web page shares: the API, the language, the notice line, downloads,
// navigation by address (#/…, so Back/Forward and a refresh keep the screen), and how times are shown.
import type { LocalizedText } from "@tianbao/shared";
import type { ApiClient } from "../api/client";
import { errorText, type Lang } from "../i18n/messages";
export { beijingDay, beijingTime, daysLeft } from "../i18n/time";
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

/** Fills `{name}` places in a message: fmt("已报 {in}/{all}", { in: 3, all: 7 }). */
export const fmt = (s: string, v: Record<string, string | number>): string => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ""));

export { revisionText, stateText } from "../i18n/messages";
