import { Hono } from "hono";
import { SubmissionViewSchema, parseFillGrid, previousPeriod, readFillMeta } from "@tianbao/shared";
import { z } from "zod";
import type { AppEnv } from "../env";
import { failure, reply } from "../errors";
import { readPreviousValues } from "../db/submissions";
import { fillSheetOf } from "../upload/read-xlsx";
import { uploadedWorkbook } from "./upload-body";
import { submitValues } from "../workflow/submit";
import { loadRound, loadUnit } from "./context";
import { REVISION_HEADERS, defineRoute } from "./define";
import { XLSX_TYPE } from "../export/xlsx";

export const uploadRoutes = new Hono<AppEnv>();

const UploadQuerySchema = z.strictObject({ acknowledgeWarnings: z.enum(["0", "1"]).optional() });

defineRoute(uploadRoutes, {
  method: "post", path: "/rounds/:id/submissions/:unit/upload",
  summary: "上报 from a filled .xlsx (WPS or any Excel): the body is the file; same rules as PUT",
  roles: ["reporter", "admin"], query: UploadQuerySchema, response: SubmissionViewSchema, consumes: XLSX_TYPE, headers: REVISION_HEADERS,
}, async (c, { query }) => {
  const r = await loadRound(c, c.req.param("id")!);
  if (!r.ok) return reply(c, r);
  const unit = await loadUnit(c, c.req.param("unit")!, "write");
  if (!unit.ok) return reply(c, unit);
  const book = await uploadedWorkbook(c);
  if (!book.ok) return reply(c, book);
  const file = fillSheetOf(book.value);
  if (!file.ok) return reply(c, file);
  const { round, compiled } = r.value;
  const parsed = parseFillGrid(compiled, file.value.grid, { roundId: round.id, unitId: unit.value.id, formulaCells: file.value.formulaCells });
  if (!parsed.ok) {
    return reply(c, failure(422, "layout_mismatch", parsed.error.message.zh, parsed.error.message.en, parsed.error.cell ? { where: parsed.error.cell } : {}));
  }
  const db = c.env.DB;
  const previous = await readPreviousValues(db, round, previousPeriod(round.period), unit.value.id);
  const meta = readFillMeta(file.value.grid)!;
  const done = await submitValues(db, {
    round, compiled, unitId: unit.value.id, unitPath: unit.value.path, user: c.var.user, previous,
    body: { values: parsed.values, comments: parsed.comments, ...(query.acknowledgeWarnings === "1" ? { acknowledgeWarnings: true } : {}) },
    ifMatch: `"${meta.revision ?? 0}"`, idempotencyKey: c.req.header("idempotency-key"),
  }, new Date());
  if (!done.ok) return reply(c, done);
  return c.json(done.value.view, done.value.status);
});
