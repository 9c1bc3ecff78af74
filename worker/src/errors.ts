import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorBody, type ErrorBody, type ErrorCode } from "@tianbao/shared";

/** An expected failure as a value: the status and the shared error body to answer with. */
export interface Failure {
  ok: false;
  status: ContentfulStatusCode;
  body: ErrorBody;
}
export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export function failure(
  status: ContentfulStatusCode, code: ErrorCode, zh: string, en: string, extra: Omit<ErrorBody["error"], "code" | "message"> = {},
): Failure {
  return { ok: false, status, body: errorBody(code, zh, en, extra) };
}

/** Sends a failure as the JSON error body with its status. */
export const reply = (c: Context, f: Failure) => c.json(f.body, f.status);

export const forbidden = (zh: string, en: string): Failure => failure(403, "forbidden", zh, en);
export const notFound = (what: { zh: string; en: string }, id: string): Failure =>
  failure(404, "not_found", `找不到${what.zh}「${id}」，或您无权查看`, `No ${what.en} '${id}', or you may not see it`);
