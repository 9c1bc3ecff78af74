import { app } from "./app";
import { checkIntegrity } from "./integrity/d1";

export default {
  fetch: app.fetch,
  /** Daily (wrangler.toml [triggers]): the integrity check over everything, logged for Workers Logs. */
  async scheduled(_controller, env) {
    const report = await checkIntegrity(env.DB, "/", new Date());
    const line = JSON.stringify({ integrity: report.problems.length === 0 ? "ok" : "problems", ...report });
    if (report.problems.length === 0) console.log(line);
    else console.error(line);
  },
} satisfies ExportedHandler<Env>;
