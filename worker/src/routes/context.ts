import type { Context } from "hono";
import type { CompiledTemplate } from "@tianbao/shared";
import type { AppEnv, SessionUser } from "../env";
import { failure, forbidden, notFound, ok, type Result } from "../errors";
import { findRoundUnder, type RoundRow } from "../db/rounds";
import { loadCompiled } from "../db/templates";
import { findUnitUnder } from "../db/units";

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

export const CITY_ROLES = ["admin", "reviewer"] as const;
export const READ_ROLES = ["admin", "reviewer", "viewer"] as const;
export const ALL_ROLES = ["admin", "reviewer", "reporter", "viewer"] as const;
