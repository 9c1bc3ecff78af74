import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { checkIntegritySlice } from "../integrity/d1";
import { CURSOR } from "../integrity/run";
import { defineRoute } from "./define";

export const integrityRoutes = new Hono<AppEnv>();

defineRoute(integrityRoutes, {
  method: "get", path: "/integrity",
  summary: "Integrity check of your subtree, one request's worth at a time: every round owned there recomputed from stored revisions, hierarchy, expected units, audit sequence. When `complete` is false, call again with `?cursor=` set to `next`",
  roles: ["admin"],
  query: z.strictObject({ cursor: z.string().regex(CURSOR, "a cursor as returned in `next`").default("").describe("Where the previous call stopped (its `next`); empty to start") }),
}, async (c, { query }) => c.json(await checkIntegritySlice(c.env.DB, c.var.user.unitPath, new Date(), query.cursor)));
