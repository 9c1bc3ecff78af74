import { z } from "zod";
import { RawValueSchema } from "../schemas/submission";

/** A message in both languages; it may repeat what a client sent, so it is not held to name rules. */
const MessageSchema = z.strictObject({ zh: z.string(), en: z.string() });

/** Every error the API can answer with. Stable: clients choose their text by code. */
export const ErrorCode = {
  BadRequest: "bad_request",
  InvalidBody: "invalid_body",
  BodyTooLarge: "body_too_large",
  Unauthenticated: "unauthenticated",
  InvalidCredentials: "invalid_credentials",
  AccountLocked: "account_locked",
  /** 429: done too often (立即催报 per group robot); the message says when it may be tried again. */
  RateLimited: "rate_limited",
  Forbidden: "forbidden",
  PasswordChangeRequired: "password_change_required",
  NotFound: "not_found",
  Conflict: "conflict",
  StaleRevision: "stale_revision",
  RevisionRequired: "revision_required",
  IdempotencyMismatch: "idempotency_mismatch",
  RoundClosed: "round_closed",
  SubmissionLocked: "submission_locked",
  TemplateImmutable: "template_immutable",
  TemplateInvalid: "template_invalid",
  ValidationFailed: "validation_failed",
  WarningsNotAcknowledged: "warnings_not_acknowledged",
  /** 409: the submission would drop a 说明 or change the signature of the current revision; send it again acknowledged. */
  LossNotAcknowledged: "loss_not_acknowledged",
  LayoutMismatch: "layout_mismatch",
  UnsupportedFile: "unsupported_file",
  Internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const IssueBodySchema = z.strictObject({
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  indicator: z.string(),
  indicators: z.array(z.string()).optional(),
  rule: z.string().optional(),
  cell: z.string().nullable().optional(),
  /** On a form, the table whose sheet `cell` is on (its code); absent on a one-sheet template. */
  table: z.string().optional(),
  /** A detail list's issue (issue 25): its list, row (from 1) and field. */
  list: z.strictObject({ table: z.string(), row: z.number().int(), field: z.string().optional() }).optional(),
  message: MessageSchema,
});
export type IssueBody = z.infer<typeof IssueBodySchema>;

/** A file filled from an older revision (412 on upload): what differs between the file and the current revision. */
export const StaleFileSchema = z.strictObject({
  currentRevision: z.number().int(),
  fileRevision: z.number().int(),
  changes: z.array(z.strictObject({ indicator: z.string(), current: RawValueSchema, file: RawValueSchema })),
  /** Each detail list's rows the file adds, removes and changes against the current revision's, by key (issue 25). */
  lists: z.array(z.strictObject({ table: z.string(), added: z.number().int(), removed: z.number().int(), changed: z.number().int() })).optional(),
});

/** What a resubmission would lose of the current revision (409 loss_not_acknowledged): its 说明 dropped, its signature fields changed. */
export const LostWritingSchema = z.strictObject({
  revision: z.number().int(),
  notes: z.array(z.strictObject({ indicator: z.string(), cell: z.string().nullable(), before: z.string() })),
  signature: z.array(z.strictObject({ field: z.string(), label: z.string(), before: z.string(), after: z.string().nullable() })),
});

/** The one error body every non-2xx response carries. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: MessageSchema,
    /** Where the problem is: a JSON path, a cell, a field. */
    where: z.string().optional(),
    issues: z.array(IssueBodySchema).optional(),
    currentRevision: z.number().int().optional(),
    stale: StaleFileSchema.optional(),
    lost: LostWritingSchema.optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Builds the one error body. Messages say what is wrong and where, in both languages. */
export function errorBody(
  code: ErrorCode, zh: string, en: string, extra: Omit<ErrorBody["error"], "code" | "message"> = {},
): ErrorBody {
  return { error: { code, message: { zh, en }, ...extra } };
}
