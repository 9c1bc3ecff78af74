import { FILL_COLUMNS, fillBook, formulaRefs, spotText, type CompiledTemplate, type IssueBody } from "@tianbao/shared";
import { failure, type Failure } from "../errors";

/** At most this many refused keys are listed one by one (the message gives the count of all). */
const LISTED = 50;

/**
 * 说明 (a unit's note) belongs to a figure the unit typed: only the input indicators of the round's
 * template take one. A derived indicator (a rate) is computed from others, and any other key names
 * nothing at all. Codes are looked up in the template's Map: neither a prototype name
 * (`constructor`) nor a code differing by case (`Products`) passes for an indicator.
 *
 * Refused whole, before anything is written: 422 naming the first key (in a sheet, its 说明 cell)
 * and listing each refused key as an issue, with the 说明 cell where the fill sheet has one.
 */
export function refuseComments(compiled: CompiledTemplate, comments: Readonly<Record<string, string>> | undefined, from: "body" | "sheet"): Failure | null {
  const book = fillBook(compiled);
  const refused = Object.keys(comments ?? {}).filter((key) => {
    const kind = compiled.byCode.get(key)?.kind;
    // a grid's notes are per row (its 说明 column), kept with the row's first figure: another cell takes none
    return kind === undefined || kind === "derived" || (compiled.gridCells.has(key) && !book.comment.has(key));
  });
  if (refused.length === 0) return null;
  const issues = refused.slice(0, LISTED).map((key): IssueBody => {
    // where the sheet has a 说明 beside the figure (a computed one's is closed, in the same place)
    const cell = noteCellText(compiled, key);
    return { code: "comment_not_input", severity: "error", indicator: key, cell, message: messageOf(compiled, key, cell) };
  });
  const first = issues[0]!;
  const more = refused.length > 1 ? { zh: `（共 ${refused.length} 处说明不能保存）`, en: ` (${refused.length} notes in all cannot be kept)` } : { zh: "", en: "" };
  return failure(422, "invalid_body", `${first.message.zh}${more.zh}；未保存任何内容`, `${first.message.en}${more.en}; nothing was stored`, {
    where: from === "sheet" && first.cell ? first.cell : `body.comments.${refused[0]}`,
    issues,
  });
}

function messageOf(compiled: CompiledTemplate, key: string, cell: string | null): { zh: string; en: string } {
  const ind = compiled.byCode.get(key);
  const t = compiled.template.name;
  if (ind && ind.kind !== "derived") {
    // a grid cell other than its row's first figure: the row's 说明 cell is where its note goes
    const book = fillBook(compiled);
    const spot = book.value.get(key);
    const owner = [...book.comment].find(([, s]) => spot && s.page === spot.page && s.row === spot.row);
    const where = owner ? spotText(book, owner[1]) : "";
    const ownerName = owner ? compiled.byCode.get(owner[0])!.name : null;
    return {
      zh: `${ind.name.zh}（${key}）：表格的说明按行填写${owner ? `，这一行的说明在 ${where}，随「${ownerName!.zh}」（${owner[0]}）保存` : "，这一行没有可填写说明的数"}`,
      en: `${ind.name.en} (${key}): a grid's notes are per row${owner ? `; this row's note is ${where}, kept with ${ownerName!.en} (${owner[0]})` : ", and this row has no figure to note"}`,
    };
  }
  if (!ind) {
    return {
      zh: `说明的指标代码「${key}」不在本轮模板「${t.zh}」中（代码区分大小写），不能填写说明`,
      en: `The note's indicator code '${key}' is not in this round's template (${t.en}; codes are case-sensitive), so it cannot have a note`,
    };
  }
  const from = formulaRefs(compiled.formulas.get(key)!).map((r) => r.code);
  const at = cell ? `${cell} ` : "";
  return {
    zh: `${at}${ind.name.zh}（${key}）是计算指标，由系统计算，不能填写说明；请把说明写在参与计算的填报指标上（${from.join("、")}）`,
    en: `${at}${ind.name.en} (${key}) is computed, so it takes no note; put the note on the indicators it is computed from (${from.join(", ")})`,
  };
}

/**
 * The 说明 cell beside an indicator as a message names it: a typed figure's note cell, or for a
 * computed one the closed cell in its row's 说明 column (list sheets); null where the sheet has none.
 */
function noteCellText(compiled: CompiledTemplate, key: string): string | null {
  const book = fillBook(compiled);
  const note = book.comment.get(key);
  if (note) return spotText(book, note);
  const value = book.value.get(key);
  const page = value && book.pages.find((p) => p.key === value.page);
  return value && page && (page.kind === "main" || page.kind === "list") ? spotText(book, { ...value, col: FILL_COLUMNS.comment }) : null;
}
