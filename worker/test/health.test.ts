import { describe, expect, it } from "vitest";
import { api, json } from "./helpers";

describe("GET /api/health", () => {
  it("answers 200", async () => {
    const res = await api("/health");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ok: true });
  });
});

describe("unknown routes", () => {
  it("answer 404 with the shared error body, naming the route", async () => {
    const res = await api("/nope");
    expect(res.status).toBe(404);
    const body = await json<{ error: { code: string; message: { en: string } } }>(res);
    expect(body.error.code).toBe("not_found");
    expect(body.error.message.en).toContain("GET /api/nope");
  });
});

describe("GET /api/openapi.json", () => {
  it("documents every route with its schemas", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(await api("/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/rounds/{id}/submissions/{unit}");
    expect(doc.paths["/api/rounds/{id}/submissions/{unit}"]).toHaveProperty("put");
  });
});
