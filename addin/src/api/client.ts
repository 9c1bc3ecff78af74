import {
  ReviewResultSchema,
  AccountViewSchema, AuditEntrySchema, CreatedUserSchema, LevelTransitionSchema, ReviewContextSchema, RevisionDiffSchema, type ExtendDeadlineRequest,
  CompletenessSchema, DesignerResultSchema, RolledListSchema, ErrorBodySchema, UserViewSchema, RemindResultSchema, TemplateSummarySchema, UnitViewSchema, WebhookViewSchema, type CreateRoundRequest, LoginResponseSchema, RoundViewSchema, SubmissionViewSchema, TemplateSchema, TotalsSheetsSchema, TotalsViewSchema,
  type ErrorBody, type RoundView, type UnitLevel, type SubmissionPutRequest, type SubmissionView, type Template, type TotalsSheets, type TotalsView, type UserView,
} from "@tianbao/shared";
import { z } from "zod";
import { timeoutSignal } from "./timeout";

/** `{ signal }` when the webview can give one (older Mac webviews lack AbortSignal.timeout). */
const signalFor = (ms: number): { signal?: AbortSignal } => { const signal = timeoutSignal(ms); return signal ? { signal } : {}; };

/** How long one API call may take before the add-in says the server cannot be reached. */
export const REQUEST_TIMEOUT_MS = 60_000;

export type ApiResult<T> = { ok: true; value: T; status: number } | { ok: false; status: number; error: ErrorBody | null };

/**
 * The Worker's API as the add-in sees it. Every response is parsed with the shared contract, so a
 * Worker and an add-in deployed at different times still agree (or fail loudly, not silently).
 * The token lives in memory (and, if the user asks, localStorage); never in the workbook.
 */
export class ApiClient {
  token: string | null = null;
  user: UserView | null = null;
  /** Called when a signed-in request is refused as signed out (expired, revoked, or ended elsewhere). */
  onSignedOut: (() => void) | null = null;
  constructor(private readonly base = "") {}

  private async call<T>(method: string, path: string, schema: z.ZodType<T> | null, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    let res: Response;
    const sentToken = this.token;
    try {
      res = await fetch(`${this.base}/api${path}`, {
        method,
        // a connection that hangs must not keep a ribbon command (and event.completed()) waiting forever
        ...signalFor(REQUEST_TIMEOUT_MS),
        headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      return { ok: false, status: 0, error: null }; // no network: the caller says so and keeps everything
    }
    const json: unknown = res.status === 204 ? null : await res.json().catch(() => null);
    // only the session still in use has ended: an answer to a request of an earlier session (signed out since) changes nothing
    if (res.status === 401 && sentToken !== null && sentToken === this.token) this.onSignedOut?.();
    if (!res.ok) {
      const err = ErrorBodySchema.safeParse(json);
      return { ok: false, status: res.status, error: err.success ? err.data : null };
    }
    if (!schema) return { ok: true, status: res.status, value: json as T };
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, status: res.status, error: { error: { code: "internal", message: { zh: "服务器返回的数据格式不符", en: "The server's answer did not match the expected format" } } } };
    return { ok: true, status: res.status, value: parsed.data };
  }

  async login(username: string, password: string): Promise<ApiResult<UserView>> {
    const r = await this.call("POST", "/auth/login", LoginResponseSchema, { username, password });
    if (!r.ok) return r;
    this.token = r.value.token;
    this.user = r.value.user;
    return { ok: true, status: r.status, value: r.value.user };
  }
  logout = () => this.call("POST", "/auth/logout", null);
  me = () => this.call("GET", "/me", UserViewSchema);
  /** Changes the password (which ends every session), then signs in again with the new one. */
  async changePassword(currentPassword: string, newPassword: string): Promise<ApiResult<UserView>> {
    const username = this.user?.username;
    const r = await this.call("POST", "/auth/password", null, { currentPassword, newPassword });
    if (!r.ok) return r;
    this.token = null;
    return username ? this.login(username, newPassword) : { ok: false, status: 401, error: null };
  }
  rounds = () => this.call("GET", "/rounds", z.array(RoundViewSchema));
  template = (r: Pick<RoundView, "templateId" | "templateVersion">) => this.call<Template>("GET", `/templates/${r.templateId}/${r.templateVersion}`, TemplateSchema);
  submission = (roundId: string, unitId: string) => this.call<SubmissionView>("GET", `/rounds/${roundId}/submissions/${unitId}`, SubmissionViewSchema);
  submit = (roundId: string, unitId: string, body: SubmissionPutRequest, revision: number, idempotencyKey: string) =>
    this.call<SubmissionView>("PUT", `/rounds/${roundId}/submissions/${unitId}`, SubmissionViewSchema, body, { "if-match": `"${revision}"`, "idempotency-key": idempotencyKey });
  previous = (roundId: string, unitId: string) => this.call<SubmissionView>("GET", `/rounds/${roundId}/submissions/${unitId}`, SubmissionViewSchema);
  /** The aggregate workbook's sheets as the Worker lays them out, for 下载汇总 into the open workbook. */
  totalsSheets = (roundId: string, q: { basis?: "standing" | "approved"; chart?: string } = {}) =>
    this.call<TotalsSheets>("GET", `/rounds/${roundId}/totals/sheets${Object.keys(q).length ? `?${new URLSearchParams(q as Record<string, string>).toString()}` : ""}`, TotalsSheetsSchema as unknown as z.ZodType<TotalsSheets>); // the plans' shape is checked loosely: they are the Worker's own layout
  completeness = (roundId: string) => this.call("GET", `/rounds/${roundId}/completeness`, CompletenessSchema);
  totals = (roundId: string, q: { unit?: string; basis?: "standing" | "approved" } = {}) =>
    this.call<TotalsView>("GET", `/rounds/${roundId}/totals${Object.keys(q).length ? `?${new URLSearchParams(q as Record<string, string>).toString()}` : ""}`, TotalsViewSchema);
  /** A subtree's detail list (issue 25), a page at a time: the rows of every report counted in its totals, each with its unit. */
  rolledList = (roundId: string, table: string, q: { unit?: string; basis?: "standing" | "approved"; offset?: number; limit?: number } = {}) =>
    this.call("GET", `/rounds/${roundId}/lists/${encodeURIComponent(table)}?${new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString()}`, RolledListSchema);
  /**
   * Uploads a filled .xlsx; the same rules as a submit from the add-in. `onTopOf` submits a file
   * made from an older revision knowingly, as the new revision on top of that current one.
   */
  async upload(roundId: string, unitId: string, file: Blob, acknowledgeWarnings: boolean, onTopOf?: number, acknowledgeLoss = false): Promise<ApiResult<SubmissionView>> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const key = `up-${roundId}-${unitId}-${[...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}${acknowledgeWarnings ? "-ack" : ""}${acknowledgeLoss ? "-loss" : ""}${onTopOf !== undefined ? `-on${onTopOf}` : ""}`;
    // acknowledgeLoss: the official saw which 说明 and signature fields this file drops or changes, and goes ahead
    const query = new URLSearchParams({ ...(acknowledgeWarnings ? { acknowledgeWarnings: "1" } : {}), ...(acknowledgeLoss ? { acknowledgeLoss: "1" } : {}) }).toString();
    return this.postFile(`/rounds/${roundId}/submissions/${unitId}/upload${query ? `?${query}` : ""}`, bytes, SubmissionViewSchema,
      { "idempotency-key": key, ...(onTopOf !== undefined ? { "if-match": `"${onTopOf}"` } : {}) });
  }

  /** Downloads a file the API serves (templates, totals) as a Blob with its suggested name. */
  async download(path: string): Promise<ApiResult<{ blob: Blob; filename: string }>> {
    let res: Response;
    const sentToken = this.token;
    try { res = await fetch(`${this.base}/api${path}`, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} }); } catch { return { ok: false, status: 0, error: null }; }
    if (res.status === 401 && sentToken !== null && sentToken === this.token) this.onSignedOut?.();
    if (!res.ok) { const e = ErrorBodySchema.safeParse(await res.json().catch(() => null)); return { ok: false, status: res.status, error: e.success ? e.data : null }; }
    const cd = res.headers.get("content-disposition") ?? "";
    const filename = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(cd)?.[1] ?? "download");
    return { ok: true, status: res.status, value: { blob: await res.blob(), filename } };
  }

  /** Posts a file (an .xlsx) and reads the JSON answer with `schema`. */
  async postFile<T>(path: string, file: Blob | Uint8Array, schema: z.ZodType<T>, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    let res: Response;
    const sentToken = this.token;
    try {
      const body: BodyInit = file instanceof Uint8Array ? new Uint8Array(file) : new Uint8Array(await file.arrayBuffer());
      res = await fetch(`${this.base}/api${path}`, { method: "POST", body, ...signalFor(REQUEST_TIMEOUT_MS), headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ...headers, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) } });
    } catch {
      return { ok: false, status: 0, error: null };
    }
    const json: unknown = await res.json().catch(() => null);
    if (res.status === 401 && sentToken !== null && sentToken === this.token) this.onSignedOut?.();
    if (!res.ok) { const e = ErrorBodySchema.safeParse(json); return { ok: false, status: res.status, error: e.success ? e.data : null }; }
    const v = schema.safeParse(json);
    return v.success ? { ok: true, status: res.status, value: v.data } : { ok: false, status: res.status, error: null };
  }
  units = () => this.call("GET", "/units", z.array(UnitViewSchema));
  templates = () => this.call("GET", "/templates", z.array(TemplateSummarySchema));
  saveDraft = (template: Omit<Template, "version" | "status">) => this.call("POST", "/templates/draft", DesignerResultSchema, { template });
  publish = (id: string, version: number) => this.call("POST", `/templates/${id}/${version}/publish`, TemplateSummarySchema);
  openRound = (body: CreateRoundRequest) => this.call("POST", "/rounds", null, body);
  webhook = (unitId: string) => this.call("GET", `/units/${unitId}/webhook`, WebhookViewSchema);
  setWebhook = (unitId: string, body: { kind: "wecom" | "dingtalk"; url: string; secret?: string }) => this.call("PUT", `/units/${unitId}/webhook`, WebhookViewSchema, body);
  remind = (roundId: string, unitIds: string[]) => this.call("POST", `/rounds/${roundId}/remind`, RemindResultSchema, { unitIds });
  /** 退回 or 审核通过 a unit's report; with the revision reviewed, refused (412) if the unit has submitted another since. */
  review = (roundId: string, unitId: string, action: "approve" | "return", comment?: string, indicatorComments?: Record<string, string>, revision?: number) =>
    this.call("POST", `/rounds/${roundId}/submissions/${unitId}/${action}`, ReviewResultSchema, { ...(comment ? { comment } : {}), ...(indicatorComments && Object.keys(indicatorComments).length ? { indicatorComments } : {}) },
      revision !== undefined ? { "if-match": `"${revision}"` } : {});
  /** 上报 of a review level (a city to its province), on top of its current upward revision. */
  levelSubmit = (roundId: string, unitId: string, revision: number, note?: string) =>
    this.call("POST", `/rounds/${roundId}/levels/${unitId}/submit`, LevelTransitionSchema, note ? { comment: note } : {}, { "if-match": `"${revision}"`, "idempotency-key": `level-${roundId}-${unitId}-${revision}` });
  /** Return or approve a review level's upward submission (its parent). */
  levelReview = (roundId: string, unitId: string, action: "approve" | "return", revision: number, comment?: string, indicatorComments?: Record<string, string>) =>
    this.call("POST", `/rounds/${roundId}/levels/${unitId}/${action}`, LevelTransitionSchema, { ...(comment ? { comment } : {}), ...(indicatorComments && Object.keys(indicatorComments).length ? { indicatorComments } : {}) }, { "if-match": `"${revision}"` });
  reviewContext = (roundId: string, unitId: string) => this.call("GET", `/rounds/${roundId}/submissions/${unitId}/review`, ReviewContextSchema);
  diff = (roundId: string, unitId: string, from: number, to: number) => this.call("GET", `/rounds/${roundId}/submissions/${unitId}/diff?from=${from}&to=${to}`, RevisionDiffSchema);
  /** 重新打开, with the reason the unit is shown (kept in the audit). */
  reopen = (roundId: string, unitId: string, reason?: string) => this.call("POST", `/rounds/${roundId}/reopen`, null, { unitId, ...(reason ? { reason } : {}) });
  extendDeadline = (roundId: string, body: ExtendDeadlineRequest) => this.call("POST", `/rounds/${roundId}/deadline`, RoundViewSchema, body);
  closeRound = (roundId: string) => this.call("POST", `/rounds/${roundId}/close`, RoundViewSchema, {});
  audit = (roundId: string, filter: { unit?: string; action?: string } = {}) =>
    this.call("GET", `/rounds/${roundId}/audit?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString()}`, z.array(AuditEntrySchema));
  accounts = () => this.call("GET", "/users", z.array(AccountViewSchema));
  /** Creates an account; the server generates its first password, answered this once. */
  createUser = (body: { username: string; displayName: string; role: string; unitId: string }) => this.call("POST", "/users", CreatedUserSchema, body);
  resetPassword = (username: string) => this.call("POST", `/users/${encodeURIComponent(username)}/reset-password`, z.strictObject({ username: z.string(), password: z.string() }), {});
  setDisabled = (username: string, disabled: boolean) => this.call("POST", `/users/${encodeURIComponent(username)}/${disabled ? "disable" : "enable"}`, null, {});
  createUnit = (body: { id: string; name: { zh: string; en: string }; level: UnitLevel; parentId: string }) => this.call("POST", "/units", UnitViewSchema, body);
  setContact = (unitId: string, body: { name: string | null; phone: string | null }) => this.call("PUT", `/units/${unitId}/contact`, null, body);
}
