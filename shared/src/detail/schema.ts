// Detail lists (浮动行, issue 25): a table whose rows are records the unit adds — the famous-brand products
// and their producers, the enterprises adopting international standards, the failed spot-check batches.
// Its columns are typed fields; an optional key (e.g. 统一社会信用代码 + 产品) is unique within a report
// (重码审核); the template states how many rows a report may hold. Designed here first, in the pure core:
// the schema, reading a row as typed (normalize), checking a list (validate), rolling lists up (rollup)
// and the difference between two revisions (diff); the readers and writers follow it.
import type { DetailTable } from "../schemas/form";

/** The problems of a detail table's own definition (its key naming fields it has, a choice with options…), as text per path. */
export function detailTableIssues(t: DetailTable): { path: string; zh: string; en: string }[] {
  const out: { path: string; zh: string; en: string }[] = [];
  const seen = new Set<string>();
  for (const f of t.fields) {
    const at = `fields.${f.code}`;
    if (seen.has(f.code)) out.push({ path: at, zh: `字段代码「${f.code}」重复`, en: `field code '${f.code}' is used twice` });
    seen.add(f.code);
    if (f.type === "choice" && !f.options) out.push({ path: at, zh: `单选字段「${f.name.zh}」需要列出选项`, en: `choice field '${f.name.en}' needs its options` });
    if (f.type !== "choice" && f.options) out.push({ path: at, zh: `只有单选字段有选项（「${f.name.zh}」是${f.type}）`, en: `only a choice field has options ('${f.name.en}' is ${f.type})` });
    if (f.check !== undefined && f.type !== "code") out.push({ path: at, zh: `只有代码字段可以校验统一社会信用代码（「${f.name.zh}」）`, en: `only a code field can be checked as a credit code ('${f.name.en}')` });
    if (f.type === "amount" && !f.unit) out.push({ path: at, zh: `金额字段「${f.name.zh}」必须有计量单位`, en: `amount field '${f.name.en}' needs a unit` });
  }
  for (const k of t.key) if (!seen.has(k)) out.push({ path: "key", zh: `重码审核的字段「${k}」不存在`, en: `key field '${k}' does not exist` });
  if (new Set(t.key).size !== t.key.length) out.push({ path: "key", zh: "重码审核的字段重复", en: "a key field is listed twice" });
  return out;
}
