// Which group robot a reminder goes to, and whose phones it may @-mention. A robot speaks for the
// unit that set it up, in a group that unit's people read: it posts only about rounds that unit (or
// a unit above it) opened, and @-mentions only phones set at its unit or above.
import type { Hook, WebhookKind } from "./webhook";

export interface UnitRow {
  id: string;
  name_zh: string;
  path: string;
  contact_phone: string | null;
  /** The phone as last set through the API, and the path of the unit whose administrator set it. */
  contact_phone_set: string | null;
  contact_phone_set_by: string | null;
}
export interface RoundRow { id: string; period: string; deadline: string; owner_path: string; name: string; expected: string }

/** What a batch of reminders needs to be routed and written: the units, the robots, the rounds. */
export interface Routing {
  units: Map<string, UnitRow>;
  hooks: Map<string, Hook>;
  rounds: Map<string, RoundRow>;
  /** Units' own later deadlines, keyed by round and unit. */
  ownDeadline: Map<string, string>;
}

export const key = (roundId: string, unitId: string) => `${roundId}\u0000${unitId}`;

export async function loadRouting(db: D1Database, roundIds: readonly string[], unitIds: readonly string[]): Promise<Routing> {
  const [units, hooks, rounds, own] = await db.batch([
    db.prepare("SELECT id, name_zh, path, contact_phone, contact_phone_set, contact_phone_set_by FROM units WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(unitIds)),
    db.prepare("SELECT unit_id, kind, url, secret FROM unit_webhooks"),
    db.prepare(
      `SELECT r.id, r.period, r.deadline, o.path AS owner_path, json_extract(t.body, '$.name.zh') AS name,
         (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM round_units WHERE round_id = r.id ORDER BY rowid)) AS expected
       FROM rounds r JOIN units o ON o.id = r.owner_unit_id JOIN templates t ON t.id = r.template_id AND t.version = r.template_version
       WHERE r.id IN (SELECT value FROM json_each(?1))`,
    ).bind(JSON.stringify(roundIds)),
    db.prepare("SELECT round_id, unit_id, deadline FROM round_units WHERE deadline IS NOT NULL AND round_id IN (SELECT value FROM json_each(?1)) AND unit_id IN (SELECT value FROM json_each(?2))")
      .bind(JSON.stringify(roundIds), JSON.stringify(unitIds)),
  ]);
  return {
    units: new Map((units!.results as UnitRow[]).map((u) => [u.id, u])),
    hooks: new Map((hooks!.results as { unit_id: string; kind: WebhookKind; url: string; secret: string | null }[]).map((h) => [h.unit_id, { kind: h.kind, url: h.url, secret: h.secret }])),
    rounds: new Map((rounds!.results as RoundRow[]).map((r) => [r.id, r])),
    ownDeadline: new Map((own!.results as { round_id: string; unit_id: string; deadline: string }[]).map((r) => [key(r.round_id, r.unit_id), r.deadline])),
  };
}

/**
 * The robot a reminder about a unit goes to: the unit's own, or else the nearest one above it — but
 * never above the unit that opened the round, so a round reaches only groups of its owner and the
 * units below. Answers the robot's unit id and path, or null when there is none in that range.
 */
export function robotFor(routing: Routing, roundId: string, unitId: string): { id: string; path: string } | null {
  const unit = routing.units.get(unitId);
  const owner = routing.rounds.get(roundId)?.owner_path;
  if (!unit || !owner || !unit.path.startsWith(owner)) return null;
  const ids = unit.path.split("/").filter(Boolean);
  const top = owner.split("/").filter(Boolean).length - 1;
  for (let i = ids.length - 1; i >= top; i--) {
    if (routing.hooks.has(ids[i]!)) return { id: ids[i]!, path: `/${ids.slice(0, i + 1).join("/")}/` };
  }
  return null;
}

/**
 * Whether a robot at `robotPath` may @-mention the unit's contact: only a phone set at the robot's
 * unit or above. A phone not set through the API as it stands (changed some other way, or never
 * recorded) counts as set by the unit itself.
 */
export function mayMention(unit: UnitRow, robotPath: string): boolean {
  if (!unit.contact_phone) return false;
  const setBy = unit.contact_phone_set === unit.contact_phone && unit.contact_phone_set_by ? unit.contact_phone_set_by : unit.path;
  return robotPath.startsWith(setBy);
}
