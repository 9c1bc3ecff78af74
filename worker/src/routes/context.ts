import type { Context } from "hono";
import type { CompiledTemplate } from "@tianbao/shared";
import type { AppEnv, SessionUser } from "../env";
import { failure, forbidden, notFound, ok, type Result } from "../errors";
import { findRoundUnder, type RoundRow } from "../db/rounds";
import { loadCompiled } from "../db/templates";
import { findUnitUnder } from "../db/units";
import { unitRef } from "../unit-refs";

const ROUND = { zh: "填报轮次", en: "round" };
const UNIT = { zh: "单位", en: "unit" };

/** A round the caller may see (scoped in SQL), with its compiled template. */
export async function loadRound(c: Context<AppEnv>, id: string): Promise<Result<{ round: RoundRow; compiled: CompiledTemplate }>> {
  const round = await findRoundUnder(c.env.DB, c.var.user.unitPath, id);
  if (!round) return notFound(ROUND, id);
  const compiled = await loadCompiled(c.env.DB, round.template_id, round.template_version);
  if (!compiled) return failure(409, "template_invalid", "本轮使用的模板不可用", "This round's template cannot be used");
  return ok({ round, compiled });
}

/**
 * A unit the caller may act on: anywhere in its subtree to read or review; a reporter writes for
 * its own unit only. Units outside the subtree are refused by name, so the message says whose.
 */
export async function loadUnit(c: Context<AppEnv>, unitId: string, mode: "read" | "write"): Promise<Result<{ id: string; path: string }>> {
  const user: SessionUser = c.var.user;
  const unit = await findUnitUnder(c.env.DB, user.unitPath, unitId);
  if (!unit) {
    return unitId === user.unitId ? notFound(UNIT, unitId) : forbidden(`您只能查看本单位（${user.unitName.zh}）及下级单位的数据`, `You can only see figures of your unit (${user.unitName.en}) and the units below it`);
  }
  if (mode === "write" && user.role === "reporter" && unit.id !== user.unitId) {
    return forbidden(`您只能填报本单位（${user.unitName.zh}）的数据`, `You can only report for your own unit (${user.unitName.en})`);
  }
  return ok({ id: unit.id, path: unit.path });
}

/**
 * Authority comes from above, one level at a time: a report (or a review level's upward
 * submission) is returned, approved or reopened by its unit's parent only. When the parent is the
 * round's owner, the owner or any unit above it may (as for every single-level round); when the
 * parent is a review level between the owner and the unit (a city in a province's round), that
 * level alone — never the owner or a unit above it directly, never the unit itself, a sibling or
 * a unit below. All exact comparisons of unit paths.
 */
export function mayReview(user: SessionUser, round: RoundRow, unitPath: string): Result<true> {
  const parentPath = unitPath.slice(0, unitPath.slice(0, -1).lastIndexOf("/") + 1);
  const parentId = parentPath.split("/").filter(Boolean).pop() ?? "";
  const belowOwner = unitPath.startsWith(round.owner_path) && unitPath !== round.owner_path;
  if (belowOwner && parentPath === round.owner_path && round.owner_path.startsWith(user.unitPath)) return ok(true);
  if (belowOwner && parentPath !== round.owner_path && user.unitPath === parentPath) return ok(true);
  if (belowOwner && parentPath !== round.owner_path) {
    return forbidden(
      `单位「${unitRef(unitPath.split("/").filter(Boolean).pop()!)}」由其直接上级「${unitRef(parentId)}」审核；本轮逐级上报，其他单位（包括本轮发起单位「${unitRef(round.owner_unit_id)}」）都不能直接审核它`,
      `'${unitRef(unitPath.split("/").filter(Boolean).pop()!)}' is reviewed by its direct parent '${unitRef(parentId)}' only: this round reports level by level, so no other unit (the round's owner '${unitRef(round.owner_unit_id)}' included) reviews it directly`,
    );
  }
  return forbidden(
    `只有本轮的发起单位（${unitRef(round.owner_unit_id)}）或其上级单位可以审核；任何单位都不能审核本单位或上级单位的数据`,
    `Only the unit that opened this round (${unitRef(round.owner_unit_id)}) or a unit above it may review; no unit reviews its own report or one above it`,
  );
}

/**
 * A round is extended or closed only by an administrator of the unit that opened it or of a unit
 * above it: the round belongs to its owner, and a unit that reports in it never changes its terms.
 */
export function mayManageRound(user: SessionUser, round: RoundRow): Result<true> {
  if (user.role === "admin" && round.owner_path.startsWith(user.unitPath)) return ok(true);
  return forbidden(
    `只有本轮的发起单位（${unitRef(round.owner_unit_id)}）或其上级单位的管理员可以延期或结束本轮`,
    `Only an administrator of the unit that opened this round (${unitRef(round.owner_unit_id)}) or of a unit above it may extend or close it`,
  );
}

/**
 * Whether the caller's unit lies strictly above a unit (never the unit itself): what a reviewer sees
 * beside a report (its siblings' median, its parent's totals) is for the units above it only.
 */
export function isAbove(user: SessionUser, unitPath: string): Result<true> {
  if (unitPath.startsWith(user.unitPath) && unitPath !== user.unitPath) return ok(true);
  return forbidden(
    "只有上级单位可以查看审核参考（同级单位的中位数和上级合计）",
    "Only a unit above this one may see the review context (its siblings' median and its parent's totals)",
  );
}

export const CITY_ROLES = ["admin", "reviewer"] as const;
export const READ_ROLES = ["admin", "reviewer", "viewer"] as const;
export const ALL_ROLES = ["admin", "reviewer", "reporter", "viewer"] as const;

/**
 * Writing a unit's report on its behalf is for the unit itself or the unit it reports to. In a
 * round reported level by level, a unit above that (the province, for a county under a city) never
 * replaces figures its city has not reviewed: authority is one level at a time.
 */
export function mayWriteReport(user: SessionUser, round: RoundRow, unit: { id: string; path: string }): Result<true> {
  if (unit.id === user.unitId) return ok(true);
  const ids = unit.path.split("/").filter(Boolean);
  const parent = ids.length >= 2 ? ids[ids.length - 2]! : null;
  const levels = JSON.parse(round.levels) as string[];
  if (parent !== null && levels.includes(parent) && parent !== user.unitId) {
    return forbidden(`「${unitRef(unit.id)}」向「${unitRef(parent)}」报送：只有本单位或「${unitRef(parent)}」可以代为填报`, `'${unitRef(unit.id)}' reports to '${unitRef(parent)}': only the unit itself or '${unitRef(parent)}' may report its figures`);
  }
  return ok(true);
}
