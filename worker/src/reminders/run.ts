import { periodLabel } from "@tianbao/shared";
import { auditStatement } from "../db/audit";
import { DEFAULT_POLICY, beijingDay, dueReminders, effectiveDeadline, reminderText, type OpenUnit, type ReminderPolicy } from "./due";
import { postReminder, type Hook, type WebhookKind } from "./webhook";

/** A reminder that was claimed for sending; failed ones are tried again on later runs, up to this many times. */
export const MAX_ATTEMPTS = 5;
/** A claim older than this (a run that died mid-way) may be taken over. */
const STALE_CLAIM_MS = 10 * 60_000;

export interface ReminderOutcome { roundId: string; unitId: string; status: "sent" | "failed" | "no_webhook" | "recent"; error?: string }

interface Claimed { id: number; round_id: string; unit_id: string; kind: "due" | "late" | "manual" }

/**
 * The daily reminder run (Cron Trigger): records today's due and late reminders once each (a unique
 * index per round, unit, Beijing day and kind), claims those not yet sent, and posts them — one
 * message per group robot and round, naming every unit it concerns. A robot that fails leaves its
 * reminders to the next run; one that took the message is never sent it again.
 */
export async function runReminders(db: D1Database, now: Date, policy: ReminderPolicy = DEFAULT_POLICY): Promise<ReminderOutcome[]> {
  const { results } = await db.prepare(
    `SELECT ru.round_id AS roundId, ru.unit_id AS unitId, r.deadline, ru.deadline AS unitDeadline, r.closed_at AS closedAt, COALESCE(s.state, 'not_started') AS state
     FROM round_units ru JOIN rounds r ON r.id = ru.round_id LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id
     WHERE r.closed_at IS NULL`,
  ).all<OpenUnit>();
  const due = dueReminders(results, now, policy);
  const day = beijingDay(now);
  const at = now.toISOString();
  if (due.length > 0) {
    await db.prepare(
      `INSERT OR IGNORE INTO reminders (round_id, unit_id, day, kind, status, created_at)
       SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?1, json_extract(value, '$[2]'), 'pending', ?2 FROM json_each(?3)`,
    ).bind(day, at, JSON.stringify(due.map((d) => [d.roundId, d.unitId, d.kind]))).run();
  }
  const { results: claimed } = await db.prepare(
    `UPDATE reminders SET status = 'sending', claimed_at = ?2, attempts = attempts + 1
     WHERE day = ?1 AND kind <> 'manual' AND attempts < ?4
       AND (status IN ('pending', 'failed') OR (status = 'sending' AND claimed_at < ?3))
     RETURNING id, round_id, unit_id, kind`,
  ).bind(day, at, new Date(now.getTime() - STALE_CLAIM_MS).toISOString(), MAX_ATTEMPTS).all<Claimed>();
  // A retry of an earlier hour's reminder goes out only if the unit is still due (it may have submitted since).
  const daysLeft = new Map(due.map((d) => [`${d.roundId}\u0000${d.unitId}\u0000${d.kind}`, d.daysLeft]));
  const still = claimed.filter((c) => daysLeft.has(`${c.round_id}\u0000${c.unit_id}\u0000${c.kind}`));
  const gone = claimed.filter((c) => !still.includes(c));
  if (gone.length > 0) {
    await db.prepare("UPDATE reminders SET status = 'dropped', last_error = 'no longer due' WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(gone.map((c) => c.id))).run();
  }
  return send(db, still, now, (c) => daysLeft.get(`${c.round_id}\u0000${c.unit_id}\u0000${c.kind}`)!, null);
}

/** A manual reminder about a unit is not posted again within this time (a double click, or two desks at once). */
export const MANUAL_GAP_MS = 10 * 60_000;

/** 立即催报 from the board: reminders about these units of a round, posted now. */
export async function remindNow(db: D1Database, roundId: string, unitIds: readonly string[], userId: number, now: Date): Promise<ReminderOutcome[]> {
  const at = now.toISOString();
  const { results: recent } = await db.prepare(
    "SELECT DISTINCT unit_id FROM reminders WHERE round_id = ?1 AND kind = 'manual' AND created_at > ?2 AND status IN ('sending', 'sent') AND unit_id IN (SELECT value FROM json_each(?3))",
  ).bind(roundId, new Date(now.getTime() - MANUAL_GAP_MS).toISOString(), JSON.stringify(unitIds)).all<{ unit_id: string }>();
  const skip = new Set(recent.map((r) => r.unit_id));
  const skipped: ReminderOutcome[] = unitIds.filter((id) => skip.has(id)).map((unitId) => ({ roundId, unitId, status: "recent" }));
  unitIds = unitIds.filter((id) => !skip.has(id));
  if (unitIds.length === 0) return skipped;
  const { results: claimed } = await db.prepare(
    `INSERT INTO reminders (round_id, unit_id, day, kind, status, created_at, claimed_at, attempts)
     SELECT ?1, value, ?2, 'manual', 'sending', ?2, ?2, 1 FROM json_each(?3) RETURNING id, round_id, unit_id, kind`,
  ).bind(roundId, at, JSON.stringify(unitIds)).all<Claimed>();
  // days left to each unit's own effective deadline (an extension for it counts)
  const { results: deadlines } = await db.prepare(
    "SELECT ru.unit_id, r.deadline, ru.deadline AS unitDeadline FROM round_units ru JOIN rounds r ON r.id = ru.round_id WHERE ru.round_id = ?1 AND ru.unit_id IN (SELECT value FROM json_each(?2))",
  ).bind(roundId, JSON.stringify(unitIds)).all<{ unit_id: string; deadline: string; unitDeadline: string | null }>();
  const today = Date.parse(`${beijingDay(now)}T00:00:00Z`);
  const left = new Map(deadlines.map((d) => [d.unit_id, Math.round((Date.parse(`${beijingDay(new Date(effectiveDeadline(d)))}T00:00:00Z`) - today) / 86_400_000)]));
  return [...skipped, ...(await send(db, claimed, now, (c) => left.get(c.unit_id) ?? 0, userId))];
}

async function send(db: D1Database, claimed: readonly Claimed[], now: Date, daysLeftOf: (c: Claimed) => number, userId: number | null): Promise<ReminderOutcome[]> {
  if (claimed.length === 0) return [];
  const at = now.toISOString();
  const unitIds = [...new Set(claimed.map((c) => c.unit_id))];
  const roundIds = [...new Set(claimed.map((c) => c.round_id))];
  const [units, hooks, rounds, own] = await db.batch([
    db.prepare("SELECT id, name_zh, path, contact_phone FROM units WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(unitIds)),
    db.prepare("SELECT unit_id, kind, url, secret FROM unit_webhooks"),
    db.prepare(
      `SELECT r.id, r.period, r.deadline, r.owner_unit_id, json_extract(t.body, '$.name.zh') AS name,
         (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM round_units WHERE round_id = r.id ORDER BY rowid)) AS expected
       FROM rounds r JOIN templates t ON t.id = r.template_id AND t.version = r.template_version WHERE r.id IN (SELECT value FROM json_each(?1))`,
    ).bind(JSON.stringify(roundIds)),
    // the claimed units' own deadlines, where extended
    db.prepare("SELECT round_id, unit_id, deadline FROM round_units WHERE deadline IS NOT NULL AND round_id IN (SELECT value FROM json_each(?1)) AND unit_id IN (SELECT value FROM json_each(?2))")
      .bind(JSON.stringify(roundIds), JSON.stringify(unitIds)),
  ]);
  const ownDeadline = new Map((own!.results as { round_id: string; unit_id: string; deadline: string }[]).map((r) => [`${r.round_id}\u0000${r.unit_id}`, r.deadline]));
  const unitById = new Map((units!.results as { id: string; name_zh: string; path: string; contact_phone: string | null }[]).map((u) => [u.id, u]));
  const hookByUnit = new Map((hooks!.results as { unit_id: string; kind: WebhookKind; url: string; secret: string | null }[]).map((h) => [h.unit_id, h]));
  const roundById = new Map((rounds!.results as { id: string; period: string; deadline: string; owner_unit_id: string; name: string; expected: string }[]).map((r) => [r.id, r]));
  // Each reminder goes to the robot of the unit itself, or else of the nearest unit above it.
  const groups = new Map<string, { hook: Hook; hookUnit: string; round: string; items: Claimed[] }>();
  const outcomes: ReminderOutcome[] = [];
  const finish: D1PreparedStatement[] = [];
  for (const c of claimed) {
    const path = (unitById.get(c.unit_id)?.path ?? "").split("/").filter(Boolean).reverse();
    const hookUnit = path.find((id) => hookByUnit.has(id));
    if (!hookUnit) {
      outcomes.push({ roundId: c.round_id, unitId: c.unit_id, status: "no_webhook" });
      finish.push(db.prepare("UPDATE reminders SET status = 'no_webhook', last_error = 'no group robot configured' WHERE id = ?").bind(c.id));
      continue;
    }
    const key = `${c.round_id}\u0000${hookUnit}`;
    const h = hookByUnit.get(hookUnit)!;
    const g = groups.get(key) ?? { hook: { kind: h.kind, url: h.url, secret: h.secret }, hookUnit, round: c.round_id, items: [] };
    g.items.push(c);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const round = roundById.get(g.round);
    // units in the order the round lists them (the city's own order)
    const order = JSON.parse(round?.expected ?? "[]") as string[];
    g.items.sort((a, b) => order.indexOf(a.unit_id) - order.indexOf(b.unit_id));
    const title = round ? `${periodLabel(round.period, "zh")} ${round.name}` : g.round;
    const text = reminderText({ title, deadline: round?.deadline ?? at }, g.items.map((c) => ({ name: unitById.get(c.unit_id)?.name_zh ?? c.unit_id, kind: c.kind, daysLeft: daysLeftOf(c), deadline: ownDeadline.get(`${c.round_id}\u0000${c.unit_id}`) ?? null })), now);
    const phones = g.items.map((c) => unitById.get(c.unit_id)?.contact_phone).filter((p): p is string => !!p);
    const error = await postReminder(g.hook, text, phones, now);
    const ids = JSON.stringify(g.items.map((c) => c.id));
    if (error === null) {
      finish.push(db.prepare("UPDATE reminders SET status = 'sent', sent_at = ?1, last_error = NULL WHERE id IN (SELECT value FROM json_each(?2))").bind(at, ids));
      for (const c of g.items) {
        finish.push(auditStatement(db, { userId, action: "reminder_sent", roundId: c.round_id, unitId: c.unit_id, detail: { kind: c.kind, daysLeft: daysLeftOf(c), robot: g.hookUnit, via: g.hook.kind } }, at));
        outcomes.push({ roundId: c.round_id, unitId: c.unit_id, status: "sent" });
      }
    } else {
      finish.push(db.prepare("UPDATE reminders SET status = 'failed', last_error = ?1 WHERE id IN (SELECT value FROM json_each(?2))").bind(error, ids));
      for (const c of g.items) outcomes.push({ roundId: c.round_id, unitId: c.unit_id, status: "failed", error });
    }
  }
  if (finish.length > 0) await db.batch(finish);
  return outcomes;
}
