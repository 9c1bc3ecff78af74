import { nameKey } from "../schemas/text";
import type { Bad } from "./plan";
import type { DirectoryContext, DirectoryPreview } from "./sheets";

/** A row of the units sheet that sets a unit's Chinese and/or English name (a new unit, or a rename). */
export interface NamedRow { id: string; row: number; zh: boolean; en: boolean }

/**
 * Units under one parent have names that look different (compared by nameKey: full-width forms,
 * invisible characters, spaces and case do not make a name new): a province
 * that saw two 晋城市 could not tell them apart. Checked on the units as they would be after the
 * sheet, and reported only on the rows that set a name (a clash already stored is not this sheet's
 * doing). Every sibling of a unit the caller may name lies in the caller's subtree, so the check
 * sees them all; a swap of two names is allowed, since the state after it has no clash.
 */
export function checkSiblingNames(ctx: DirectoryContext, preview: DirectoryPreview, named: readonly NamedRow[], bad: Bad): void {
  if (named.length === 0) return;
  const renamed = new Map(preview.units.change.map((c) => [c.id, c.fields]));
  const after = [
    ...ctx.subtree.map((u) => ({ id: u.id, parentId: u.parentId, zh: renamed.get(u.id)?.nameZh?.[1] ?? u.name.zh, en: renamed.get(u.id)?.nameEn?.[1] ?? u.name.en })),
    ...preview.units.create.map((u) => ({ id: u.id, parentId: u.parentId as string | null, zh: u.name.zh, en: u.name.en })),
  ];
  const key = (parentId: string | null, lang: "zh" | "en", name: string) => JSON.stringify([parentId, lang, nameKey(name)]);
  const holders = new Map<string, string[]>();
  for (const u of after) {
    for (const lang of ["zh", "en"] as const) {
      const k = key(u.parentId, lang, u[lang]);
      const list = holders.get(k);
      if (list) list.push(u.id);
      else holders.set(k, [u.id]);
    }
  }
  const byId = new Map(after.map((u) => [u.id, u]));
  for (const n of named) {
    const u = byId.get(n.id);
    if (!u) continue;
    for (const lang of ["zh", "en"] as const) {
      const other = n[lang] ? holders.get(key(u.parentId, lang, u[lang]))?.find((id) => id !== u.id) : undefined;
      if (other === undefined) continue;
      bad("units", n.row, lang === "zh" ? 1 : 2,
        `${lang === "zh" ? "单位名称" : "英文名称"}「${u[lang]}」与同一上级单位下的「${byId.get(other)!.zh}」（${other}）重复`,
        `the ${lang === "zh" ? "name" : "English name"} '${u[lang]}' is already that of '${byId.get(other)!.en}' (${other}) under the same parent`);
    }
  }
}
