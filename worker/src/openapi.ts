import { OpenAPIRegistry, OpenApiGeneratorV31, type ZodMediaTypeObject } from "@asteasolutions/zod-to-openapi";
import { ErrorBodySchema } from "@tianbao/shared";
import { z } from "zod";
import type { RouteSpec } from "./routes/define";

// The generator's typings name zod's classic ZodType; ours come through the shared package's zod. Same runtime objects.
const schema = (s: z.ZodType): ZodMediaTypeObject["schema"] => s as unknown as ZodMediaTypeObject["schema"];
const objectSchema = (s: z.ZodType) => s as unknown as z.ZodObject<z.ZodRawShape>;

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(routes: readonly RouteSpec[]) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  const error = { description: "Error (the shared error body)", content: { "application/json": { schema: ErrorBodySchema } } };
  for (const r of routes) {
    const names = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const params = names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) : undefined;
    const config = {
      method: r.method,
      path: `/api${r.path.replace(/:(\w+)/g, "{$1}")}`,
      summary: r.summary,
      description: r.roles === "public" ? "No sign-in needed." : `Roles: ${r.roles.join(", ")}.`,
      ...(r.roles === "public" ? {} : { security: [{ [bearer.name]: [] }] }),
      request: {
        ...(params ? { params: objectSchema(params) } : {}),
        ...(r.query ? { query: objectSchema(r.query) } : {}),
        ...(r.headers ? { headers: objectSchema(r.headers) } : {}),
        ...(r.body ? { body: { required: true, content: { "application/json": { schema: schema(r.body) } } } } : {}),
        ...(r.consumes ? { body: { required: true, description: "The file itself as the request body", content: { [r.consumes]: { schema: { type: "string", format: "binary" } } } } } : {}),
      },
      responses: {
        200: r.produces
          ? { description: "File", content: { [r.produces]: { schema: { type: "string", format: "binary" } } } }
          : { description: "OK", ...(r.response ? { content: { "application/json": { schema: schema(r.response) } } } : {}) },
        "4XX": error,
      },
    };
    registry.registerPath(config as unknown as Parameters<typeof registry.registerPath>[0]);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Tianbao (填报) API", version: "1.0.0", description: "County quality-supervision indicators reported to the city, with totals." },
  });
}
