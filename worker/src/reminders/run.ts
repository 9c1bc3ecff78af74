import { periodLabel } from "@tianbao/shared";
import { auditStatement } from "../db/audit";
import { ok, type Result } from "../errors";
import { DAY_MS, DEFAULT_POLICY, beijingDay, dueReminders, effectiveDeadline, reminderText, type OpenUnit, type ReminderPolicy } from "./due";
import { manualLimit, recordManualPosts, type Throttled } from "./limit";
import { key, loadRouting, mayMention, robotFor, type Routing } from "./robots";
import { postReminder, type Hook } from "./webhook";

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
  if (still.length === 0) return [];
  const routing = await loadRouting(db, [...new Set(still.map((c) => c.round_id))], [...new Set(still.map((c) => c.unit_id))]);
  return send(db, routing, still, now, (c) => daysLeft.get(`${c.round_id}\u0000${c.unit_id}\u0000${c.kind}`)!, null);
}

/** A manual reminder about a unit is not posted again within this time (a double click, or two desks at once). */
export const MANUAL_GAP_MS = 10 * 60_000;

/**
 * 立即催报 from the board: reminders about these units of a round, posted now. Refused whole (429,
 * nothing written or posted) when one of the robots they would go to has posted its hour's worth.
 */
export async function remindNow(db: D1Database, roundId: string, unitIds: readonly string[], userId: number, now: Date): Promise<Result<ReminderOutcome[]> | Throttled> {
  const at = now.toISOString();
  const { results: recent } = await db.prepare(
    "SELECT DISTINCT unit_id FROM reminders WHERE round_id = ?1 AND kind = 'manual' AND created_at > ?2 AND status IN ('sending', 'sent') AND unit_id IN (SELECT value FROM json_each(?3))",
  ).bind(roundId, new Date(now.getTime() - MANUAL_GAP_MS).toISOString(), JSON.stringify(unitIds)).all<{ unit_id: string }>();
  const skip = new Set(recent.map((r) => r.unit_id));
  const skipped: ReminderOutcome[] = unitIds.filter((id) => skip.has(id)).map((unitId) => ({ roundId, unitId, status: "recent" }));
  unitIds = unitIds.filter((id) => !skip.has(id));
  if (unitIds.length === 0) return ok(skipped);
  const routing = await loadRouting(db, [roundId], unitIds);
  const robots = [...new Set(unitIds.map((id) => robotFor(routing, roundId, id)?.id).filter((r): r is string => r !== undefined))];
  const throttled = await manualLimit(db, robots, now);
  if (throttled) return throttled;
  const claimed = await claimManual(db, roundId, unitIds, robots, userId, now);
  if (!Array.isArray(claimed)) return claimed;
  // days left to each unit's own effective deadline (an extension for it counts)
  const today = Date.parse(`${beijingDay(now)}T00:00:00Z`);
  const deadline = routing.rounds.get(roundId)?.deadline ?? at;
  const left = (c: Claimed) => {
    const due = effectiveDeadline({ deadline, unitDeadline: routing.ownDeadline.get(key(c.round_id, c.unit_id)) ?? null });
    return Math.round((Date.parse(`${beijingDay(new Date(due))}T00:00:00Z`) - today) / DAY_MS);
  };
  return ok([...skipped, ...(await send(db, routing, claimed, now, left, userId))]);
}

/**
 * A press's reminders and its posts, written in one batch with the limit's guard: the refusal when
 * another desk's press took a robot's last post of the hour between the check and this batch.
 */
async function claimManual(db: D1Database, roundId: string, unitIds: readonly string[], robots: readonly string[], userId: number, now: Date): Promise<Claimed[] | Throttled> {
  const at = now.toISOString();
  try {
    const written = await db.batch([
      ...recordManualPosts(db, robots, roundId, userId, now),
      db.prepare(
        `INSERT INTO reminders (round_id, unit_id, day, kind, status, created_at, claimed_at, attempts)
         SELECT ?1, value, ?2, 'manual', 'sending', ?2, ?2, 1 FROM json_each(?3) RETURNING id, round_id, unit_id, kind`,
      ).bind(roundId, at, JSON.stringify(unitIds)),
    ]);
    return written.at(-1)!.results as Claimed[];
  } catch (e) {
    if (!/batch_guard/.test(String(e))) throw e;
    const refused = await manualLimit(db, robots, now); // the guard counts as the check does, so this finds it
    if (refused) return refused;
    throw e;
  }
}

interface Group { hook: Hook; robot: { id: string; path: string }; round: string; items: Claimed[] }

/** Claimed reminders grouped by round and robot; those with no robot in reach are answered as such. */
function groupByRobot(db: D1Database, routing: Routing, claimed: readonly Claimed[]): { groups: Group[]; outcomes: ReminderOutcome[]; finish: D1PreparedStatement[] } {
  const groups = new Map<string, Group>();
  const outcomes: ReminderOutcome[] = [];
  const finish: D1PreparedStatement[] = [];
  for (const c of claimed) {
    const robot = robotFor(routing, c.round_id, c.unit_id);
    if (!robot) {
      outcomes.push({ roundId: c.round_id, unitId: c.unit_id, status: "no_webhook" });
      finish.push(db.prepare("UPDATE reminders SET status = 'no_webhook', last_error = 'no group robot at or below the round''s owner' WHERE id = ?").bind(c.id));
      continue;
    }
    const k = key(c.round_id, robot.id);
    const g = groups.get(k) ?? { hook: routing.hooks.get(robot.id)!, robot, round: c.round_id, items: [] };
    g.items.push(c);
    groups.set(k, g);
  }
  return { groups: [...groups.values()], outcomes, finish };
}

/** Posts each group's message to its robot and records what happened, all in one batch at the end. */
async function send(db: D1Database, routing: Routing, claimed: readonly Claimed[], now: Date, daysLeftOf: (c: Claimed) => number, userId: number | null): Promise<ReminderOutcome[]> {
  if (claimed.length === 0) return [];
  const at = now.toISOString();
  const { groups, outcomes, finish } = groupByRobot(db, routing, claimed);
  // a unit further below the robot's than one level is named by its path below it (晋城市 / 市辖区): a
  // nation's robot chasing three 市辖区 tells them apart (review27 F5); a city's names its counties plainly
  const between = (g: Group, unitPath: string) => unitPath.slice(g.robot.path.length).split("/").filter(Boolean).slice(0, -1);
  const ancestorIds = [...new Set(groups.flatMap((g) => g.items.flatMap((c) => between(g, routing.units.get(c.unit_id)?.path ?? ""))))];
  const ancestorNames = new Map<string, string>();
  if (ancestorIds.length > 0) {
    const { results } = await db.prepare("SELECT id, name_zh FROM units WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ancestorIds)).all<{ id: string; name_zh: string }>();
    for (const r of results) ancestorNames.set(r.id, r.name_zh);
  }
  const nameBelow = (g: Group, c: Claimed): string => {
    const u = routing.units.get(c.unit_id);
    if (!u) return c.unit_id;
    return [...between(g, u.path).map((id) => ancestorNames.get(id) ?? id), u.name_zh].join(" / ");
  };
  for (const g of groups) {
    const round = routing.rounds.get(g.round);
    // units in the order the round lists them (the city's own order)
    const order = JSON.parse(round?.expected ?? "[]") as string[];
    g.items.sort((a, b) => order.indexOf(a.unit_id) - order.indexOf(b.unit_id));
    const title = round ? `${periodLabel(round.period, "zh")} ${round.name}` : g.round;
    const units = g.items.map((c) => routing.units.get(c.unit_id));
    const text = reminderText({ title, deadline: round?.deadline ?? at }, g.items.map((c) => ({ name: nameBelow(g, c), kind: c.kind, daysLeft: daysLeftOf(c), deadline: routing.ownDeadline.get(key(c.round_id, c.unit_id)) ?? null })), now);
    // only phones set at the robot's unit or above are @-mentioned in its group
    const phones = units.filter((u) => u && mayMention(u, g.robot.path)).map((u) => u!.contact_phone!);
    const error = await postReminder(g.hook, text, phones, now);
    const ids = JSON.stringify(g.items.map((c) => c.id));
    if (error === null) {
      finish.push(db.prepare("UPDATE reminders SET status = 'sent', sent_at = ?1, last_error = NULL WHERE id IN (SELECT value FROM json_each(?2))").bind(at, ids));
      for (const c of g.items) {
        finish.push(auditStatement(db, { userId, action: "reminder_sent", roundId: c.round_id, unitId: c.unit_id, detail: { kind: c.kind, daysLeft: daysLeftOf(c), robot: g.robot.id, via: g.hook.kind } }, at));
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
