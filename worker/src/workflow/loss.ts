import { SIGNATURE_FIELDS, SIGNATURE_NAMES, fillBook, spotText, type CompiledTemplate, type LostWritingSchema, type Signature } from "@tianbao/shared";
import type { z } from "zod";
import { failure, type Failure } from "../errors";

type Lost = z.infer<typeof LostWritingSchema>;

/** At most this many losses are named in the message (all are listed in `error.lost`). */
const NAMED = 8;
/** A quoted note is cut to this many characters in the message. */
const QUOTED = 30;

/**
 * What a new revision would lose of the current one: each 说明 it drops (a note edited is a change
 * the diff shows, not a loss) and each signature field it changes or clears (a blank one filled in
 * loses nothing). Both were written by a person and cannot be recomputed, so a resubmission that
 * loses them is asked to say it means it — the same way a stale file is.
 */
export function lostWriting(
  compiled: CompiledTemplate, revision: number,
  before: { comments: Record<string, string>; signature: Signature },
  after: { comments: Record<string, string>; signature: Signature },
): Lost | null {
  const book = fillBook(compiled);
  const notes: Lost["notes"] = [];
  for (const ind of compiled.template.indicators) {
    const was = before.comments[ind.code];
    if (!was || after.comments[ind.code]) continue;
    const spot = book.comment.get(ind.code);
    notes.push({ indicator: ind.code, cell: spot ? spotText(book, spot) : null, before: was });
  }
  const signature: Lost["signature"] = [];
  for (const field of SIGNATURE_FIELDS) {
    const was = before.signature[field];
    const now = after.signature[field] ?? null;
    if (was && was !== now) signature.push({ field, label: SIGNATURE_NAMES[field].zh, before: was, after: now });
  }
  return notes.length + signature.length > 0 ? { revision, notes, signature } : null;
}

const quote = (s: string) => (s.length > QUOTED ? `${s.slice(0, QUOTED)}…` : s);

/** 409 naming what would be lost, where it was, and how to go ahead knowingly. */
export function lossRefusal(compiled: CompiledTemplate, lost: Lost, from: "body" | "sheet"): Failure {
  const zh: string[] = [];
  const en: string[] = [];
  for (const n of lost.notes) {
    const ind = compiled.byCode.get(n.indicator)!;
    const at = from === "sheet" && n.cell ? `${n.cell} ` : "";
    zh.push(`${at}${ind.name.zh}（${n.indicator}）的说明「${quote(n.before)}」被删除`);
    en.push(`${at}the note on ${ind.name.en} (${n.indicator}), '${quote(n.before)}', is dropped`);
  }
  for (const s of lost.signature) {
    const name = SIGNATURE_NAMES[s.field as keyof typeof SIGNATURE_NAMES];
    zh.push(s.after === null ? `${name.zh}「${quote(s.before)}」被清空` : `${name.zh}「${quote(s.before)}」改为「${quote(s.after)}」`);
    en.push(s.after === null ? `${name.en} '${quote(s.before)}' is cleared` : `${name.en} changes from '${quote(s.before)}' to '${quote(s.after)}'`);
  }
  const more = zh.length > NAMED ? { zh: `等共 ${zh.length} 处`, en: `, ${en.length} in all` } : { zh: "", en: "" };
  const how = from === "sheet"
    // what an official reads on the page: no parameter names (API clients find acknowledgeLoss=1 in the route's description)
    ? { zh: "确认无误后可确认按这份文件上报，或下载当前版本的填报表（含说明和签字栏）", en: "confirm to submit this file as it is, or download the current fill sheet (notes and signature included)" }
    : { zh: "确认无误后请在请求中加上 acknowledgeLoss: true 再上报", en: "send it again with acknowledgeLoss: true to submit it knowingly" };
  return failure(409, "loss_not_acknowledged",
    `这次上报会丢失第 ${lost.revision} 版中填写的内容：${zh.slice(0, NAMED).join("；")}${more.zh}。未保存任何内容；${how.zh}`,
    `This submission would lose what revision ${lost.revision} has written: ${en.slice(0, NAMED).join("; ")}${more.en}. Nothing was stored; ${how.en}`,
    // a note the sheet has no cell for (stored before such notes were refused) is named by its indicator
    { where: from === "sheet" ? (lost.notes[0]?.cell ?? lost.signature[0]?.label ?? `body.comments.${lost.notes[0]?.indicator ?? ""}`) : "body.acknowledgeLoss", lost });
}
