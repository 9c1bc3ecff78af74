import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { errorBody } from "@tianbao/shared";
import type { AppEnv } from "./env";
import { ROUTES } from "./routes/define";
import { authRoutes } from "./routes/auth";
import { unitRoutes } from "./routes/units";
import { templateRoutes } from "./routes/templates";
import { roundRoutes } from "./routes/rounds";
import { submissionRoutes } from "./routes/submissions";
import { levelRoutes } from "./routes/levels";
import { totalsRoutes } from "./routes/totals";
import { exportRoutes } from "./routes/exports";
import { uploadRoutes } from "./routes/uploads";
import { demoRoutes } from "./routes/demo";
import { integrityRoutes } from "./routes/integrity";
import { directoryRoutes } from "./routes/directory";
import { accountRoutes } from "./routes/accounts";
import { reminderRoutes } from "./routes/reminders";
import { designerRoutes } from "./routes/designer";
import { buildOpenApi } from "./openapi";
import { meteredD1, type D1Meter } from "./db/meter";
import { nameUnitRefs } from "./unit-refs";

export const app = new Hono<AppEnv>().basePath("/api");

// The API is never framed; the add-in's pages (static assets) must stay framable by Office on the web.
app.use("*", secureHeaders({ xFrameOptions: "DENY", contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
app.use("*", async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});

// npm run bench only (D1_METER=on): D1 rows read and written by each request, in response headers.
app.use("*", async (c, next) => {
  if (c.env.D1_METER !== "on") return next();
  const meter: D1Meter = { read: 0, written: 0, queries: 0 };
  c.env = { ...c.env, DB: meteredD1(c.env.DB, meter) };
  await next();
  c.res.headers.set("x-d1-rows-read", String(meter.read));
  c.res.headers.set("x-d1-rows-written", String(meter.written));
  c.res.headers.set("x-d1-queries", String(meter.queries));
});

app.use("*", nameUnitRefs);

app.get("/health", (c) => c.json({ ok: true }));
app.route("/", authRoutes);
app.route("/", unitRoutes);
app.route("/", designerRoutes);
app.route("/", templateRoutes);
app.route("/", roundRoutes);
app.route("/", submissionRoutes);
app.route("/", levelRoutes);
app.route("/", totalsRoutes);
app.route("/", exportRoutes);
app.route("/", uploadRoutes);
app.route("/", demoRoutes);
app.route("/", integrityRoutes);
app.route("/", directoryRoutes);
app.route("/", accountRoutes);
app.route("/", reminderRoutes);

let openapi: ReturnType<typeof buildOpenApi> | null = null;
app.get("/openapi.json", (c) => c.json((openapi ??= buildOpenApi(ROUTES))));

app.notFound((c) => c.json(errorBody("not_found", `没有这个接口：${c.req.method} ${c.req.path}`, `No such route: ${c.req.method} ${c.req.path}`), 404));

// Anything unexpected: logged with its detail, answered with a generic 500 that reveals nothing.
app.onError((err, c) => {
  console.error("unhandled", c.req.method, c.req.path, err);
  return c.json(errorBody("internal", "服务器内部错误，请稍后重试", "Internal error; please try again later"), 500);
});
