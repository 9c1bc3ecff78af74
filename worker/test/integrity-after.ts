import { afterAll, expect } from "vitest";
import { env } from "cloudflare:workers";
import { checkIntegrity } from "../src/integrity/d1";

// After every Worker test file — fuzzing, concurrency, uploads, workflows alike — the integrity
// check recomputes every round's totals from the stored revisions and must find nothing.
afterAll(async () => {
  const report = await checkIntegrity(env.DB, "/", new Date());
  expect(report.problems.map((p) => `[${p.kind}] ${p.roundId ?? "-"} ${p.unitId ?? "-"}: ${p.message.en}`)).toEqual([]);
});
