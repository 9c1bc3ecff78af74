import type { IntegrityProblem } from "@tianbao/shared";
import type { IntegritySource } from "./queries";

/**
 * The hierarchy (paths match parents, parents exist, paths unique) and the audit's creations (each
 * unit and account created once and still there), checked in SQL: only problems come back, so a
 * national directory costs no more memory than a city's.
 */
export async function checkDirectory(src: IntegritySource, scopePath: string): Promise<{ units: number; problems: IntegrityProblem[] }> {
  const [count, bad, twice, creations] = await src.batch([
    { name: "unitCount", params: [scopePath] }, { name: "badPaths", params: [scopePath] },
    { name: "twicePaths", params: [scopePath] }, { name: "badCreations", params: [scopePath] },
  ]);
  const problems: IntegrityProblem[] = [];
  for (const r of twice! as { path: string; id: string }[]) problems.push({ kind: "hierarchy", unitId: r.id, message: { zh: `单位路径「${r.path}」重复`, en: `unit path '${r.path}' appears twice` } });
  for (const u of bad! as { id: string; parent_id: string | null; path: string; parent_path: string | null; found: string | null }[]) {
    if (u.parent_id !== null && u.found === null) {
      problems.push({ kind: "hierarchy", unitId: u.id, message: { zh: `上级单位「${u.parent_id}」不存在`, en: `parent unit '${u.parent_id}' does not exist` } });
      continue;
    }
    const want = `${u.parent_path ?? "/"}${u.id}/`;
    problems.push({ kind: "hierarchy", unitId: u.id, message: { zh: `单位路径为「${u.path}」，应为「${want}」`, en: `unit path is '${u.path}', should be '${want}'` } });
  }
  for (const r of creations! as { action: string; unit_id: string | null; name: string; n: number; found: number }[]) {
    const what = r.action === "unit_create" ? { zh: "单位", en: "unit" } : { zh: "账号", en: "account" };
    const where = r.unit_id ? { unitId: r.unit_id } : {};
    for (let i = 1; i < r.n; i++) problems.push({ kind: "audit", ...where, message: { zh: `审计记录中${what.zh}「${r.name}」被创建了不止一次`, en: `the audit trail records the ${what.en} '${r.name}' as created more than once` } });
    if (!r.found) problems.push({ kind: "audit", ...where, message: { zh: `审计记录中创建的${what.zh}「${r.name}」不存在`, en: `the audit trail records creating the ${what.en} '${r.name}', which does not exist` } });
  }
  return { units: Number((count![0] as { n: number }).n), problems };
}
