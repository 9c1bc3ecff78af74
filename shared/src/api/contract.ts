import { z } from "zod";
import { CodeSchema, LocalizedTextSchema, SheetTextSchema } from "../schemas/text";
import { PeriodSchema } from "../schemas/period";
import { UnitLevelSchema } from "../schemas/unit";
import { TemplateSchema } from "../schemas/template";
import { DETAIL_ROWS_LIMIT } from "../schemas/form";
import { CommentsSchema, RawValueSchema, SIGNATURE_FIELDS, SignatureSchema, ValuesSchema } from "../schemas/submission";
import { IssueBodySchema } from "./errors";
import type { SheetPlan } from "../layout/sheet-plan";

const SignatureFieldSchema = z.enum(SIGNATURE_FIELDS);

// The API contract: what each route takes and gives. The Worker validates requests with these;
// the add-in parses responses with them, so the two agree even when deployed at different times.

export const RoleSchema = z.enum(["admin", "reviewer", "reporter", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

export const LoginRequestSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const UserViewSchema = z.strictObject({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  unitId: CodeSchema,
  unitName: LocalizedTextSchema,
  /** A generated initial password is still in use: nothing but changing it works until it is. */
  mustChangePassword: z.boolean(),
});
export type UserView = z.infer<typeof UserViewSchema>;

export const LoginResponseSchema = z.strictObject({
  token: z.string(),
  expiresAt: z.string(),
  user: UserViewSchema,
});

export const ChangePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(10, "at least 10 characters").max(256),
});

export const CreateUserRequestSchema = z.strictObject({
  username: z.string().regex(/^[a-z][a-z0-9_.-]{2,31}$/, "3–32 lower-case letters, digits, _ . -"),
  displayName: SheetTextSchema.pipe(z.string().min(1).max(64)),
  role: RoleSchema,
  unitId: CodeSchema,
  /** Left out, the server generates one, answers it this once, and it must be changed at first sign-in. */
  password: z.string().min(10).max(256).optional(),
});

/** A created account; `password` only when the server generated it (shown this once). */
export const CreatedUserSchema = z.strictObject({ username: z.string(), role: RoleSchema, unitId: CodeSchema, password: z.string().optional() });

export const UnitViewSchema = z.strictObject({
  id: CodeSchema,
  name: LocalizedTextSchema,
  level: UnitLevelSchema,
  parentId: CodeSchema.nullable(),
  /** Who to call about this unit's reports (the 催报 list), when set. */
  contact: z.strictObject({ name: z.string().nullable(), phone: z.string().nullable() }).nullable().optional(),
});

export const TemplateSummarySchema = z.strictObject({
  id: CodeSchema,
  version: z.number().int(),
  status: z.enum(["draft", "published"]),
  name: LocalizedTextSchema,
  indicatorCount: z.number().int(),
  /**
   * The code the owner chose (shown and typed in the designer workbook). `id` is the storage id
   * rounds and URLs carry: the code itself, unless another line of units had the code first
   * (a second city's `quality_city_annual` is stored as `quality_city_annual_changzhi`).
   */
  code: CodeSchema.optional(),
  /** In the list: the unit that made this version, how many rounds use it, and when it was published. */
  owner: z.strictObject({ id: CodeSchema, name: LocalizedTextSchema }).optional(),
  roundCount: z.number().int().optional(),
  publishedAt: z.string().nullable().optional(),
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

export const CreateTemplateRequestSchema = z.union([
  /** The built-in 质量兴市工作年报, optionally under another code (a code is unique within a line of units: a unit, those above and those below it). */
  z.strictObject({ builtin: z.literal(true), id: CodeSchema.optional() }),
  z.strictObject({ template: TemplateSchema.omit({ version: true, status: true }) }),
]);

/**
 * A deadline: an ISO date-time with an offset a real place uses (−12:00 to +14:00), at an instant
 * before the year 10000 (so every calendar day it falls on is a four-digit year).
 */
export const DeadlineSchema = z.iso.datetime({ offset: true })
  .refine((s) => { const m = /([+-])(\d\d):?(\d\d)$/.exec(s); if (!m) return true; const mins = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === "-" ? -1 : 1); return mins >= -720 && mins <= 840; }, "the offset must lie between -12:00 and +14:00")
  // (text that is no date-time at all is refused once, by the format check above)
  .refine((s) => { if (!/^\d{4}-\d\d-\d\dT/.test(s)) return true; const t = Date.parse(s); return Number.isFinite(t) && t < Date.UTC(10000, 0, 1) && t >= Date.UTC(2000, 0, 1); }, "a time between the years 2000 and 9999");

export const CreateRoundRequestSchema = z.strictObject({
  /** Left out, the round's code is made from its owner and period (`jincheng_2026`, then `jincheng_2026_2`). */
  id: CodeSchema.optional(),
  templateId: CodeSchema,
  templateVersion: z.number().int().min(1),
  period: PeriodSchema,
  deadline: DeadlineSchema,
  expectedUnitIds: z.array(CodeSchema).min(1).max(5000),
  /**
   * Upward deadlines by unit level for a round reported level by level (a province's round:
   * `{ city: … }` is when each city submits its figures to the province). Each must be a level of
   * this round and not before `deadline`; a level without one has the round's deadline.
   */
  levelDeadlines: z.strictObject({
    province: DeadlineSchema.optional(),
    city: DeadlineSchema.optional(),
    county: DeadlineSchema.optional(),
  }).optional(),
});

export type CreateRoundRequest = z.infer<typeof CreateRoundRequestSchema>;

export const UnitStateSchema = z.enum(["not_started", "submitted", "returned", "approved"]);

export const RoundViewSchema = z.strictObject({
  id: CodeSchema,
  templateId: CodeSchema,
  templateVersion: z.number().int(),
  templateName: LocalizedTextSchema,
  period: PeriodSchema,
  deadline: z.string(),
  ownerUnitId: CodeSchema,
  /** Who issued the round, by name and level: two rounds of one template and period differ by it (晋城市 2025年 vs 山西省 2025年). */
  ownerName: LocalizedTextSchema.optional(),
  ownerLevel: UnitLevelSchema.optional(),
  closed: z.boolean(),
  /** When the round was closed early by its owner (before the deadline), if it was. */
  closedAt: z.string().nullable().optional(),
  /** The expected units in the caller's subtree (a county sees itself, a city its own units, the round's owner all). */
  expectedUnitIds: z.array(CodeSchema),
  /** The review levels in the caller's subtree: units between the owner and the expected units, each reviewing its children and submitting upward. */
  levelUnitIds: z.array(CodeSchema).optional(),
  /** Upward deadlines by unit level, as the round was opened with them. */
  levelDeadlines: z.record(z.string(), z.string()).optional(),
  /** To a review level of this round: its own effective upward deadline. */
  levelDeadline: z.string().nullable().optional(),
});
export type RoundView = z.infer<typeof RoundViewSchema>;

/** The most rows a list may carry in one request: past every template's limit, so the rows over it are named, not a schema error. */
export const LIST_ROWS_SENT = DETAIL_ROWS_LIMIT * 2;
export const SubmissionPutRequestSchema = z.strictObject({
  values: ValuesSchema,
  comments: CommentsSchema.optional(),
  /** The signature block as written; left out, the current revision's signature is kept as it is. */
  signature: SignatureSchema.optional(),
  acknowledgeWarnings: z.boolean().optional(),
  /** Submit knowingly although a 说明 of the current revision is dropped or a signature field changed (409 loss_not_acknowledged otherwise). */
  acknowledgeLoss: z.boolean().optional(),
  /**
   * The detail lists (浮动行, issue 25) by table code: each row's fields by code, as typed (a wholly blank
   * row is left out by whoever reads a sheet). Left out, the current revision's lists are kept as they are.
   */
  lists: z.record(CodeSchema, z.array(z.record(z.string().max(40), RawValueSchema)).max(LIST_ROWS_SENT)).optional(),
});
export type SubmissionPutRequest = z.infer<typeof SubmissionPutRequestSchema>;

const IndicatorTotalSchema = z.union([
  z.strictObject({ kind: z.enum(["count", "amount"]), value: z.string().nullable(), reported: z.number().int() }),
  z.strictObject({ kind: z.literal("yesno"), yes: z.number().int(), reported: z.number().int(), share: z.string().nullable() }),
  z.strictObject({ kind: z.literal("choice"), counts: z.record(z.string(), z.number().int()), reported: z.number().int() }),
  z.strictObject({ kind: z.literal("text"), reported: z.number().int() }),
  // units: for a like-with-like figure (同比, issue 24), how many units reported both periods
  z.strictObject({ kind: z.literal("derived"), value: z.string().nullable(), reason: z.enum(["blank", "div0", "too_large"]).optional(), units: z.number().int().optional() }),
]);
export const TotalsSchema = z.strictObject({ units: z.number().int(), indicators: z.record(z.string(), IndicatorTotalSchema) });

export const SubmissionViewSchema = z.strictObject({
  roundId: CodeSchema,
  unitId: CodeSchema,
  state: UnitStateSchema,
  revision: z.number().int(),
  values: z.record(z.string(), RawValueSchema),
  derived: z.record(z.string(), RawValueSchema),
  comments: z.record(z.string(), z.string()),
  /** The signature block handed in with this revision (absent before anything was submitted). */
  signature: SignatureSchema.optional(),
  reviewComment: z.string().nullable(),
  /** The reviewer's comment per indicator code, left with the last return (empty otherwise). */
  reviewIndicatorComments: z.record(z.string(), z.string()).optional(),
  /** Why the level above reopened this report (or let the unit in after the round closed), until it is approved again. */
  reopenReason: z.string().nullable().optional(),
  /** A review level's upward submission: the note its submitter wrote with 上报上级 (for the parent's reviewer). */
  submitNote: z.string().nullable().optional(),
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  /** The submitting account's display name (a person's name), when the account still exists. */
  submittedByName: z.string().nullable().optional(),
  warnings: z.array(IssueBodySchema),
  replayed: z.boolean().optional(),
  /**
   * A review level's upward submission (a city's figures as its province sees them): `values` and
   * `derived` hold one text per indicator (sums and rates exact, yes/no "yes/reported", choices
   * "option:count"), and `totals` the whole totals of the units it approved, frozen at submission.
   */
  level: z.boolean().optional(),
  totals: TotalsSchema.optional(),
  /** The detail lists (issue 25) by table code, each row's fields as stored, in the unit's order (a template without lists: absent). */
  lists: z.record(z.string(), z.array(z.record(z.string(), RawValueSchema))).optional(),
});
export type SubmissionView = z.infer<typeof SubmissionViewSchema>;

export const RevisionSummarySchema = z.strictObject({
  revision: z.number().int(),
  submittedAt: z.string(),
  submittedBy: z.string(),
  /** The account's display name (a person's name, not the sign-in name), when the account still exists. */
  submittedByName: z.string().nullable().optional(),
});

const TextChangeSchema = { before: z.string().nullable(), after: z.string().nullable() };
export const RevisionDiffSchema = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(z.strictObject({ indicator: z.string(), before: RawValueSchema, after: RawValueSchema })),
  /** 说明 added, changed or dropped between the two revisions (null: none). */
  notes: z.array(z.strictObject({ indicator: z.string(), ...TextChangeSchema })).optional(),
  /** Signature fields changed between the two revisions. */
  signature: z.array(z.strictObject({ field: SignatureFieldSchema, ...TextChangeSchema })).optional(),
  /** Each detail list's rows added, removed and changed (by its key; by position without one), row numbers each revision's own from 1. */
  lists: z.array(z.strictObject({
    table: z.string(),
    added: z.array(z.strictObject({ row: z.number().int(), values: z.record(z.string(), RawValueSchema) })),
    removed: z.array(z.strictObject({ row: z.number().int(), values: z.record(z.string(), RawValueSchema) })),
    changed: z.array(z.strictObject({ row: z.number().int(), before: z.number().int(), fields: z.array(z.strictObject({ field: z.string(), before: RawValueSchema, after: RawValueSchema })) })),
  })).optional(),
});

/** The most rows one page of a rolled-up list holds. */
export const LIST_PAGE_MAX = 1000;
export const RolledListQuerySchema = z.strictObject({
  unit: z.string().optional(),
  basis: z.enum(["standing", "approved"]).default("standing"),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(LIST_PAGE_MAX).default(200),
});
/**
 * A subtree's detail list (issue 25): the rows of every report that counts in its totals, each with the
 * unit that reported it and its number in that unit's list, a page at a time; `total` rows in all. Its
 * counts and sums are the list's figures in the totals.
 */
export const RolledListSchema = z.strictObject({
  roundId: z.string(),
  unitId: z.string(),
  table: z.string(),
  basis: z.enum(["standing", "approved"]),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  rows: z.array(z.strictObject({ unitId: z.string(), unitName: LocalizedTextSchema, row: z.number().int(), values: z.record(z.string(), RawValueSchema) })),
});
export type RolledList = z.infer<typeof RolledListSchema>;

/** A review note on a detail list's row (issue 25): the list's code and the row's number in the revision reviewed, `producers#17`. */
export const listRowNoteKey = (table: string, row: number): string => `${table}#${row}`;
export const LIST_ROW_NOTE = /^([A-Za-z][A-Za-z0-9_]{0,39})#([1-9]\d{0,3})$/;

/** 退回: a comment for the report as a whole (required) and, optionally, one per indicator code or list row (`producers#17`). */
export const ReviewRequestSchema = z.strictObject({
  comment: SheetTextSchema.pipe(z.string().trim().min(1).max(1000)),
  indicatorComments: z.record(z.union([CodeSchema, z.string().regex(LIST_ROW_NOTE)]), SheetTextSchema.pipe(z.string().trim().min(1).max(500))).optional(),
});
export const ApproveRequestSchema = z.strictObject({ comment: SheetTextSchema.pipe(z.string().max(1000)).optional() });
/**
 * What a review did: the report's state and revision; an approval also names the unit's reports built on
 * it (next year's 上年同期, this year's later 累计) that it brought up to the approved figures, those it
 * could not (locked above), and those whose own rules over the periods its figures now break.
 */
export const ReviewResultSchema = z.object({
  state: z.string(),
  revision: z.number().int(),
  lastYear: z.strictObject({ updated: z.array(CodeSchema), locked: z.array(CodeSchema), review: z.array(CodeSchema) }).optional(),
});
export type ReviewResult = z.infer<typeof ReviewResultSchema>;
/** 重新打开: the unit, and why (kept in the audit and shown to the unit as its report's comment; the screen asks for it). */
export const ReopenRequestSchema = z.strictObject({ unitId: CodeSchema, reason: SheetTextSchema.pipe(z.string().trim().max(500)).optional() });
/** 上报 of a review level (a city to its province): an optional note for the reviewer. */
export const LevelSubmitRequestSchema = z.strictObject({ comment: SheetTextSchema.pipe(z.string().max(1000)).optional() });
/** A review level's upward submission after a transition (submit, return, approve). */
export const LevelTransitionSchema = z.strictObject({
  roundId: CodeSchema,
  unitId: CodeSchema,
  state: UnitStateSchema,
  revision: z.number().int(),
  replayed: z.boolean().optional(),
});
export type LevelTransition = z.infer<typeof LevelTransitionSchema>;


export const CompletenessSchema = z.strictObject({
  expected: z.number().int(),
  submitted: z.number().int(),
  approved: z.number().int(),
  returned: z.number().int(),
  late: z.number().int(),
  notStarted: z.number().int(),
  missing: z.number().int(),
  units: z.array(z.strictObject({
    unitId: CodeSchema,
    name: LocalizedTextSchema,
    state: UnitStateSchema,
    revision: z.number().int().nullable(),
    firstSubmittedAt: z.string().nullable(),
    reopened: z.boolean().optional(),
    late: z.boolean(),
    reviewComment: z.string().nullable(),
    /** When the current revision was submitted. */
    lastSubmittedAt: z.string().nullable().optional(),
    /** Who last returned or approved it, and when. */
    reviewedBy: z.string().nullable().optional(),
    reviewedAt: z.string().nullable().optional(),
    /** This unit's own deadline when it was extended past the round's. */
    deadline: z.string().nullable().optional(),
    /** Who to call about this unit's report (催报), if known. */
    contact: z.strictObject({ name: z.string().nullable(), phone: z.string().nullable() }).nullable().optional(),
    /** When a reminder about it was last posted to a group robot. */
    lastRemindedAt: z.string().nullable().optional(),
  })),
  /**
   * The review levels in the viewer's subtree (its own unit included when it is one): each city's
   * upward submission in a province's round, its lateness by its upward deadline, and the expected
   * units below it.
   */
  levels: z.array(z.strictObject({
    unitId: CodeSchema,
    name: LocalizedTextSchema,
    level: UnitLevelSchema,
    parentId: CodeSchema.nullable(),
    state: UnitStateSchema,
    revision: z.number().int(),
    firstSubmittedAt: z.string().nullable(),
    lastSubmittedAt: z.string().nullable(),
    deadline: z.string(),
    late: z.boolean(),
    reviewComment: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    expected: z.number().int(),
    submitted: z.number().int(),
    approved: z.number().int(),
    returned: z.number().int(),
    missing: z.number().int(),
  })).optional(),
});

export const TotalsBasisSchema = z.enum(["standing", "approved"]);

export const TotalsViewSchema = z.strictObject({
  roundId: CodeSchema,
  unitId: CodeSchema,
  basis: TotalsBasisSchema,
  totals: TotalsSchema,
  children: z.array(z.strictObject({ unitId: CodeSchema, name: LocalizedTextSchema, totals: TotalsSchema })),
  previous: z.strictObject({ roundId: CodeSchema, period: PeriodSchema, totals: TotalsSchema }).nullable(),
});
export type TotalsView = z.infer<typeof TotalsViewSchema>;

/** A unit's group robot for reminders, as the API shows it: never its key (the URL) or secret. */
export const WebhookViewSchema = z.strictObject({
  unitId: z.string(),
  kind: z.enum(["wecom", "dingtalk"]).nullable(),
  /** Only the host is shown: the URL holds the robot's key, which is a secret. */
  host: z.string().nullable(),
  signed: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type WebhookView = z.infer<typeof WebhookViewSchema>;

export const RemindResultSchema = z.array(z.strictObject({ roundId: z.string(), unitId: z.string(), status: z.enum(["sent", "failed", "no_webhook", "recent"]), error: z.string().optional() }));
export type RemindResult = z.infer<typeof RemindResultSchema>;

/** New accounts' initial passwords from applying a units-and-accounts workbook: shown this once. */
export const InitialPasswordsSchema = z.array(z.strictObject({ username: z.string(), displayName: z.string(), unitId: z.string(), password: z.string() }));

/**
 * Move a round's deadline later; or (with unitId) set one expected unit's own deadline: any future
 * time from the round's deadline on (the round's own deadline clears the unit's extension). With
 * unitId a review level (a city in a province's round), the level's upward deadline is extended.
 */
export const ExtendDeadlineRequestSchema = z.strictObject({ deadline: DeadlineSchema, unitId: CodeSchema.optional() });
export type ExtendDeadlineRequest = z.infer<typeof ExtendDeadlineRequestSchema>;

/** An account as the administrators' screen shows it (never a password or its hash). */
export const AccountViewSchema = z.strictObject({
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  unitId: CodeSchema,
  unitName: LocalizedTextSchema,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastSignInAt: z.string().nullable(),
});
export type AccountView = z.infer<typeof AccountViewSchema>;

/** A unit's contact for the 催报 list. */
export const UnitContactRequestSchema = z.strictObject({
  name: SheetTextSchema.pipe(z.string().trim().max(64)).nullable(),
  phone: z.string().trim().regex(/^[0-9+\- ()]{0,32}$/, "digits, spaces, + - ( ) only").nullable(),
});

export const AuditQuerySchema = z.strictObject({ unit: z.string().optional(), action: z.string().max(64).optional() });
export const AuditEntrySchema = z.strictObject({
  id: z.number().int(),
  at: z.string(),
  /** The account's username, and its display name when the account still exists. */
  username: z.string().nullable(),
  displayName: z.string().nullable().optional(),
  action: z.string(),
  unitId: z.string().nullable(),
  beforeRevision: z.number().int().nullable(),
  afterRevision: z.number().int().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/**
 * What a reviewer sees beside one report: the report, the same unit's figures last period, and its
 * siblings' (the units with the same parent in this round) total and median per indicator, and the
 * report's revisions. Values are as in SubmissionView (decimal text, never a float).
 */
export const ReviewContextSchema = z.strictObject({
  submission: SubmissionViewSchema,
  previous: z.strictObject({ roundId: CodeSchema, period: PeriodSchema, values: z.record(z.string(), RawValueSchema), derived: z.record(z.string(), RawValueSchema) }).nullable(),
  /** The parent unit's standing totals in this round (ratio of sums for rates), and the median of the siblings that have reported. */
  parent: z.strictObject({ unitId: CodeSchema, name: LocalizedTextSchema, units: z.number().int(), totals: z.record(z.string(), z.string().nullable()), median: z.record(z.string(), z.string().nullable()),
    /** Yes/no indicators: how many of the units counted answered 是, of how many that answered. */
    yesNo: z.record(z.string(), z.strictObject({ yes: z.number().int(), reported: z.number().int() })).optional() }).nullable(),
  revisions: z.array(RevisionSummarySchema),
});
export type ReviewContext = z.infer<typeof ReviewContextSchema>;

/**
 * The aggregate workbook's sheets as the Worker lays them out (GET /rounds/:id/totals/sheets): the
 * add-in draws these plans into the open workbook, so its 下载汇总 is the file's content exactly.
 */
export const TotalsSheetsSchema = z.strictObject({
  title: z.string(),
  /** Each sheet as data (shared/src/layout/sheet-plan.ts SheetPlan: cells, widths, merges, validations, print setup). */
  sheets: z.array(z.looseObject({ name: z.string(), cells: z.array(z.looseObject({ row: z.number().int(), col: z.number().int() })) })).min(1),
});
export type TotalsSheets = { title: string; sheets: SheetPlan[] };
