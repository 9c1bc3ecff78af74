// Units in refusals are named as people know them, never by their codes: a message is written with
// `unitRef(id)` where a unit goes, and `nameUnitRefs` (a middleware on every API response that fails)
// replaces each reference with the unit's name in the message's language, in one query. Only units the
// caller's place sees are named — its own subtree and the units above it — so a code a client typed
// names nothing it may not see; any other unit keeps its code. The markers are private-use characters
// no unit code can hold.
import type { MiddlewareHandler } from "hono";
import type { SessionUser } from "./env";

const OPEN = "\uE000";
const CLOSE = "\uE001";
const REF = /\uE000([^\uE000\uE001]*)\uE001/g;

/** Where a unit goes in a message: replaced by its name before the message leaves the Worker. */
export const unitRef = (id: string): string => `${OPEN}${id}${CLOSE}`;

type Names = Map<string, { zh: string; en: string }>;

function rename(value: unknown, names: Names, lang: "zh" | "en"): unknown {
  if (typeof value === "string") return value.replace(REF, (_, id: string) => names.get(id)?.[lang] ?? id);
  if (Array.isArray(value)) return value.map((v) => rename(v, names, lang));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = rename(v, names, k === "en" ? "en" : k === "zh" ? "zh" : lang);
    return out;
  }
  return value;
}

/** Replaces every unitRef in a failed response's JSON body with the unit's name (zh in zh texts, en in en). */
export const nameUnitRefs: MiddlewareHandler<{ Bindings: { DB: D1Database }; Variables: { user?: SessionUser } }> = async (c, next) => {
  await next();
  if (c.res.status < 400 || !(c.res.headers.get("content-type") ?? "").includes("json")) return;
  const text = await c.res.clone().text();
  if (!text.includes(OPEN)) return;
  const ids = [...new Set([...text.matchAll(REF)].map((m) => m[1]!))].slice(0, 50);
  const names: Names = new Map();
  const place = c.get("user")?.unitPath;
  if (ids.length > 0 && place) {
    const { results } = await c.env.DB.prepare(`SELECT id, path, name_zh, name_en FROM units WHERE id IN (${ids.map((_, i) => `?${i + 1}`).join(", ")})`).bind(...ids).all<{ id: string; path: string; name_zh: string; name_en: string }>();
    for (const r of results) if (r.path.startsWith(place) || place.startsWith(r.path)) names.set(r.id, { zh: r.name_zh, en: r.name_en });
  }
  const headers = new Headers(c.res.headers);
  headers.delete("content-length");
  c.res = new Response(JSON.stringify(rename(JSON.parse(text), names, "zh")), { status: c.res.status, headers });
};
