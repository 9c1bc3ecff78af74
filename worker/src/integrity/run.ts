import { TemplateSchema, checkCreations, checkHierarchy, type CreationRow, checkRound, compileTemplate, type CompiledTemplate, type IntegrityProblem, type RoundRows, type UnitRowLite } from "@tianbao/shared";
import type { IntegrityDump } from "./queries";

export interface IntegrityReport {
  checkedAt: string;
  units: number;
  rounds: number;
  problems: IntegrityProblem[];
}

type Row<T> = T & { round_id: string };

/**
 * Runs the shared integrity check over a dump of the tables (see queries.ts). `scopePath` limits it
 * to rounds owned within a subtree and to the units there ("/" for everything).
 */
export function integrityOf(dump: IntegrityDump, scopePath: string, now: Date): IntegrityReport {
  const units = dump.units as unknown as UnitRowLite[];
  const paths = new Map(units.map((u) => [u.id, u.path]));
  const inScope = (id: string) => (paths.get(id) ?? "").startsWith(scopePath);
  const problems = checkHierarchy(units).filter((p) => p.unitId === undefined || inScope(p.unitId));
  const usernames = new Set((dump.usernames as { username: string }[]).map((u) => u.username));
  problems.push(...checkCreations(dump.creations as unknown as CreationRow[], new Set(paths.keys()), usernames).filter((p) => p.unitId === undefined || inScope(p.unitId)));
  const compiled = new Map<string, CompiledTemplate | null>();
  for (const t of dump.templates as { id: string; version: number; body: string }[]) {
    const parsed = TemplateSchema.safeParse(JSON.parse(t.body));
    const c = parsed.success ? compileTemplate(parsed.data) : null;
    compiled.set(`${t.id}@${t.version}`, c?.ok ? c.compiled : null);
  }
  const group = <T>(rows: Record<string, unknown>[]) => {
    const out = new Map<string, Row<T>[]>();
    for (const r of rows as Row<T>[]) out.set(r.round_id, [...(out.get(r.round_id) ?? []), r]);
    return out;
  };
  const expected = group<{ unit_id: string }>(dump.expected);
  const submissions = group<RoundRows["submissions"][number]>(dump.submissions);
  const revisions = group<RoundRows["revisions"][number]>(dump.revisions);
  const auditSeqs = group<RoundRows["auditSeqs"][number]>(dump.auditSeqs);
  const values = group<RoundRows["values"][number]>(dump.values);
  const totals = group<RoundRows["totals"][number]>(dump.totals);
  const levels = group<RoundRows["levels"][number]>(dump.levels);
  const levelValues = group<RoundRows["levelValues"][number]>(dump.levelValues);
  let rounds = 0;
  for (const r of dump.rounds as { id: string; owner_unit_id: string; template_id: string; template_version: number }[]) {
    if (!inScope(r.owner_unit_id)) continue;
    rounds++;
    problems.push(...checkRound({
      round: r,
      compiled: compiled.get(`${r.template_id}@${r.template_version}`) ?? null,
      expected: (expected.get(r.id) ?? []).map((e) => e.unit_id),
      submissions: submissions.get(r.id) ?? [],
      revisions: revisions.get(r.id) ?? [],
      auditSeqs: auditSeqs.get(r.id) ?? [],
      values: values.get(r.id) ?? [],
      totals: totals.get(r.id) ?? [],
      levels: levels.get(r.id) ?? [],
      levelValues: levelValues.get(r.id) ?? [],
    }, paths));
  }
  return { checkedAt: now.toISOString(), units: units.filter((u) => inScope(u.id)).length, rounds, problems };
}
