import { canonicalSignature, SignatureSchema, type Signature, type SubmissionStatus, type Values } from "@tianbao/shared";
import { inSubtree } from "./units";

export interface SubmissionRow {
  round_id: string;
  unit_id: string;
  state: SubmissionStatus;
  revision: number;
  first_submitted_at: string;
  updated_at: string;
  review_comment: string | null;
  seq: number;
  /** JSON object of the reviewer's comments per indicator code, left with the last return. */
  review_indicator_comments: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
}

export const findSubmission = (db: D1Database, roundId: string, unitId: string) =>
  db.prepare("SELECT * FROM submissions WHERE round_id = ? AND unit_id = ?").bind(roundId, unitId).first<SubmissionRow>();

/** The stored text of a blank that was a value in the revision before (JSON null; a value is never that text). */
export const TOMBSTONE = "null";

/**
 * Canonical values of one revision, any revision (history, diff, review); blanks are simply absent.
 * `revision_values` is a change log (migration 0014): the revision reads as the latest row per
 * indicator from the last full snapshot at or before it (a revision stored before 0014) up to it,
 * tombstones (blanked values) dropped. The current revision's values are also in `current_values`.
 */
export async function readRevisionValues(db: D1Database, roundId: string, unitId: string, revision: number): Promise<Values> {
  // ?1 round, ?2 unit, ?3 revision. SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum.
  const { results } = await db.prepare(
    `SELECT indicator, value FROM (
       SELECT indicator, value, MAX(revision) FROM revision_values
       WHERE round_id = ?1 AND unit_id = ?2 AND revision <= ?3 AND revision >= (
         SELECT COALESCE(MAX(revision), 0) FROM revisions WHERE round_id = ?1 AND unit_id = ?2 AND revision <= ?3 AND values_form = 'full')
       GROUP BY indicator)
     WHERE value <> '${TOMBSTONE}'`,
  ).bind(roundId, unitId, revision).all<{ indicator: string; value: string }>();
  return Object.fromEntries(results.map((r) => [r.indicator, JSON.parse(r.value) as Values[string]]));
}

export interface RevisionRow {
  revision: number;
  comments: string;
  /** JSON of the signature block handed in with the revision; null before signatures were kept. */
  signature: string | null;
  submitted_at: string;
  submitted_by: string;
  submitted_by_name: string | null;
}

/** A revision's stored signature (an old or unreadable one reads as none). */
export function signatureOf(row: Pick<RevisionRow, "signature"> | undefined): Signature {
  const parsed = SignatureSchema.safeParse(row?.signature ? JSON.parse(row.signature) : {});
  return parsed.success ? canonicalSignature(parsed.data) : {};
}

export async function listRevisions(db: D1Database, roundId: string, unitId: string): Promise<RevisionRow[]> {
  const { results } = await db.prepare(
    `SELECT r.revision, r.comments, r.signature, r.submitted_at, u.username AS submitted_by, u.display_name AS submitted_by_name FROM revisions r JOIN users u ON u.id = r.submitted_by
     WHERE r.round_id = ? AND r.unit_id = ? ORDER BY r.revision`,
  ).bind(roundId, unitId).all<RevisionRow>();
  return results;
}

/**
 * What a new revision changes (issue 23): each value that is new or differs from the current one,
 * and null (a tombstone) for each current value that became blank. Values are primitives, compared
 * strictly: a value that only looks different (5 and "5") is logged as a change, which costs a row
 * and is never wrong; one that is equal needs no row, its stored text stays what it was.
 */
export function changedValues(current: Values, next: Values): Values {
  const present = (values: Values, code: string) => Object.hasOwn(values, code) && values[code] !== null && values[code] !== undefined;
  const out: Values = {};
  for (const code of Object.keys(next)) if (present(next, code) && (!present(current, code) || current[code] !== next[code])) out[code] = next[code]!;
  for (const code of Object.keys(current)) if (present(current, code) && !present(next, code)) out[code] = null;
  return out;
}

/**
 * A new revision: its row, its changes (changedValues against the current values the caller read,
 * in the same statement as the revision it builds on) as rows of the change log, and the current
 * values brought up to it — four statements whatever the form's size or the number of changes (D1
 * allows 100 bound parameters; the changes travel as one JSON parameter). The comparison is the
 * Worker's: it already holds the current values, and the revision's primary key lets the batch
 * commit only on top of the revision they were read from.
 */
export const insertRevision = (
  db: D1Database, roundId: string, unitId: string, revision: number, changes: Values, comments: Record<string, string>, userId: number, now: string,
  signature: Signature | null = null,
) => [
  db.prepare("INSERT INTO revisions (round_id, unit_id, revision, comments, submitted_by, submitted_at, signature, values_form) VALUES (?, ?, ?, ?, ?, ?, ?, 'changes')")
    .bind(roundId, unitId, revision, JSON.stringify(comments), userId, now, signature ? JSON.stringify(signature) : null),
  db.prepare(
    `INSERT INTO revision_values (round_id, unit_id, revision, indicator, value)
     SELECT ?1, ?2, ?3, key, CASE type WHEN 'null' THEN '${TOMBSTONE}' WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_quote(value) END
     FROM json_each(?4)`,
  ).bind(roundId, unitId, revision, JSON.stringify(changes)),
  ...applyChanges(db, roundId, unitId, revision),
];

/** The current values brought up to a revision from its own change-log rows: blanked ones go, new and changed ones are set. */
export const applyChanges = (db: D1Database, roundId: string, unitId: string, revision: number) => [
  db.prepare(
    `DELETE FROM current_values WHERE round_id = ?1 AND unit_id = ?2 AND indicator IN
       (SELECT indicator FROM revision_values WHERE round_id = ?1 AND unit_id = ?2 AND revision = ?3 AND value = '${TOMBSTONE}')`,
  ).bind(roundId, unitId, revision),
  db.prepare(
    `INSERT INTO current_values (round_id, unit_id, indicator, value)
     SELECT round_id, unit_id, indicator, value FROM revision_values WHERE round_id = ?1 AND unit_id = ?2 AND revision = ?3 AND value <> '${TOMBSTONE}'
     ON CONFLICT (round_id, unit_id, indicator) DO UPDATE SET value = excluded.value`,
  ).bind(roundId, unitId, revision),
];

/** What a state change does to the review columns: a return or approval records its reviewer. */
export interface ReviewMark {
  /** The reviewer (return, approve); left as it was when absent. */
  by?: number;
  /**
   * The per-indicator comments to keep with the state: an object (a return), null (cleared by a
   * submission), or absent (left as they were).
   */
  indicatorComments?: Record<string, string> | null;
}

/** Moves a unit's submission to its next state; `seq` only ever grows (see the audit index). */
export const upsertSubmission = (
  db: D1Database, s: { roundId: string; unitId: string; state: SubmissionStatus; revision: number; seq: number; reviewComment: string | null; review?: ReviewMark }, now: string,
) => {
  const comments = s.review?.indicatorComments;
  return db.prepare(
    `INSERT INTO submissions (round_id, unit_id, state, revision, first_submitted_at, updated_at, review_comment, seq, review_indicator_comments, reviewed_by, reviewed_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?9, ?10, CASE WHEN ?10 IS NULL THEN NULL ELSE ?5 END)
     ON CONFLICT (round_id, unit_id) DO UPDATE SET state = ?3, revision = ?4, updated_at = ?5, review_comment = ?6, seq = ?7,
       review_indicator_comments = CASE WHEN ?8 THEN ?9 ELSE submissions.review_indicator_comments END,
       reviewed_by = COALESCE(?10, submissions.reviewed_by),
       reviewed_at = CASE WHEN ?10 IS NULL THEN submissions.reviewed_at ELSE ?5 END
     WHERE submissions.seq = ?7 - 1`,
  ).bind(
    s.roundId, s.unitId, s.state, s.revision, now, s.reviewComment, s.seq,
    comments === undefined ? 0 : 1, comments ? JSON.stringify(comments) : null, s.review?.by ?? null,
  );
};

/** Stored per-indicator review comments, read back as a plain record (only string values kept). */
export function parseIndicatorComments(text: string | null): Record<string, string> {
  if (!text) return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== "object" || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export interface StatusRow {
  unit_id: string;
  path: string;
  name_zh: string;
  name_en: string;
  reopened: number;
  state: SubmissionStatus | null;
  revision: number | null;
  first_submitted_at: string | null;
  review_comment: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  last_reminded_at: string | null;
  /** The unit's own deadline in the round, if it was given one. */
  deadline: string | null;
  /** When the current revision was submitted. */
  last_submitted_at: string | null;
  /** Display name of who last returned or approved it (null when the account is gone or nobody has). */
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/** Every expected unit of a round within the caller's subtree, with where it stands. */
export async function listStatuses(db: D1Database, roundId: string, path: string): Promise<StatusRow[]> {
  const { results } = await db.prepare(
    `SELECT ru.unit_id, u.path, u.name_zh, u.name_en, ru.reopened, ru.deadline, s.state, s.revision, s.first_submitted_at, s.review_comment,
       u.contact_name, u.contact_phone, (SELECT MAX(sent_at) FROM reminders m WHERE m.round_id = ru.round_id AND m.unit_id = ru.unit_id) AS last_reminded_at,
       r.submitted_at AS last_submitted_at, rb.display_name AS reviewed_by, s.reviewed_at
     FROM round_units ru JOIN units u ON u.id = ru.unit_id
     LEFT JOIN submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id
     LEFT JOIN revisions r ON r.round_id = s.round_id AND r.unit_id = s.unit_id AND r.revision = s.revision
     LEFT JOIN users rb ON rb.id = s.reviewed_by
     WHERE ru.round_id = ?1 AND ${inSubtree("u.path", "?2")}
     -- official order: units have no 区划代码, so the order their parent created them in (the rows of its
     -- 单位与账号 workbook), grouped under their parent in the same order, 市本级 last
     ORDER BY (SELECT p.rowid FROM units p WHERE p.id = u.parent_id), u.level = 'self', u.rowid`,
  ).bind(roundId, path).all<StatusRow>();
  return results;
}

/**
 * Each unit's figures that count in a subtree's totals on a basis: standing (submitted or approved)
 * or accepted (approved, and approved by every review level between the unit and the subtree's root).
 */
export async function readCountedValues(db: D1Database, roundId: string, path: string, basis: "standing" | "approved"): Promise<Map<string, Values>> {
  // The reports that count are picked first (MATERIALIZED), each checked once against the review levels still
  // open below the viewing unit; only then are their values read. Checked per value row instead, SQLite
  // spent ~15 s on a nation's round (reports × indicators × levels), review27's finding.
  const { results } = await db.prepare(
    `WITH open_levels AS MATERIALIZED (
       SELECT lu.path FROM round_levels rl JOIN units lu ON lu.id = rl.unit_id
       WHERE ?3 = 'approved' AND rl.round_id = ?1 AND rl.state IS NOT 'approved' AND length(lu.path) > length(?2) AND ${inSubtree("lu.path", "?2")}
     ), counted AS MATERIALIZED (
       SELECT s.unit_id FROM submissions s JOIN units u ON u.id = s.unit_id
       WHERE s.round_id = ?1 AND ${inSubtree("u.path", "?2")} AND s.state IN ('approved', ?3)
         -- accepted at the viewing unit: every review level strictly between the report's unit and it has approved
         AND NOT EXISTS (SELECT 1 FROM open_levels o WHERE length(o.path) < length(u.path) AND substr(u.path, 1, length(o.path)) = o.path)
     )
     SELECT c.unit_id, cv.indicator, cv.value FROM counted c
     JOIN current_values cv ON cv.round_id = ?1 AND cv.unit_id = c.unit_id`,
  ).bind(roundId, path, basis === "standing" ? "submitted" : "approved").all<{ unit_id: string; indicator: string; value: string }>();
  const out = new Map<string, Values>();
  for (const r of results) {
    const values = out.get(r.unit_id) ?? {};
    values[r.indicator] = JSON.parse(r.value) as Values[string];
    out.set(r.unit_id, values);
  }
  return out;
}

/**
 * A unit's current submission, that revision's values, and what its people wrote with it (说明 notes,
 * the signature block), in one query (null when none yet).
 */
export async function readCurrent(db: D1Database, roundId: string, unitId: string): Promise<{ row: SubmissionRow; values: Values; comments: Record<string, string>; signature: Signature } | null> {
  const { results } = await db.prepare(
    `SELECT s.*, r.comments AS rev_comments, r.signature AS rev_signature, cv.indicator, cv.value FROM submissions s
     LEFT JOIN revisions r ON r.round_id = s.round_id AND r.unit_id = s.unit_id AND r.revision = s.revision
     LEFT JOIN current_values cv ON cv.round_id = s.round_id AND cv.unit_id = s.unit_id
     WHERE s.round_id = ? AND s.unit_id = ?`,
  ).bind(roundId, unitId).all<SubmissionRow & { rev_comments: string | null; rev_signature: string | null; indicator: string | null; value: string | null }>();
  const first = results[0];
  if (!first) return null;
  const { indicator: _i, value: _v, rev_comments: comments, rev_signature: signature, ...row } = first;
  const values: Values = {};
  for (const r of results) if (r.indicator !== null && r.value !== null) values[r.indicator] = JSON.parse(r.value) as Values[string];
  return { row, values, comments: parseIndicatorComments(comments), signature: signatureOf({ signature }) };
}

/**
 * The unit's standing figures in the previous period of the same template and owner (for jump
 * warnings and the previous-period column), in one query; null when there are none.
 */
export async function readPreviousValues(db: D1Database, round: { template_id: string; owner_unit_id: string }, previousPeriod: string | null, unitId: string): Promise<Values | null> {
  if (!previousPeriod) return null;
  const { results } = await db.prepare(
    `SELECT cv.indicator, cv.value FROM submissions s
     JOIN current_values cv ON cv.round_id = s.round_id AND cv.unit_id = s.unit_id
     WHERE s.unit_id = ?1 AND s.state <> 'returned' AND s.round_id =
       -- the unit's own standing figures in the same template's round for that period: the same
       -- owner's round first, else any (a county in a province's round has last year's in its city's)
       -- (CROSS JOIN keeps the few rounds outside and looks each one's submission up by its key,
       -- never scanning a round's thousands of submissions for the unit)
       (SELECT r.id FROM rounds r CROSS JOIN submissions ps ON ps.round_id = r.id AND ps.unit_id = ?1 AND ps.state <> 'returned'
        WHERE r.template_id = ?2 AND r.period = ?4 ORDER BY r.owner_unit_id = ?3 DESC, r.created_at DESC LIMIT 1)`,
  ).bind(unitId, round.template_id, round.owner_unit_id, previousPeriod).all<{ indicator: string; value: string }>();
  if (results.length === 0) return null;
  return Object.fromEntries(results.map((r) => [r.indicator, JSON.parse(r.value) as Values[string]]));
}

/**
 * The cover a unit signed last period (统一社会信用代码, 负责人, 统计负责人, 填报人, 联系电话), to carry
 * forward onto a new report's sheet as statistical forms are: filled once, changed when it changes.
 * The date is never carried. The same round as readPreviousValues takes last period's figures from.
 */
export async function readPreviousSignature(db: D1Database, round: { template_id: string; owner_unit_id: string }, previousPeriod: string | null, unitId: string): Promise<Signature | null> {
  if (!previousPeriod) return null;
  const r = await db.prepare(
    `SELECT rev.signature FROM submissions s
     JOIN revisions rev ON rev.round_id = s.round_id AND rev.unit_id = s.unit_id AND rev.revision = s.revision
     WHERE s.unit_id = ?1 AND s.round_id =
       (SELECT r.id FROM rounds r CROSS JOIN submissions ps ON ps.round_id = r.id AND ps.unit_id = ?1 AND ps.state <> 'returned'
        WHERE r.template_id = ?2 AND r.period = ?4 ORDER BY r.owner_unit_id = ?3 DESC, r.created_at DESC LIMIT 1)`,
  ).bind(unitId, round.template_id, round.owner_unit_id, previousPeriod).first<{ signature: string | null }>();
  const { date: _date, ...carried } = signatureOf({ signature: r?.signature ?? null });
  return Object.keys(carried).length > 0 ? carried : null;
}

const valuesByUnit = (rows: readonly { unit_id: string; indicator: string; value: string }[]): Map<string, Values> => {
  const out = new Map<string, Values>();
  for (const r of rows) {
    const values = out.get(r.unit_id) ?? {};
    values[r.indicator] = JSON.parse(r.value) as Values[string];
    out.set(r.unit_id, values);
  }
  return out;
};

/** A unit's standing figures in a round (submitted or approved; a returned report does not stand), or null. */
export async function readStandingValues(db: D1Database, roundId: string, unitId: string): Promise<Values | null> {
  const { results } = await db.prepare(
    `SELECT s.unit_id, cv.indicator, cv.value FROM submissions s
     JOIN current_values cv ON cv.round_id = s.round_id AND cv.unit_id = s.unit_id
     WHERE s.round_id = ?1 AND s.unit_id = ?2 AND s.state IN ('submitted', 'approved')`,
  ).bind(roundId, unitId).all<{ unit_id: string; indicator: string; value: string }>();
  return valuesByUnit(results).get(unitId) ?? null;
}

/**
 * The standing figures of a parent's children expected in a round (a unit and its siblings), unit
 * by unit. Bounded by the siblings: the units are found by their parent (indexed) and only then
 * their rows in the round, so a province-wide round costs what one family of units costs.
 */
export async function readSiblingValues(db: D1Database, roundId: string, parentId: string): Promise<Map<string, Values>> {
  const { results } = await db.prepare(
    `SELECT s.unit_id, cv.indicator, cv.value FROM units u
     CROSS JOIN round_units ru ON ru.round_id = ?1 AND ru.unit_id = u.id
     JOIN submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id AND s.state IN ('submitted', 'approved')
     JOIN current_values cv ON cv.round_id = s.round_id AND cv.unit_id = s.unit_id
     WHERE u.parent_id = ?2`,
  ).bind(roundId, parentId).all<{ unit_id: string; indicator: string; value: string }>();
  return valuesByUnit(results);
}
