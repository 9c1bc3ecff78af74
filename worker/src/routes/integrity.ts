import { Hono } from "hono";
import type { AppEnv } from "../env";
import { checkIntegrity } from "../integrity/d1";
import { defineRoute } from "./define";

export const integrityRoutes = new Hono<AppEnv>();

defineRoute(integrityRoutes, {
  method: "get", path: "/integrity",
  summary: "Integrity check: every round owned in your subtree recomputed from stored revisions; hierarchy, expected units, audit sequence",
  roles: ["admin"],
}, async (c) => c.json(await checkIntegrity(c.env.DB, c.var.user.unitPath, new Date())));
