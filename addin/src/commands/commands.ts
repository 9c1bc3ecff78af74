import type { RoundView } from "@tianbao/shared";
import { languageOf, T } from "../i18n/messages";
import { api, notice, restoreSession } from "../flows/session";
import { submitActiveSheet as submitActiveSheetFlow, type SubmitResult } from "../flows/submit";
import { downloadTotals as downloadTotalsFlow } from "../flows/totals";

// Ribbon functions. The manifest's FunctionName, the Office.actions.associate id and the function
// name are the same string. One try/catch each; event.completed() always runs.
type RibbonEvent = { completed: () => void };
const lang = () => languageOf(Office.context.displayLanguage);

/**
 * Runs a ribbon command and shows its outcome in the pane, opening the pane every time: a function
 * command has no UI of its own (Excel has no notification API for add-ins; NotificationMessages is
 * Outlook's), and a message sent to a closed pane would go unseen. Office.addin.showAsTaskpane()
 * (SharedRuntime 1.1) opens it; if Office refuses, the message waits until the pane is opened.
 * https://learn.microsoft.com/office/dev/add-ins/design/add-in-commands
 * https://learn.microsoft.com/office/dev/add-ins/develop/show-hide-add-in
 */
async function report(run: () => Promise<{ ok: boolean; message: string } | SubmitResult>): Promise<void> {
  try {
    restoreSession(); // Office calls ribbon functions only once it has initialised: the partition key is known
    const r = await run();
    // a submit's issues and its confirm button (warnings to acknowledge) go to the pane with the message
    notice(r.message, r.ok ? "ok" : "error", "issues" in r ? r : undefined);
  } catch (e) {
    console.error("ribbon command failed", e);
    notice(T.unexpected[lang()], "error"); // network failures come back as results, not exceptions
  }
  await Office.addin.showAsTaskpane().catch((e: unknown) => console.warn("the pane could not be shown; the message waits for it", e));
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
