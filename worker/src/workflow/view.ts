import { derivedValues, locateIssues, type CompiledTemplate, type Issue, type SubmissionView } from "@tianbao/shared";
import { findSubmission, listRevisions, parseIndicatorComments, readRevisionValues } from "../db/submissions";

/** What a unit sees of its submission in a round: state, revision, values, derived, comments. */
export async function readSubmissionView(db: D1Database, compiled: CompiledTemplate, roundId: string, unitId: string, warnings: Issue[] = []): Promise<SubmissionView> {
  const row = await findSubmission(db, roundId, unitId);
  if (!row) {
    return { roundId, unitId, state: "not_started", revision: 0, values: {}, derived: {}, comments: {}, reviewComment: null, reviewIndicatorComments: {}, submittedAt: null, submittedBy: null, warnings: [] };
  }
  const [values, revisions] = await Promise.all([readRevisionValues(db, roundId, unitId, row.revision), listRevisions(db, roundId, unitId)]);
  const current = revisions.find((r) => r.revision === row.revision);
  return {
    roundId, unitId, state: row.state, revision: row.revision, values,
    derived: derivedValues(compiled, values).values,
    comments: current ? (JSON.parse(current.comments) as Record<string, string>) : {},
    reviewComment: row.review_comment,
    // the reviewer's per-indicator comments belong to the return: shown while the report is returned
    reviewIndicatorComments: row.state === "returned" ? parseIndicatorComments(row.review_indicator_comments) : {},
    submittedAt: current?.submitted_at ?? null,
    submittedBy: current?.submitted_by ?? null,
    warnings: locateIssues(compiled, warnings),
  };
}
