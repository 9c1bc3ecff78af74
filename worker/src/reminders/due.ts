// Which reminders (催报) are due: pure, so the schedule is tested without a clock or a network.
import { NAME_MAX, TITLE_MAX, plainName } from "./plain";

export const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** The calendar day in Beijing (UTC+8, no daylight saving) of an instant, as 2025-06-01. */
export const beijingDay = (at: Date): string => new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
/** The hour in Beijing (0–23). */
export const beijingHour = (at: Date): number => new Date(at.getTime() + BEIJING_MS).getUTCHours();

export interface ReminderPolicy {
  /** Remind units that have not submitted from this many days before the deadline. */
  daysBefore: number;
  /** Keep reminding late units for this many days after the deadline. */
  lateDays: number;
}
export const DEFAULT_POLICY: ReminderPolicy = { daysBefore: 3, lateDays: 30 };

export interface OpenUnit {
  roundId: string;
  unitId: string;
  /** The round's deadline. */
  deadline: string;
  state: "not_started" | "submitted" | "returned" | "approved";
  /** The unit's own deadline when it was extended for it alone (the later of the two counts). */
  unitDeadline?: string | null;
  /** When the round was closed early: nobody is reminded about it any more. */
  closedAt?: string | null;
}

/** A unit's effective deadline: the later of the round's and its own (compared as instants). */
export const effectiveDeadline = (u: { deadline: string; unitDeadline?: string | null }): string =>
  u.unitDeadline && Date.parse(u.unitDeadline) > Date.parse(u.deadline) ? u.unitDeadline : u.deadline;
export interface Due { roundId: string; unitId: string; kind: "due" | "late"; /** Whole days to the deadline (0 on its last day); negative when late. */ daysLeft: number }

/**
 * Units that have not submitted (never, or returned to them) get a "due" reminder each day from
 * `daysBefore` days before the deadline until it passes, then a "late" reminder each day for
 * `lateDays` days. Days are counted in Beijing time: 3 days before a deadline on 1 July is 28 June.
 * Each unit's deadline is its effective one (an extension for it counts); a round closed early
 * reminds nobody.
 */
export function dueReminders(units: readonly OpenUnit[], now: Date, policy: ReminderPolicy = DEFAULT_POLICY): Due[] {
  const today = Date.parse(`${beijingDay(now)}T00:00:00Z`);
  const out: Due[] = [];
  for (const u of units) {
    if (u.state === "submitted" || u.state === "approved" || u.closedAt) continue;
    const deadline = new Date(effectiveDeadline(u));
    if (Number.isNaN(deadline.getTime())) continue;
    const daysLeft = Math.round((Date.parse(`${beijingDay(deadline)}T00:00:00Z`) - today) / DAY_MS);
    const passed = deadline.getTime() < now.getTime();
    if (!passed && daysLeft <= policy.daysBefore) out.push({ roundId: u.roundId, unitId: u.unitId, kind: "due", daysLeft: Math.max(0, daysLeft) });
    else if (passed && -daysLeft <= policy.lateDays) out.push({ roundId: u.roundId, unitId: u.unitId, kind: "late", daysLeft: Math.min(0, daysLeft) });
  }
  return out;
}

/**
 * The message a group robot posts, in Chinese: the round, the deadline, who is missing and who is
 * late. Every name is shown as plain words on its line (plain.ts): a name set below the robot's unit
 * cannot write a message of its own.
 */
export function reminderText(
  round: { title: string; deadline: string },
  units: readonly { name: string; kind: "due" | "late" | "manual"; daysLeft: number; /** The unit's own later deadline, if extended. */ deadline?: string | null }[],
  now: Date,
): string {
  const deadline = new Date(round.deadline);
  const shown = `${beijingDay(deadline)} ${new Date(deadline.getTime() + BEIJING_MS).toISOString().slice(11, 16)}`;
  const dueOf = (u: { deadline?: string | null }) => Date.parse(effectiveDeadline({ deadline: round.deadline, unitDeadline: u.deadline ?? null }));
  const late = units.filter((u) => u.daysLeft < 0 || (u.kind !== "due" && dueOf(u) < now.getTime()));
  const due = units.filter((u) => !late.includes(u));
  // a unit given a later deadline of its own is named with it
  const named = (u: { name: string; deadline?: string | null }) => {
    const own = u.deadline && Date.parse(u.deadline) > deadline.getTime() ? new Date(u.deadline) : null;
    const name = plainName(u.name, NAME_MAX) || "（无名称）";
    return own ? `${name}（延至 ${beijingDay(own)} ${new Date(own.getTime() + BEIJING_MS).toISOString().slice(11, 16)}）` : name;
  };
  const lines = [`【催报】${plainName(round.title, TITLE_MAX)}，截止时间 ${shown}（北京时间）。`];
  if (due.length > 0) {
    const left = Math.max(0, Math.min(...due.map((u) => u.daysLeft)));
    lines.push(`${left === 0 ? "今天截止" : `还有 ${left} 天截止`}，尚未上报：${due.map(named).join("、")}。`);
  }
  if (late.length > 0) {
    const days = Math.max(1, ...late.map((u) => -u.daysLeft));
    lines.push(`已逾期${days > 1 ? `（最多 ${days} 天）` : ""}：${late.map(named).join("、")}。`);
  }
  lines.push("请尽快登录天宝填报完成上报；已退回的报表请按审核意见修改后重新上报。");
  return lines.join("\n");
}
