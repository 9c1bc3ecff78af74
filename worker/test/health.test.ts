import { ROUTES } from "../src/routes/define";
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

  it("describes file uploads and downloads by media type, and the headers a retried write uses", async () => {
    type Op = { requestBody?: { content: Record<string, { schema: { format?: string } }> }; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, unknown> }> };
    const doc = await json<{ paths: Record<string, Record<string, Op>> }>(await api("/openapi.json"));
    const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    for (const path of ["/api/rounds/{id}/submissions/{unit}/upload", "/api/directory/preview", "/api/directory/apply"]) {
      expect(doc.paths[path]!.post!.requestBody!.content[XLSX]!.schema.format, path).toBe("binary");
    }
    for (const path of ["/api/rounds/{id}/export.xlsx", "/api/directory.xlsx", "/api/rounds/{id}/submissions/{unit}/template.xlsx"]) {
      expect(Object.keys(doc.paths[path]!.get!.responses["200"]!.content!), path).toEqual([XLSX]);
    }
    const put = doc.paths["/api/rounds/{id}/submissions/{unit}"]!.put!;
    expect(put.parameters!.filter((p) => p.in === "header").map((p) => p.name).sort()).toEqual(["idempotency-key", "if-match"]);
    // every route that reads a body (JSON or a file) says what it is
    const takesBody = ROUTES.filter((r) => r.body || r.consumes);
    expect(takesBody.length).toBeGreaterThan(15);
    for (const r of takesBody) expect(doc.paths[`/api${r.path.replace(/:(\w+)/g, "{$1}")}`]![r.method]!.requestBody, `${r.method} ${r.path}`).toBeDefined();
  });
});
