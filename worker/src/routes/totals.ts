import { Hono } from "hono";
import { AuditEntrySchema, AuditQuerySchema, RolledListQuerySchema, RolledListSchema, detailTables, CompletenessSchema, TotalsBasisSchema, TotalsViewSchema, computeCompleteness, computeLevelCompleteness, pathIds, totalsFromCounters, type TotalsView, type Unit } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { notFound, reply } from "../errors";
import { readRolledList } from "../db/lists";
import { listAudit } from "../db/audit";
import { levelStatesOf, listLevelStatuses } from "../db/levels";
import { findPreviousRound, levelDeadline, ownDeadline, type RoundRow } from "../db/rounds";
import { listStatuses, type StatusRow } from "../db/submissions";
import { loadCompiled } from "../db/templates";
import { readTotals } from "../db/totals";
import { childUnits } from "../db/units";
import { READ_ROLES, loadRound, loadUnit } from "./context";
import { defineRoute } from "./define";

export const totalsRoutes = new Hono<AppEnv>();

const TotalsQuerySchema = z.strictObject({ unit: z.string().optional(), basis: TotalsBasisSchema.default("standing") });

/** 汇总 for a unit: its subtree's totals, each child's, and the previous period's, read from counters. */
export async function readTotalsView(db: D1Database, round: RoundRow, unitId: string, basis: "standing" | "approved"): Promise<TotalsView | null> {
  const compiled = await loadCompiled(db, round.template_id, round.template_version);
  if (!compiled) return null;
  const children = await childUnits(db, unitId);
  const counters = await readTotals(db, round.id, [unitId, ...children.map((u) => u.id)], basis);
  // Accepted, a child that is a review level counts here only once this unit approved it: its row
  // is what it adds to this unit's total (its own accepted totals are read at ?unit=<child>).
  if (basis === "approved" && (JSON.parse(round.levels) as string[]).length > 0) {
    const levels = await levelStatesOf(db, round.id, children.map((u) => u.id));
    for (const [id, state] of levels) if (state !== "approved") counters.set(id, new Map());
  }
  const prev = await findPreviousRound(db, round);
  let previous: TotalsView["previous"] = null;
  if (prev) {
    const prevRound = await db.prepare("SELECT template_id, template_version FROM rounds WHERE id = ?").bind(prev.id).first<{ template_id: string; template_version: number }>();
    const prevCompiled = prevRound && (await loadCompiled(db, prevRound.template_id, prevRound.template_version));
    const prevCounters = await readTotals(db, prev.id, [unitId], basis);
    if (prevCompiled) previous = { roundId: prev.id, period: prev.period, totals: totalsFromCounters(prevCompiled, prevCounters.get(unitId)!) };
  }
  return {
    roundId: round.id, unitId, basis,
    totals: totalsFromCounters(compiled, counters.get(unitId)!),
    children: children.map((u) => ({ unitId: u.id, name: u.name, totals: totalsFromCounters(compiled, counters.get(u.id)!) })),
    previous,
  };
}

defineRoute(totalsRoutes, { method: "get", path: "/rounds/:id/totals", summary: "汇总: totals for a unit, its children and the previous period", roles: READ_ROLES, query: TotalsQuerySchema, response: TotalsViewSchema }, async (c, { query }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, query.unit ?? c.var.user.unitId, "read");
  if (!unit.ok) return reply(c, unit);
  const view = await readTotalsView(c.env.DB, r.value.round, unit.value.id, query.basis);
  return c.json(view);
});

defineRoute(totalsRoutes, {
  method: "get", path: "/rounds/:id/lists/:table", roles: READ_ROLES, query: RolledListQuerySchema, response: RolledListSchema,
  summary: "汇总清单: a detail list over a unit's subtree — every counted report's rows with their unit, a page at a time (offset, limit ≤ 1,000)",
}, async (c, { query }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, query.unit ?? c.var.user.unitId, "read");
  if (!unit.ok) return reply(c, unit);
  const table = detailTables(r.value.compiled.template).find((t) => t.code === c.req.param("table"));
  if (!table) return reply(c, notFound({ zh: "清单", en: "list" }, c.req.param("table")!));
  const page = await readRolledList(c.env.DB, r.value.round.id, unit.value.path, table.code, query.basis, query);
  return c.json({
    roundId: r.value.round.id, unitId: unit.value.id, table: table.code, basis: query.basis, total: page.total, offset: query.offset, limit: query.limit,
    rows: page.rows.map((x) => ({ unitId: x.unit_id, unitName: { zh: x.name_zh, en: x.name_en }, row: x.pos, values: JSON.parse(x.value) as Record<string, never> })),
  });
});

/** Completeness of a round within a unit's subtree, with names; each unit judged by its own (effective) deadline. */
export async function readCompleteness(db: D1Database, round: RoundRow, path: string, now: Date): Promise<z.infer<typeof CompletenessSchema>> {
  const rows = await listStatuses(db, round.id, path);
  const c = computeCompleteness(
    rows.map((r) => r.unit_id),
    rows.map((r) => ({
      unitId: r.unit_id, state: r.state ?? "not_started", revision: r.revision, firstSubmittedAt: r.first_submitted_at, reopened: r.reopened === 1,
      deadline: ownDeadline(round, r.deadline),
    })),
    round.deadline, now.toISOString(),
  );
  const byId = new Map(rows.map((r) => [r.unit_id, r]));
  const levels = await readLevelCompleteness(db, round, path, rows, now);
  return {
    ...c,
    ...(levels.length > 0 ? { levels } : {}),
    units: c.units.map((u) => {
      const row = byId.get(u.unitId)!;
      return {
        ...u, name: { zh: row.name_zh, en: row.name_en }, reviewComment: row.review_comment,
        lastSubmittedAt: row.last_submitted_at, reviewedBy: row.reviewed_by, reviewedAt: row.reviewed_at, deadline: u.deadline ?? null,
        contact: row.contact_name || row.contact_phone ? { name: row.contact_name, phone: row.contact_phone } : null,
        lastRemindedAt: row.last_reminded_at,
      };
    }),
  };
}

/** Each review level in the subtree: its upward submission, lateness by its upward deadline, and the units below it. */
async function readLevelCompleteness(db: D1Database, round: RoundRow, path: string, units: readonly StatusRow[], now: Date) {
  if ((JSON.parse(round.levels) as string[]).length === 0) return [];
  const rows = await listLevelStatuses(db, round.id, path);
  const computed = computeLevelCompleteness(
    rows.map((l) => ({ unitId: l.unit_id, path: l.path, state: l.state ?? "not_started", revision: l.revision, firstSubmittedAt: l.first_submitted_at, deadline: levelDeadline(round, l.level, l.deadline) })),
    units.map((u) => ({ path: u.path, state: u.state ?? "not_started" })), now.toISOString(),
  );
  return computed.map((l, i) => {
    const row = rows[i]!;
    return {
      unitId: l.unitId, name: { zh: row.name_zh, en: row.name_en }, level: row.level as Unit["level"], parentId: pathIds(row.path).slice(-2, -1)[0] ?? null,
      state: l.state, revision: l.revision, firstSubmittedAt: l.firstSubmittedAt, lastSubmittedAt: row.last_submitted_at, deadline: l.deadline, late: l.late,
      reviewComment: row.review_comment, reviewedBy: row.reviewed_by_name, reviewedAt: row.reviewed_at,
      expected: l.expected, submitted: l.submitted, approved: l.approved, returned: l.returned, missing: l.missing,
    };
  });
}

defineRoute(totalsRoutes, { method: "get", path: "/rounds/:id/completeness", summary: "Completeness: expected, submitted, approved, returned, late, missing", roles: READ_ROLES, query: z.strictObject({ unit: z.string().optional() }), response: CompletenessSchema }, async (c, { query }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, query.unit ?? c.var.user.unitId, "read");
  if (!unit.ok) return reply(c, unit);
  return c.json(await readCompleteness(c.env.DB, r.value.round, unit.value.path, new Date()));
});

defineRoute(totalsRoutes, {
  method: "get", path: "/rounds/:id/audit", roles: ["admin", "reviewer"], query: AuditQuerySchema, response: z.array(AuditEntrySchema),
  summary: "Audit trail of a round within your subtree, optionally of one unit (exact id) and one action (read-only; no route edits or deletes it)",
}, async (c, { query }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const rows = await listAudit(c.env.DB, r.value.round.id, c.var.user.unitPath, { unitId: query.unit ?? null, action: query.action ?? null });
  return c.json(rows.map((a) => ({
    id: a.id, at: a.at, username: a.username, displayName: a.display_name, action: a.action, unitId: a.unit_id,
    beforeRevision: a.before_revision, afterRevision: a.after_revision, detail: JSON.parse(a.detail) as Record<string, unknown>,
  })));
});
