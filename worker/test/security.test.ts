import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEMO_PAST_VALUES, ErrorBodySchema } from "@tianbao/shared";
import { seedProvinceDemo } from "../src/demo/seed";
import { api, countRows, ensureDemo, env, login } from "./helpers";

beforeAll(async () => {
  await ensureDemo();
  await seedProvinceDemo(env.DB);
});
const TABLES = ["revisions", "revision_values", "submissions", "totals", "audit", "rounds", "round_units", "templates", "idempotency"];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await countRows(t)] as const)));

// Bodies a careless or hostile client might send: valid shapes with one thing wrong, and noise.
const hostileValue = fc.oneof(
  fc.double({ noDefaultInfinity: false, noNaN: false }), fc.constantFrom(-0, 1e308, -1e308, 1.0000000000000002, 0.1 + 0.2, 2 ** 53 + 1),
  fc.string({ maxLength: 40 }), fc.constantFrom("=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "1e5", "١٢٣", "１２３", "  ", "null", "是", "否", "\u0000", "\ud800"),
  fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.string({ minLength: 3000, maxLength: 5000 }),
);
const codes = fc.constantFrom(...Object.keys(DEMO_PAST_VALUES.zezhou!), "no_such", "SUM", "__proto__", "constructor", "i0", "");
const submissionBody = fc.oneof(
  fc.record({ values: fc.dictionary(codes, hostileValue, { maxKeys: 8 }).map((v) => ({ ...DEMO_PAST_VALUES.zezhou!, ...v })) }, { noNullPrototype: true }),
  fc.record({ values: fc.dictionary(codes, hostileValue), comments: fc.dictionary(codes, fc.oneof(fc.string(), fc.integer())), acknowledgeWarnings: fc.oneof(fc.boolean(), fc.string()) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.constant(JSON.parse(`{"values":${"[".repeat(200)}${"]".repeat(200)}}`)),
);
const rawText = fc.oneof(fc.constantFrom("{", "NaN", "{\"values\": NaN}", "{\"values\": {\"products\": Infinity}}", "\u0000", "[]", "null", "\"x\""), fc.string({ maxLength: 200 }));

async function expectClean(res: Response): Promise<void> {
  expect(res.status, await res.clone().text()).toBeLessThan(500);
  if (res.status >= 400) expect(ErrorBodySchema.safeParse(await res.json()).success).toBe(true);
}

describe("bad input, fuzzed", () => {
  it("PUT submission: only 4xx with the shared error body, and never a partial write", { timeout: 300_000 }, async () => {
    const token = await login("zezhou");
    let tried = 0;
    let held = 0;
    let accepted = 0;
    await fc.assert(fc.asyncProperty(fc.oneof(submissionBody.map((b) => JSON.stringify(b)), rawText), async (body) => {
      const etag = (await api("/rounds/r2025/submissions/zezhou", { token })).headers.get("etag") ?? '"0"';
      const before = await counts();
      const res = await api("/rounds/r2025/submissions/zezhou", { method: "PUT", token, body, headers: { "content-type": "application/json", "if-match": etag } });
      await expectClean(res);
      const after = await counts();
      tried++;
      if (res.status >= 400) expect(after).toEqual(before);
      else { accepted++; expect(after.revisions).toBe(before.revisions! + 1); } // an accepted body is one whole revision
      held++;
    }), { numRuns: 2000 });
    expect(accepted).toBeGreaterThan(0); // the generator also produces valid reports, so acceptance is exercised
    console.log(`fuzz PUT submission: ${tried} bodies tried, ${held} held, ${accepted} accepted as whole revisions`);
  });

  it("other write routes: rounds, templates, sign-in, return, units, users — only 4xx, shared error body", { timeout: 300_000 }, async () => {
    const admin = await login("admin");
    const routes: [string, string][] = [["POST", "/rounds"], ["POST", "/templates"], ["POST", "/auth/login"], ["POST", "/rounds/r2025/submissions/zezhou/return"], ["POST", "/units"], ["POST", "/users"]];
    let tried = 0;
    await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)), rawText, fc.record({ id: fc.string(), templateId: fc.string(), templateVersion: fc.oneof(fc.integer(), fc.double()), period: fc.string(), deadline: fc.string(), expectedUnitIds: fc.array(fc.string()) }).map((v) => JSON.stringify(v))), async ([method, path], body) => {
      const res = await api(path, { method, token: admin, body, headers: { "content-type": "application/json" } });
      await expectClean(res);
      tried++;
    }), { numRuns: 3000 });
    console.log(`fuzz other write routes: ${tried} bodies tried, all held`);
  });
});

describe("the review levels' routes, fuzzed (#14)", () => {
  it("submit / return / approve a city: random bodies, If-Match and Idempotency-Key give only 4xx with the shared error body, or a whole transition", { timeout: 300_000 }, async () => {
    const [city, province] = await Promise.all([login("admin"), login("sheng")]);
    // what an HTTP client can send in a header: visible ASCII
    // the revisions a level goes through weighted up, so that transitions do land (a run of 600 once landed none)
    const header = fc.oneof(
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constantFrom('"0"', '"1"', '"2"', '"3"', '"4"', '"5"') },
      { weight: 1, arbitrary: fc.constantFrom("1", 'W/"1"', '"-1"', '"1e3"', '"99999999999"', "*", "") },
      { weight: 1, arbitrary: fc.stringMatching(/^[!-~]{0,20}$/) },
    );
    const body = fc.oneof(
      // well-formed bodies too, so that a run lands transitions (a valid If-Match is needed as well)
      { weight: 2, arbitrary: fc.constantFrom("{}", JSON.stringify({ comment: "请核实主要指标" })) },
      { weight: 1, arbitrary: fc.record({ comment: fc.oneof(fc.string({ maxLength: 30 }), hostileValue), indicatorComments: fc.dictionary(codes, fc.oneof(fc.string({ maxLength: 10 }), hostileValue), { maxKeys: 3 }) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: rawText },
    );
    let tried = 0;
    let landed = 0;
    await fc.assert(fc.asyncProperty(fc.constantFrom("submit", "return", "approve"), body, header, header, async (action, text, ifMatch, key) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (ifMatch !== undefined) headers["if-match"] = ifMatch;
      if (key !== undefined) headers["idempotency-key"] = key;
      const res = await api(`/rounds/p2025/levels/jincheng/${action}`, { method: "POST", token: action === "submit" ? city : province, body: text, headers });
      await expectClean(res);
      tried++;
      if (res.status < 300) landed++;
    }), { numRuns: 600 });
    console.log(`fuzz level routes: ${tried} requests, ${landed} transitions landed, no 5xx`);
    expect(landed).toBeGreaterThan(0);
  });
});

describe("sign-in abuse", () => {
  it("runs the same PBKDF2 work for 'no such user' as for 'wrong password'", async () => {
    const subtle = crypto.subtle;
    const original = subtle.deriveBits.bind(subtle);
    let runs = 0;
    subtle.deriveBits = ((...args: Parameters<SubtleCrypto["deriveBits"]>) => { runs++; return original(...args); }) as SubtleCrypto["deriveBits"];
    try {
      const attempt = async (username: string) => { const before = runs; await api("/auth/login", { method: "POST", json: { username, password: "guess-1" } }); return runs - before; };
      const [unknown, wrong] = [await attempt("no-such-user"), await attempt("chengqu")];
      expect(unknown).toBe(1);
      expect(wrong).toBe(1);
    } finally {
      subtle.deriveBits = original;
    }
  });
});

