import { BUILTIN_TEMPLATE, type SubmissionView, type Template } from "@tianbao/shared";
import { api } from "../src/flows/session";

export const ZEZHOU = { id: 1, username: "zezhou", displayName: "泽州县填报员", role: "reporter" as const, unitId: "zezhou", unitName: { zh: "泽州县", en: "Zezhou" }, mustChangePassword: false };

export const submissionView = (over: Partial<SubmissionView> = {}): SubmissionView => ({
  roundId: "r2025", unitId: "zezhou", state: "submitted", revision: 1, values: {}, derived: {}, comments: {},
  reviewComment: null, submittedAt: "2025-01-01T00:00:00Z", submittedBy: "zezhou", warnings: [], ...over,
});

/** Signs the shared session in without a network, as the pane's sign-in would leave it. */
export function signedIn(user: typeof ZEZHOU | (Omit<typeof ZEZHOU, "role"> & { role: "admin" | "reviewer" | "viewer" | "reporter" }) = ZEZHOU): void {
  api.token = "t".repeat(43);
  api.user = user;
}

export type Handler = (method: string, path: string, init: RequestInit) => Response | Promise<Response>;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A stand-in for the Worker: the templates (by id; the built-in one unless told), and whatever the test answers for everything else. */
export function stubServer(handler: Handler, templates: readonly Template[] = [BUILTIN_TEMPLATE]): void {
  globalThis.fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "https://localhost:8787");
    const method = init.method ?? "GET";
    if (method === "GET" && url.pathname.startsWith("/api/templates/")) {
      const id = url.pathname.split("/")[3];
      return json(templates.find((t) => t.id === id) ?? templates[0]);
    }
    return handler(method, url.pathname, init);
  }) as typeof fetch;
}

export { json };
