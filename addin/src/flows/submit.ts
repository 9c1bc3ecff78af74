import {
  decodeFillMeta, locateIssues, parseFillGrid, readFillMeta, validateValues, type IssueBody, type RoundView,
} from "@tianbao/shared";
import { readActiveSheet, writeOutcome, type Mark } from "../excel/fill-sheet";
import { T, errorText, type Lang } from "../i18n/messages";
import { api, compiledFor } from "./session";
import { excelRun } from "./excel-run";
import type { FlowResult } from "./pull";

export interface SubmitResult extends FlowResult {
  issues: IssueBody[];
  needsAcknowledgement: boolean;
  sheetName: string | null;
}

async function idempotencyKey(parts: unknown[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(parts));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `tb-${[...hash.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const marksOf = (issues: readonly { indicator: string; severity: "error" | "warning"; message: { zh: string; en: string } }[], lang: Lang): Mark[] =>
  issues.map((i) => ({ code: i.indicator, severity: i.severity, text: i.message[lang] }));

/**
 * 校验 / 一键上报 — one code path for the pane button and the ribbon button. Reads the active sheet,
 * checks it with the shared rules, and (unless `checkOnly`) submits it with the revision it started
 * from and an idempotency key derived from its content, so a retry after a lost answer is safe.
 * Two syncs: read, then write the outcome (marks, status, revision). The typed figures are never
 * touched, whatever happens.
 */
export async function submitActiveSheet(lang: Lang, options: { checkOnly?: boolean; acknowledgeWarnings?: boolean } = {}): Promise<SubmitResult> {
  const fail = (message: string, sheetName: string | null = null): SubmitResult => ({ ok: false, message, issues: [], needsAcknowledgement: false, sheetName });
  if (!api.user || !api.token) return fail(T.signInFirst[lang]);
  const user = api.user;
  return excelRun(async (ctx) => {
    const sheet = await readActiveSheet(ctx);
    const meta = readFillMeta(sheet.grid);
    if (!meta) return fail(T.notFillSheet[lang], sheet.name);
    const round = { id: meta.roundId, templateId: meta.templateId, templateVersion: meta.version } as RoundView;
    const compiled = await compiledFor(round);
    if (!compiled) return fail(T.network[lang], sheet.name);
    const parsed = parseFillGrid(compiled, sheet.grid, { unitId: user.unitId });
    if (!parsed.ok) return fail(parsed.error.message[lang], sheet.name);
    const local = validateValues(compiled, parsed.values);
    const errors = locateIssues(compiled, local.issues.filter((i) => i.severity === "error"));
    const time = new Date().toLocaleString(lang === "zh" ? "zh-CN" : "en-GB");
    if (errors.length > 0 || options.checkOnly) {
      const shown = options.checkOnly ? locateIssues(compiled, local.issues) : errors;
      const status = shown.length ? `校验未通过：${shown.length} 项（${time}）` : `校验通过（${time}）`;
      await writeOutcome(ctx, sheet.name, compiled, { status, marks: marksOf(shown, lang) });
      return { ok: shown.length === 0, message: shown.length ? `${shown.length} × ${shown[0]!.message[lang]}` : T.noIssues[lang], issues: shown, needsAcknowledgement: false, sheetName: sheet.name };
    }
    const revision = meta.revision ?? 0;
    const body = { values: parsed.values, comments: parsed.comments, ...(options.acknowledgeWarnings ? { acknowledgeWarnings: true } : {}) };
    const key = await idempotencyKey([meta.roundId, user.unitId, revision, body]);
    const r = await api.submit(meta.roundId, user.unitId, body, revision, key);
    if (!r.ok) {
      const issues = r.error?.error.issues ?? [];
      const message = errorText(r.error, lang);
      await writeOutcome(ctx, sheet.name, compiled, { status: `未上报：${message}（${time}）`, marks: marksOf(issues, lang) });
      return { ok: false, message, issues, needsAcknowledgement: r.error?.error.code === "warnings_not_acknowledged", sheetName: sheet.name };
    }
    const v = r.value;
    const status = `已上报 第 ${v.revision} 版 · ${time}${v.replayed ? "（重试，未重复上报）" : ""}`;
    const newMeta = { ...decodeFillMeta(sheet.grid[1]?.[0])!, revision: v.revision };
    await writeOutcome(ctx, sheet.name, compiled, { status, marks: marksOf(v.warnings, lang), meta: newMeta });
    return { ok: true, message: status, issues: v.warnings, needsAcknowledgement: false, sheetName: sheet.name };
  });
}
