import { buildFillPlans, fillStatusText, lastYearFigures, lastYearPairs, lastYearPeriod, previousPeriod, roundName, type CompiledTemplate, type RoundView, type SubmissionView, type Values } from "@tianbao/shared";
import { SheetWriteError } from "../excel/errors";
import { pullIntoSheets } from "../excel/fill-sheet";
import { keptListText, refilledListText } from "../excel/keep-list";
import { PRINT_NOT_SET } from "../excel/page-layout";
import { T, errorText, type Lang } from "../i18n/messages";
import { api, compiledFor } from "./session";
import { excelRun } from "./excel-run";

export interface FlowResult {
  ok: boolean;
  message: string;
}

/**
 * 拉取模板: the unit's current figures, the previous period's, and the template, drawn into the fill
 * sheet — or, for a form, into its cover and one sheet per table, the cover active.
 */
export async function pullTemplate(round: RoundView, rounds: RoundView[], lang: Lang): Promise<FlowResult> {
  const user = api.user;
  if (!user) return { ok: false, message: T.signInFirst[lang] };
  const compiled = await compiledFor(round);
  if (!compiled) return { ok: false, message: T.network[lang] };
  const current = await api.submission(round.id, user.unitId);
  if (!current.ok) return { ok: false, message: errorText(current.error, lang) };
  // last period's round from the same issuer, as the Worker's sheet takes it (a county may be in its city's and its province's)
  const prevRound = rounds.find((r) => r.templateId === round.templateId && r.ownerUnitId === round.ownerUnitId && r.period === previousPeriod(round.period));
  const prev = prevRound ? await api.submission(prevRound.id, user.unitId) : null;
  const previous = prev?.ok && prev.value.state !== "returned" && prev.value.state !== "not_started" ? prev.value.values : null;
  const status = sheetStatus(current.value);
  // a new report's 上年同期 (issue 24): the unit's approved figures of the same period last year, as the Worker fills them
  const lastYear = current.value.state === "not_started" ? await approvedLastYear(compiled, round, rounds, user.unitId, prevRound, prev) : null;
  const plans = buildFillPlans(compiled, {
    roundId: round.id, period: round.period, unit: { id: user.unitId, name: user.unitName.zh }, issuer: round.ownerName?.zh,
    current: lastYear ? { ...current.value.values, ...lastYear } : current.value.values, previous, comments: current.value.comments, signature: current.value.signature ?? null, status, revision: current.value.revision,
    lists: current.value.lists ?? null,
  });
  let r;
  try {
    r = await excelRun((ctx) => pullIntoSheets(ctx, plans, compiled, current.value.lists ?? null));
  } catch (e) {
    if (e instanceof SheetWriteError) return { ok: false, message: e.text[lang] };
    throw e;
  }
  if (r.taken) return { ok: false, message: `${T.sheetTaken[lang]}${r.takenName ?? plans[0]!.name}` };
  const kept = r.kept.length > 0 ? ` ${T.keptTyped[lang]}${r.kept.join(", ")}` : "";
  const dropped = r.dropped ? ` ${T.droppedTyped[lang]}${r.dropped.join("、")}` : "";
  // a list's rows typed but not submitted stay on the sheet (issue 25), said where they differ from the server's
  const keptLists = r.keptLists ? ` ${T.keptListRows[lang]}${r.keptLists.map((k) => keptListText(k, lang)).join(lang === "zh" ? "；" : "; ")}` : "";
  // a list whose every row the official deleted is drawn again with the server's rows: said, so they are not submitted again unawares
  const refilled = r.refilledLists ? ` ${r.refilledLists.map((k) => refilledListText(k, lang)).join(" ")}` : "";
  const print = r.printed === false ? PRINT_NOT_SET[lang] : "";
  const into = plans.length > 1 ? T.pulledForm[lang].replace("{n}", String(plans.length - 1)) : T.pulled[lang];
  return { ok: true, message: `${into}: ${roundName(round, lang)}.${kept}${keptLists}${refilled}${dropped}${print}` };
}

/** The sheet's status line in Chinese, as the downloaded fill sheet has it: "已退回（第 1 版）：<comment>". */
export function sheetStatus(s: Pick<SubmissionView, "state" | "revision" | "reviewComment">): string {
  return fillStatusText(s);
}

/** The 上年同期 figures of a new report: last year's approved report of the same issuer's round, if any (none for a template without them). */
async function approvedLastYear(
  compiled: CompiledTemplate, round: RoundView, rounds: readonly RoundView[], unitId: string, prevRound: RoundView | undefined, prev: Awaited<ReturnType<typeof api.submission>> | null,
): Promise<Values | null> {
  if (lastYearPairs(compiled).length === 0) return null;
  const period = lastYearPeriod(round.period);
  const r = rounds.find((x) => x.templateId === round.templateId && x.ownerUnitId === round.ownerUnitId && x.period === period);
  if (!r) return null;
  // for an annual template last year is last period: already fetched
  const s = r.id === prevRound?.id ? prev : await api.submission(r.id, unitId);
  return s?.ok && s.value.state === "approved" ? lastYearFigures(compiled, s.value.values) : null;
}
