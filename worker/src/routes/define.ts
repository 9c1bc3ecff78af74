import type { Context, Hono } from "hono";
import { z } from "zod";
import { Exact, errorBody, type Role } from "@tianbao/shared";
import { authenticate } from "../auth/session";
import type { AppEnv } from "../env";
import { reply, type Failure } from "../errors";

/** Everything the API knows about one route: the OpenAPI document and the access matrix read this. */
export interface RouteSpec {
  method: "get" | "post" | "put" | "delete";
  /** Hono-style path under /api, e.g. `/rounds/:id`. */
  path: string;
  summary: string;
  /** Who may call it; "public" needs no sign-in. */
  roles: readonly Role[] | "public";
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /** Non-JSON success responses (file downloads). */
  produces?: string;
  /** A file request body (uploads), instead of JSON. */
  consumes?: string;
  /** Request headers the route reads (If-Match, Idempotency-Key). */
  headers?: z.ZodType;
  /** A form's body refused in the officials' words, field by field, instead of the schema's developer text. */
  explainBody?: (error: z.ZodError, body: unknown) => Failure | null;
}

export const ROUTES: RouteSpec[] = [];

/** The headers of a write that may be retried: the revision it started from, and a key to replay it by. */
export const REVISION_HEADERS = z.object({
  "if-match": z.string().describe('The revision the change starts from, quoted: "3" ("0" for a first submission)').optional(),
  "idempotency-key": z.string().max(128).describe("A key of the client's choosing: a retry with the same key and body replays the stored answer").optional(),
});

type Input<S extends RouteSpec> = {
  body: S["body"] extends z.ZodType ? z.infer<S["body"]> : undefined;
  query: S["query"] extends z.ZodType ? z.infer<S["query"]> : undefined;
};

/** A request body's most bytes: a report's figures, notes and signature fit many times over. */
export const MAX_JSON_BYTES = 1_000_000;
/**
 * A body carrying detail lists (issue 25) may take more: a list of 5,000 rows of ten fields is ~1.5 MB
 * of JSON, and a report may hold more than one. Only such a body: every other keeps the limit above.
 */
export const MAX_LIST_JSON_BYTES = 4_000_000;

/**
 * Mounts a route: sign-in and role check, then body and query parsed with the route's zod
 * schemas. Malformed JSON is a 400, a schema failure a 422 naming each field, too large a 413.
 */
export function defineRoute<S extends RouteSpec>(
  app: Hono<AppEnv>, spec: S, handler: (c: Context<AppEnv>, input: Input<S>) => Response | Promise<Response>,
): void {
  ROUTES.push(spec);
  app.on(spec.method.toUpperCase(), spec.path, async (c) => {
    if (spec.roles !== "public") {
      const auth = await authenticate(c);
      if (!auth.ok) return reply(c, auth);
      c.set("user", auth.value);
      // A generated initial password is changed before anything else is done with the account.
      if (auth.value.mustChangePassword && !PASSWORD_CHANGE_PATHS.has(spec.path)) {
        return c.json(errorBody("password_change_required", "请先修改初始密码，再继续使用", "Change your initial password before doing anything else"), 403);
      }
      if (!spec.roles.includes(auth.value.role)) {
        return c.json(errorBody("forbidden", "您的角色无权执行此操作", "Your role may not do this"), 403);
      }
    }
    let body: unknown = undefined;
    if (spec.body) {
      const declared = Number(c.req.header("content-length") ?? "0");
      if (declared > MAX_LIST_JSON_BYTES) return tooLarge(c, MAX_LIST_JSON_BYTES);
      const text = await c.req.text();
      const bytes = new TextEncoder().encode(text).length;
      if (bytes > MAX_LIST_JSON_BYTES) return tooLarge(c, MAX_LIST_JSON_BYTES);
      let proto = false;
      try {
        body = JSON.parse(text, (key: string, value: unknown, context?: { source?: string }) => {
          if (key === "__proto__") proto = true;
          return keepDigits(key, value, context);
        });
      } catch {
        return c.json(errorBody("bad_request", "请求体不是有效的 JSON", "The request body is not valid JSON"), 400);
      }
      if (bytes > MAX_JSON_BYTES && !(typeof body === "object" && body !== null && Object.hasOwn(body, "lists"))) return tooLarge(c, MAX_JSON_BYTES);
      // zod drops a "__proto__" key from a record without a word (it would set the prototype), so a
      // body naming one would pass with that entry silently lost: refused here, naming where it is.
      if (proto) {
        const where = ["body", ...(protoPath(body) ?? [])].join(".");
        return c.json(errorBody("invalid_body", `请求内容有误：${where}：「__proto__」是保留名称，不能用作键`, `The request is not valid: ${where}: '__proto__' is a reserved name and cannot be a key`, { where }), 422);
      }
      const parsed = spec.body.safeParse(body);
      if (!parsed.success) { const said = spec.explainBody?.(parsed.error, body); return said ? reply(c, said) : invalid(c, parsed.error, "body"); }
      body = parsed.data;
    }
    let query: unknown = undefined;
    if (spec.query) {
      const parsed = spec.query.safeParse(c.req.query());
      if (!parsed.success) return invalid(c, parsed.error, "query");
      query = parsed.data;
    }
    return handler(c, { body, query } as Input<S>);
  });
}

/** The path to the first own "__proto__" key in a parsed JSON value (JSON.parse makes it an own property). */
function protoPath(value: unknown): string[] | null {
  if (typeof value !== "object" || value === null) return null;
  if (!Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, "__proto__")) return ["__proto__"];
  for (const [k, v] of Object.entries(value)) {
    const inner = protoPath(v);
    if (inner) return [k, ...inner];
  }
  return null;
}

/** The longest JSON number worked on exactly: far past any figure of the domain (10^13 with 6 decimals). */
const MAX_NUMBER_SOURCE = 40;

/** What an account whose initial password must be changed may still do. */
const PASSWORD_CHANGE_PATHS: ReadonlySet<string> = new Set(["/me", "/auth/password", "/auth/logout"]);

/**
 * A JSON number whose digits no JS number holds (12.0000000000000001 would silently become 12) is
 * kept as the text the client sent, so the shared parser judges those digits exactly as it judges
 * text: not a whole number, too many decimals, past the bound. Uses JSON.parse's source text
 * (https://github.com/tc39/proposal-json-parse-with-source, in V8 since 11.4).
 */
function keepDigits(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== "number" || context?.source === undefined) return value;
  // Long digit strings and huge exponents are never worked on (exact arithmetic on them would cost
  // the Worker seconds): they cannot be a figure in the domain, so the text goes on to be refused.
  if (!Number.isFinite(value) || context.source.length > MAX_NUMBER_SOURCE) return context.source;
  const sent = Exact.exactFromNumberText(context.source);
  const held = Exact.exactFromNumber(value);
  return sent && held && Exact.compare(sent, held) === 0 ? value : context.source;
}

const tooLarge = (c: Context, max: number) =>
  c.json(errorBody("body_too_large", `请求体超过 ${max / 1_000_000} MB`, `The request body is over ${max / 1_000_000} MB`), 413);

function invalid(c: Context, error: z.ZodError, target: string) {
  const where = error.issues.map((i) => [target, ...i.path].join(".")).join(", ");
  const detail = error.issues.slice(0, 5).map((i) => `${[target, ...i.path].join(".")}: ${i.message}`).join("; ");
  return c.json(errorBody("invalid_body", `请求内容有误：${detail}`, `The request is not valid: ${detail}`, { where }), 422);
}

