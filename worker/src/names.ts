// Names for what the Worker says to people: a round by its issuer, period and template ("山西省
// 2025年 质量兴市工作年报"), a unit by its name — never their codes, which officials see nowhere. Each
// name is read within the caller's subtree: a round or unit the caller may not see stays unnamed.
import { readFillMeta, roundNames, type CellValue, type FillNames, type LocalizedText } from "@tianbao/shared";
import { findRoundUnder, type RoundRow } from "./db/rounds";
import { loadCompiled } from "./db/templates";
import { findUnitUnder } from "./db/units";

const unitRow = (db: D1Database, id: string) =>
  db.prepare("SELECT name_zh, name_en FROM units WHERE id = ?").bind(id).first<{ name_zh: string; name_en: string }>();

/** A unit's name, by id (the caller has already been allowed to see it). */
export async function unitName(db: D1Database, id: string): Promise<LocalizedText> {
  const u = await unitRow(db, id);
  return u ? { zh: u.name_zh, en: u.name_en } : { zh: id, en: id };
}

/** A round's name as people read it: issuer, period and template. */
export async function roundName(db: D1Database, round: Pick<RoundRow, "owner_unit_id" | "period" | "template_id" | "template_version">): Promise<LocalizedText> {
  const [compiled, ownerName] = await Promise.all([loadCompiled(db, round.template_id, round.template_version), unitName(db, round.owner_unit_id)]);
  return roundNames({ period: round.period, templateName: compiled?.template.name ?? { zh: round.template_id, en: round.template_id }, ownerName });
}

/** What a refusal of an uploaded fill sheet calls this round and unit, and those the sheet was made for. */
export async function fillNames(db: D1Database, callerPath: string, round: RoundRow, unitId: string, grid: readonly (readonly CellValue[])[]): Promise<FillNames> {
  const meta = readFillMeta(grid);
  const [fileRound, fileUnit] = await Promise.all([
    meta && meta.roundId !== round.id ? findRoundUnder(db, callerPath, meta.roundId) : null,
    meta && meta.unitId !== unitId ? findUnitUnder(db, callerPath, meta.unitId) : null,
  ]);
  return {
    round: await roundName(db, round), unit: await unitName(db, unitId),
    fileRound: fileRound ? await roundName(db, fileRound) : null,
    fileUnit: fileUnit ? fileUnit.name : null,
  };
}
