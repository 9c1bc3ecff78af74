import type { RoundView } from "@tianbao/shared";
import { languageOf, T } from "../i18n/messages";
import { api, notice } from "../flows/session";
import { submitActiveSheet as submitActiveSheetFlow } from "../flows/submit";
import { downloadTotals as downloadTotalsFlow } from "../flows/totals";

// Ribbon functions. The manifest's FunctionName, the Office.actions.associate id and the function
// name are the same string. One try/catch each; event.completed() always runs.
type RibbonEvent = { completed: () => void };
const lang = () => languageOf(Office.context.displayLanguage);

async function report(run: () => Promise<{ ok: boolean; message: string }>): Promise<void> {
  try {
    const r = await run();
    notice(r.message, r.ok ? "ok" : "error");
    if (!r.ok) await Office.addin.showAsTaskpane().catch(() => undefined);
  } catch (e) {
    console.error("ribbon command failed", e);
    notice(T.unexpected[lang()], "error"); // network failures come back as results, not exceptions
  }
}

export async function submitActiveSheet(event: RibbonEvent): Promise<void> {
  try {
    await report(() => submitActiveSheetFlow(lang()));
  } finally {
    event.completed();
  }
}

export async function downloadTotals(event: RibbonEvent): Promise<void> {
  try {
    await report(async () => {
      if (!api.user) return { ok: false, message: T.signInFirst[lang()] };
      const rounds = await api.rounds();
      if (!rounds.ok) return { ok: false, message: T.network[lang()] };
      const round = roundForTotals(rounds.value, new Date());
      if (!round) return { ok: false, message: T.noRounds[lang()] };
      return downloadTotalsFlow(round, lang());
    });
  } finally {
    event.completed();
  }
}

/**
 * The round the ribbon's 下载汇总 means: the open round whose deadline comes first (the one being
 * collected now); when none is open, the one that closed last. The pane lets the user pick any.
 */
export function roundForTotals(rounds: readonly RoundView[], now: Date): RoundView | null {
  const open = rounds.filter((r) => !r.closed && Date.parse(r.deadline) >= now.getTime()).sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  if (open[0]) return open[0];
  return [...rounds].sort((a, b) => Date.parse(b.deadline) - Date.parse(a.deadline))[0] ?? null;
}

/** Registered by name: each key is the manifest's FunctionName and the function's own name. */
export const RIBBON_FUNCTIONS = { submitActiveSheet, downloadTotals } as const;
