import { Hono } from "hono";
import { CreateRoundRequestSchema, ExtendDeadlineRequestSchema, ReopenRequestSchema, RoundViewSchema, beijingText as bj, isCoarser, parsePeriod, pathIds, periodLabel, reviewLevelPaths, type CreateRoundRequest, type RoundView } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply, type Failure } from "../errors";
import { auditIfCreated, auditStatement } from "../db/audit";
import { explainRoundBody } from "./round-form";
import { closeRound, findRoundUnit, freeRoundId, insertRound, isClosed, laterDeadline, levelDeadline, levelDeadlinesOf, listRoundsUnder, setRoundDeadline, setUnitDeadline, type RoundRow } from "../db/rounds";
import { findLevel, setLevelDeadline } from "../db/levels";
import { findReadableTemplate, loadCompiled } from "../db/templates";
import { listUnitsUnder } from "../db/units";
import { reviewSubmission } from "../workflow/review";
import { ALL_ROLES, loadRound, loadUnit, mayManageRound, mayReview } from "./context";
import { defineRoute } from "./define";
import { unitRef } from "../unit-refs";

export const roundRoutes = new Hono<AppEnv>();

/**
 * A round as the caller sees it. To a unit that reports in it, the deadline is its own effective
 * one (the later of the round's and an extension for that unit) and `closed` says whether it can
 * still submit (a reopened unit can); to everyone else, the round's. Of its expected units and
 * review levels, only those in the caller's subtree (chosen in SQL by path): a county sees itself,
 * a city its own units, the province all of them.
 */
async function roundView(db: D1Database, r: RoundRow, now: Date): Promise<RoundView> {
  const compiled = await loadCompiled(db, r.template_id, r.template_version);
  const own = r.own_expected === 1;
  const levels = JSON.parse(r.levels) as string[];
  const ownLevel = r.own_level ? (JSON.parse(r.own_level) as { deadline: string | null; level: string }) : null;
  const owner = await db.prepare("SELECT name_zh, name_en, level FROM units WHERE id = ?").bind(r.owner_unit_id).first<{ name_zh: string; name_en: string; level: RoundView["ownerLevel"] }>();
  return {
    id: r.id, templateId: r.template_id, templateVersion: r.template_version,
    templateName: compiled?.template.name ?? { zh: r.template_id, en: r.template_id },
    period: r.period,
    deadline: own ? laterDeadline(r.deadline, r.own_deadline) : r.deadline,
    ownerUnitId: r.owner_unit_id,
    ...(owner ? { ownerName: { zh: owner.name_zh, en: owner.name_en }, ownerLevel: owner.level } : {}),
    closed: own ? r.own_reopened !== 1 && isClosed(r, now, r.own_deadline) : isClosed(r, now),
    closedAt: r.closed_at,
    expectedUnitIds: JSON.parse(r.visible_expected) as string[],
    ...(levels.length > 0 ? { levelUnitIds: JSON.parse(r.visible_levels) as string[], levelDeadlines: levelDeadlinesOf(r) } : {}),
    ...(ownLevel ? { levelDeadline: levelDeadline(r, ownLevel.level, ownLevel.deadline) } : {}),
  };
}

defineRoute(roundRoutes, { method: "get", path: "/rounds", summary: "Rounds in which your unit or a unit below it reports", roles: ALL_ROLES, response: z.array(RoundViewSchema) }, async (c) => {
  const now = new Date();
  const rows = await listRoundsUnder(c.env.DB, c.var.user.unitPath);
  return c.json(await Promise.all(rows.map((r) => roundView(c.env.DB, r, now))));
});

defineRoute(roundRoutes, { method: "get", path: "/rounds/:id", summary: "One round", roles: ALL_ROLES, response: RoundViewSchema }, async (c) => {
  const r = await loadRound(c, c.req.param("id")!);
  return r.ok ? c.json(await roundView(c.env.DB, r.value.round, new Date())) : reply(c, r);
});

defineRoute(roundRoutes, { method: "post", path: "/rounds", summary: "Open a round: template version, period, deadline, expected units (the round's code is made from the owner and period when left out)", roles: ["admin"], body: CreateRoundRequestSchema, response: RoundViewSchema, explainBody: explainRoundBody }, async (c, { body }) => {
  const db = c.env.DB;
  const user = c.var.user;
  const template = await findReadableTemplate(db, user, body.templateId, body.templateVersion);
  if (!template) return reply(c, failure(404, "not_found", `找不到模板「${body.templateId}」第 ${body.templateVersion} 版`, `No template '${body.templateId}' version ${body.templateVersion}`, { where: "body.templateVersion" }));
  if (template.status !== "published") return reply(c, failure(409, "template_invalid", "只能用已发布的模板开启填报轮次", "Only a published template can be used for a round", { where: "body.templateVersion" }));
  // a template with 本年累计 columns (flows) may also be collected by the quarter, half-year or year its periods
  // make up (issue 24): a period without a report of its own is then made of its parts
  const periodType = parsePeriod(body.period)?.type;
  const accumulates = template.form?.tables.some((t) => t.kind !== "detail" && t.ytd === true) ?? false;
  if (periodType !== template.periodType && !(accumulates && periodType !== undefined && isCoarser(periodType, template.periodType))) {
    return reply(c, failure(422, "invalid_body", `模板「${template.name.zh}」的填报周期与「${body.period}」不符`, `Template '${template.name.en}' is ${template.periodType}; '${body.period}' is not`, { where: "body.period" }));
  }
  const below = new Map((await listUnitsUnder(db, user.unitPath)).filter((u) => u.id !== user.unitId).map((u) => [u.id, u]));
  const outside = body.expectedUnitIds.filter((id) => !below.has(id));
  if (outside.length > 0) return reply(c, failure(422, "invalid_body", `这些单位不在本单位下级：${outside.join("、")}`, `These units are not below your unit: ${outside.join(", ")}`, { where: "body.expectedUnitIds" }));
  if (new Set(body.expectedUnitIds).size !== body.expectedUnitIds.length) return reply(c, failure(422, "invalid_body", "应报单位有重复", "Expected units are listed twice", { where: "body.expectedUnitIds" }));
  // A unit's figures are already in its ancestors' totals: expecting both would count them twice.
  const expected = new Set(body.expectedUnitIds);
  for (const id of body.expectedUnitIds) {
    for (let p = below.get(id)?.parentId ?? null; p !== null && below.has(p); p = below.get(p)!.parentId) {
      if (expected.has(p)) {
        return reply(c, failure(422, "invalid_body", `应报单位「${unitRef(p)}」与其下级「${unitRef(id)}」不能同时列入（下级数据已计入上级合计）`, `Expected units cannot include both '${unitRef(p)}' and '${unitRef(id)}' below it (the lower unit's figures are already in the upper one's totals)`, { where: "body.expectedUnitIds" }));
      }
    }
  }
  // One report per unit, template and period from one owner, as the round form opens them (the code
  // made by the server): a second round of the same would give a county two identical cards and two
  // fill sheets it could mix up (issue 22). A client that names the round's code itself opens a second
  // collection deliberately (a 补报, a re-collection), and may.
  const twin = body.id !== undefined ? null : await db.prepare(
    `SELECT ru.unit_id FROM rounds r JOIN round_units ru ON ru.round_id = r.id
     WHERE r.owner_unit_id = ?1 AND r.template_id = ?2 AND r.period = ?3 AND ru.unit_id IN (SELECT value FROM json_each(?4)) LIMIT 1`,
  ).bind(user.unitId, template.id, body.period, JSON.stringify(body.expectedUnitIds)).first<{ unit_id: string }>();
  if (twin) {
    const unitName = below.get(twin.unit_id)?.name;
    return reply(c, failure(409, "conflict", `本单位已开启「${template.name.zh}」${periodLabel(body.period, "zh")}的填报轮次，「${unitName?.zh ?? twin.unit_id}」等单位已在其中；如需延长截止时间或重新打开，请在该轮次的填报进度中操作`,
      `Your unit already has a round of '${template.name.en}' for ${periodLabel(body.period, "en")} expecting '${unitName?.en ?? twin.unit_id}' and others; extend its deadline or reopen units on that round's board instead`, { where: "body.period" }));
  }
  // Every unit between the owner and an expected unit reviews the units below it and reports upward
  // (stored by insertRound from the units' paths; found here to check the upward deadlines).
  const paths = new Map<string, string>();
  for (const u of below.values()) paths.set(u.id, `${u.parentId === user.unitId ? user.unitPath : paths.get(u.parentId ?? "") ?? "?"}${u.id}/`);
  const levelUnitIds = reviewLevelPaths(user.unitPath, body.expectedUnitIds.map((id) => paths.get(id)!)).map((p) => pathIds(p).pop()!);
  const levelsRefused = checkLevelDeadlines(body, new Set(levelUnitIds.map((id) => below.get(id)!.level)));
  if (levelsRefused) return reply(c, levelsRefused);
  const now = new Date().toISOString();
  // the admin need not invent a code: the owner and period make one (jincheng_2026, jincheng_2026_2…);
  // a generated code taken meanwhile by a concurrent opening is tried once more with the next one
  let id = body.id;
  for (let attempt = 0; ; attempt++) {
    const rid = id ?? (await freeRoundId(db, user.unitId, body.period));
    if (rid === null) return reply(c, failure(409, "conflict", "本单位这一填报期的轮次太多，请填写一个轮次代码", "Too many rounds of this period for your unit; give the round a code", { where: "body.id" }));
    try {
      await db.batch([
        ...insertRound(db, { ...body, id: rid, ownerUnitId: user.unitId }, user.id, now),
        auditStatement(db, { userId: user.id, action: "round_create", roundId: rid, unitId: user.unitId, detail: { period: body.period, deadline: body.deadline, ...(body.levelDeadlines ? { levelDeadlines: body.levelDeadlines } : {}) } }, now),
      ]);
      id = rid;
      break;
    } catch (e) {
      if (!/UNIQUE|constraint/i.test(String(e))) throw e;
      if (body.id !== undefined || attempt > 0) return reply(c, failure(409, "conflict", `填报轮次代码「${rid}」已被使用`, `Round id '${rid}' is already used`, { where: "body.id" }));
    }
  }
  const created = await loadRound(c, id);
  return created.ok ? c.json(await roundView(db, created.value.round, new Date()), 201) : reply(c, created);
});

const LEVEL_NAMES: Record<string, { zh: string; en: string }> = { province: { zh: "省级", en: "province" }, city: { zh: "市级", en: "city" }, county: { zh: "县级", en: "county" } };

/** Upward deadlines name levels this round has, and none is before the units' own deadline. */
function checkLevelDeadlines(body: CreateRoundRequest, levels: ReadonlySet<string>): Failure | null {
  for (const [level, at] of Object.entries(body.levelDeadlines ?? {})) {
    if (at === undefined) continue;
    const name = LEVEL_NAMES[level]!;
    const where = `body.levelDeadlines.${level}`;
    if (!levels.has(level)) {
      return failure(422, "invalid_body", `本轮没有${name.zh}审核层级（应报单位直接向发起单位报送），不能设置${name.zh}上报截止时间`, `This round has no ${name.en} review level (its expected units report straight to the owner), so it takes no ${name.en} upward deadline`, { where });
    }
    if (Number.isNaN(Date.parse(at))) return failure(422, "invalid_body", `${name.zh}上报截止时间 ${at} 不是有效的日期`, `The ${name.en} upward deadline ${at} is not a real date`, { where });
    if (Date.parse(at) < Date.parse(body.deadline)) {
      return failure(422, "invalid_body", `${name.zh}上报截止时间 ${bj(at).zh}早于填报截止时间 ${bj(body.deadline).zh}：上级须在下级填报之后才能上报`, `The ${name.en} upward deadline ${bj(at).en} is before the reporting deadline ${bj(body.deadline).en}: a level reports upward after the units below it`, { where });
    }
  }
  // a level above reports after the level below it: the county level's deadline ≤ the city's ≤ the province's
  const order = ["county", "city", "province"] as const;
  const given = order.flatMap((l) => { const at = body.levelDeadlines?.[l]; return at === undefined ? [] : [[l, at] as const]; });
  for (let i = 1; i < given.length; i++) {
    const [lower, lowerAt] = given[i - 1]!;
    const [upper, upperAt] = given[i]!;
    if (Date.parse(upperAt) < Date.parse(lowerAt)) {
      const [u, l] = [LEVEL_NAMES[upper]!, LEVEL_NAMES[lower]!];
      return failure(422, "invalid_body", `${u.zh}上报截止时间 ${bj(upperAt).zh}早于${l.zh}上报截止时间 ${bj(lowerAt).zh}：上级须在下级上报之后才能上报`, `The ${u.en} upward deadline ${bj(upperAt).en} is before the ${l.en} upward deadline ${bj(lowerAt).en}: a level reports upward after the level below it`, { where: `body.levelDeadlines.${upper}` });
    }
  }
  return null;
}

defineRoute(roundRoutes, { method: "post", path: "/rounds/:id/reopen", summary: "Reopen a unit: unlock its approved report and let it in after the deadline", roles: ["admin"], body: ReopenRequestSchema }, async (c, { body }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, body.unitId, "read");
  if (!unit.ok) return reply(c, unit);
  if ((JSON.parse(r.value.round.levels) as string[]).includes(unit.value.id)) {
    // an approved level's figures are in the accepted totals above it and its subtree is locked: final for the round
    return reply(c, failure(409, "conflict", `「${unitRef(unit.value.id)}」是本轮的审核层级，其上报审核通过后在本轮内不能撤销；如需更正，请开启新的填报轮次`, `'${unitRef(unit.value.id)}' is a review level of this round; approving its upward submission is final for the round — open a new round to correct it`, { where: "body.unitId" }));
  }
  if (!(JSON.parse(r.value.round.expected) as string[]).includes(unit.value.id)) {
    return reply(c, failure(404, "not_found", `单位「${unitRef(unit.value.id)}」不在本轮填报范围内`, `Unit '${unitRef(unit.value.id)}' is not expected to report in this round`, { where: "body.unitId" }));
  }
  const allowed = mayReview(c.var.user, r.value.round, unit.value.path);
  if (!allowed.ok) return reply(c, allowed);
  // the reason is kept in the audit and, on an approved report, shown to the unit as its comment
  const done = await reviewSubmission(c.env.DB, r.value.compiled, r.value.round, unit.value.id, c.var.user, "reopen", body.reason ? body.reason : null, new Date());
  return done.ok ? c.json(done.value) : reply(c, done);
});

const changedMeanwhile = () =>
  failure(409, "conflict", "本轮的截止时间或状态刚刚被其他人修改，请刷新后再操作", "This round's deadline or state was just changed by someone else; refresh and try again");

defineRoute(roundRoutes, {
  method: "post", path: "/rounds/:id/deadline", roles: ["admin"], body: ExtendDeadlineRequestSchema, response: RoundViewSchema,
  summary: "延期: move the round's deadline later, or (with unitId) set one expected unit's own deadline (any future time from the round's on; the round's own clears it); the round's owner or a unit above it",
}, async (c, { body }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const { round } = r.value;
  const allowed = mayManageRound(c.var.user, round);
  if (!allowed.ok) return reply(c, allowed);
  if (round.closed_at !== null) {
    return reply(c, failure(409, "round_closed", `本轮已于 ${bj(round.closed_at).zh}提前结束，不能再延期；如需让某单位补报，请重新打开该单位`, `This round was closed early at ${bj(round.closed_at).en} and cannot be extended; reopen a unit to let it report`));
  }
  const db = c.env.DB;
  const now = new Date();
  const to = Date.parse(body.deadline);
  let unit: { id: string; deadline: string | null; level: string | null } | null = null;
  if (body.unitId !== undefined) {
    if ((JSON.parse(round.expected) as string[]).includes(body.unitId)) {
      unit = { id: body.unitId, deadline: (await findRoundUnit(db, round.id, body.unitId))?.deadline ?? null, level: null };
    } else if ((JSON.parse(round.levels) as string[]).includes(body.unitId)) {
      // a review level: its upward deadline (to the unit above it)
      const [lv, u] = await Promise.all([findLevel(db, round.id, body.unitId), db.prepare("SELECT level FROM units WHERE id = ?").bind(body.unitId).first<{ level: string }>()]);
      unit = { id: body.unitId, deadline: lv?.deadline ?? null, level: u?.level ?? "" };
    } else {
      return reply(c, failure(422, "invalid_body", `单位「${unitRef(body.unitId)}」不在本轮填报范围内，也不是本轮的审核层级，不能为其延期`, `Unit '${unitRef(body.unitId)}' neither reports in this round nor is one of its review levels, so it has no deadline to extend`, { where: "body.unitId" }));
    }
  }
  if (Number.isNaN(to)) {
    return reply(c, failure(422, "invalid_body", `截止时间 ${body.deadline} 不是有效的日期`, `The deadline ${body.deadline} is not a real date`, { where: "body.deadline" }));
  }
  if (!(to > now.getTime())) {
    return reply(c, failure(422, "invalid_body", `新的截止时间 ${bj(body.deadline).zh}已经过去，请选择将来的时间`, `The new deadline ${bj(body.deadline).en} is in the past; choose a time in the future`, { where: "body.deadline" }));
  }
  // a unit is never due after the level it reports to must report upward: extend that level first
  if (unit !== null) {
    const above = await db.prepare(
      `SELECT p.id, p.level, rl.deadline FROM units u JOIN units p ON p.id = u.parent_id JOIN round_levels rl ON rl.round_id = ?1 AND rl.unit_id = p.id WHERE u.id = ?2`,
    ).bind(round.id, unit.id).first<{ id: string; level: string; deadline: string | null }>();
    const upward = above ? levelDeadline(round, above.level, above.deadline) : null;
    if (above && upward !== null && to > Date.parse(upward)) {
      return reply(c, failure(422, "invalid_body", `单位「${unitRef(unit.id)}」的截止时间 ${bj(body.deadline).zh}晚于其上级「${unitRef(above.id)}」的上报截止时间 ${bj(upward).zh}：请先延长上级的上报截止时间`, `Unit '${unitRef(unit.id)}''s deadline ${bj(body.deadline).en} is after '${unitRef(above.id)}''s upward deadline ${bj(upward).en}: extend that level's upward deadline first`, { where: "body.deadline" }));
    }
  }
  const isLevel = unit !== null && unit.level !== null;
  const from = !unit ? round.deadline : unit.level !== null ? levelDeadline(round, unit.level, unit.deadline) : laterDeadline(round.deadline, unit.deadline);
  // An expected unit's own deadline may move either way (a mistyped year can be put right) but never
  // before the round's: the round's own deadline clears the extension. The round's deadline and a
  // level's upward deadline only move later.
  const clears = unit !== null && !isLevel && to === Date.parse(round.deadline);
  const refused = unit !== null && !isLevel
    ? to < Date.parse(round.deadline) || (to === Date.parse(from) && !clears) || (clears && unit.deadline === null)
    : !(to > Date.parse(from));
  if (refused) {
    const whose = isLevel ? { zh: `单位「${unitRef(unit!.id)}」当前的上报截止时间`, en: `unit '${unitRef(unit!.id)}''s current upward deadline` } : { zh: "本轮当前的截止时间", en: "the round's current deadline" };
    const why = unit !== null && !isLevel
      ? { zh: `单位「${unitRef(unit.id)}」的截止时间不能早于本轮的截止时间 ${bj(round.deadline).zh}，且应与当前的 ${bj(from).zh}不同`, en: `unit '${unitRef(unit.id)}''s deadline cannot be before the round's ${bj(round.deadline).en} and must differ from its current ${bj(from).en}` }
      : { zh: `截止时间只能延后：${bj(body.deadline).zh}不晚于${whose.zh} ${bj(from).zh}`, en: `A deadline only moves later: ${bj(body.deadline).en} is not after ${whose.en} ${bj(from).en}` };
    return reply(c, failure(422, "invalid_body", why.zh, why.en, { where: "body.deadline" }));
  }
  const at = now.toISOString();
  const audit = { userId: c.var.user.id, action: "deadline_extend", roundId: round.id, unitId: unit?.id ?? round.owner_unit_id, detail: { from, to: body.deadline, ...(unit ? { unit: unit.id } : {}), ...(unit && unit.level !== null ? { upward: true } : {}) } };
  const [changed] = await db.batch([
    !unit ? setRoundDeadline(db, round.id, round.deadline, body.deadline)
      : unit.level !== null ? setLevelDeadline(db, round.id, unit.id, unit.deadline, body.deadline) : setUnitDeadline(db, round.id, unit.id, unit.deadline, clears ? null : body.deadline),
    // recorded only if the deadline was still what was read above
    auditIfCreated(db, audit, at),
  ]);
  if (changed!.meta.changes === 0) return reply(c, changedMeanwhile());
  const after = await loadRound(c, round.id);
  return after.ok ? c.json(await roundView(db, after.value.round, new Date())) : reply(c, after);
});

defineRoute(roundRoutes, {
  method: "post", path: "/rounds/:id/close", roles: ["admin"], response: RoundViewSchema,
  summary: "提前结束: close a round before its deadline (only reopened units may submit after); the round's owner or a unit above it; closing again changes nothing",
}, async (c) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const { round } = r.value;
  const allowed = mayManageRound(c.var.user, round);
  if (!allowed.ok) return reply(c, allowed);
  const db = c.env.DB;
  if (round.closed_at === null) {
    const at = new Date().toISOString();
    // a close that lost a race to another close changes nothing and records nothing
    await db.batch([closeRound(db, round.id, at), auditIfCreated(db, { userId: c.var.user.id, action: "round_close", roundId: round.id, unitId: round.owner_unit_id, detail: { deadline: round.deadline } }, at)]);
  }
  const after = await loadRound(c, round.id);
  return after.ok ? c.json(await roundView(db, after.value.round, new Date())) : reply(c, after);
});
