// 立即催报 is limited per group robot, across rounds and whoever presses it: a group is not flooded
// by one desk clicking through its units, two desks at once, or a unit below using a round it may
// review. The daily reminders are not counted (they post once a day by design).
import { beijingText } from "@tianbao/shared";
import { failure, type Failure } from "../errors";

/** At most this many 立即催报 posts per robot in any hour. */
export const MANUAL_POSTS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

export type Throttled = Failure & { retryAfter: number };

/** The refusal for the first robot that has posted its hour's worth, or null when all may post. */
export async function manualLimit(db: D1Database, robots: readonly string[], now: Date): Promise<Throttled | null> {
  if (robots.length === 0) return null;
  const since = new Date(now.getTime() - HOUR_MS).toISOString();
  const answers = await db.batch([
    ...robots.map((r) => db.prepare("SELECT at FROM manual_posts WHERE robot = ?1 AND at > ?2 ORDER BY at DESC, id DESC LIMIT ?3").bind(r, since, MANUAL_POSTS_PER_HOUR)),
    db.prepare("SELECT id, name_zh, name_en FROM units WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(robots)),
  ]);
  const names = new Map((answers.at(-1)!.results as { id: string; name_zh: string; name_en: string }[]).map((u) => [u.id, u]));
  for (const [i, robot] of robots.entries()) {
    const posts = answers[i]!.results as { at: string }[];
    if (posts.length < MANUAL_POSTS_PER_HOUR) continue;
    // the oldest of the hour's posts leaves the window an hour after it was made
    const retryAt = new Date(Date.parse(posts.at(-1)!.at) + HOUR_MS);
    const when = beijingText(retryAt.toISOString());
    const name = names.get(robot) ?? { name_zh: robot, name_en: robot };
    return {
      ...failure(
        429, "rate_limited",
        `「${name.name_zh}」的群机器人 1 小时内已发送 ${MANUAL_POSTS_PER_HOUR} 次立即催报，请于 ${when.zh}后再试；每日自动催报照常发送。本次未发送任何消息`,
        `The group robot of '${name.name_en}' has posted ${MANUAL_POSTS_PER_HOUR} immediate reminders in the last hour; try again after ${when.en}. Daily reminders still go out. Nothing was sent`,
        { where: "body.unitIds" },
      ),
      retryAfter: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)),
    };
  }
  return null;
}

/**
 * A press's posts, to go in the batch that writes its reminders: a guard that aborts the batch when,
 * inside that same transaction, any of its robots has already posted its hour's worth (two desks
 * pressing at once both pass the check above; only one batch runs at a time), then one row per robot.
 */
export const recordManualPosts = (db: D1Database, robots: readonly string[], roundId: string, userId: number, now: Date): D1PreparedStatement[] => [
  db.prepare(
    `INSERT INTO batch_guard (ok) SELECT NOT EXISTS (SELECT 1 FROM json_each(?1) r WHERE
       (SELECT COUNT(*) FROM manual_posts WHERE robot = r.value AND at > ?2) >= ?3)`,
  ).bind(JSON.stringify(robots), new Date(now.getTime() - HOUR_MS).toISOString(), MANUAL_POSTS_PER_HOUR),
  db.prepare("INSERT INTO manual_posts (robot, round_id, user_id, at) SELECT value, ?2, ?3, ?4 FROM json_each(?1)").bind(JSON.stringify(robots), roundId, userId, now.toISOString()),
];
