// A detail list's CSV (issue 25, export.csv?list=<code>): every row counted in the subtree's totals on the
// basis, with its unit, under the totals CSV's rules (shared/src/layout/totals-csv.ts listCsvRow). The
// file is streamed a page of rows at a time, so a list of tens of thousands of rows never sits whole in a
// Worker's memory; past LIST_CSV_ROWS a last line says how many rows the list has.
import { LIST_CSV_ROWS, LIST_PAGE_MAX, csvLines, listCsvCutLine, listCsvHeader, listCsvRow, type DetailTable, type Values } from "@tianbao/shared";
import { readRolledList } from "../db/lists";

export interface ListCsvInput {
  roundId: string;
  /** The subtree's root path. */
  path: string;
  table: DetailTable;
  basis: "standing" | "approved";
  /** A unit's name as the file names it (its path below the viewer where it is deeper than a child). */
  nameOf: (unitId: string, plain: string) => string;
}

/**
 * The list's CSV as a stream: the BOM and header first, then one pull per page. Pages are separate reads,
 * as the API's are: a report resubmitted while the file is being written may show in it half old, half new.
 */
export function listCsvStream(db: D1Database, e: ListCsvInput, cap = LIST_CSV_ROWS): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let header = false;
  let offset = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!header) {
        header = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLines([listCsvHeader(e.table)])}`));
        return;
      }
      if (done) return;
      const page = await readRolledList(db, e.roundId, e.path, e.table.code, e.basis, { offset, limit: Math.min(LIST_PAGE_MAX, cap - offset) });
      offset += page.rows.length;
      const lines = page.rows.map((r) => listCsvRow(e.table, { unitId: r.unit_id, name: e.nameOf(r.unit_id, r.name_zh), row: r.pos, values: JSON.parse(r.value) as Values }));
      const end = page.rows.length === 0 || offset >= Math.min(page.total, cap);
      if (end && page.total > offset) lines.push(listCsvCutLine(page.total, offset));
      if (lines.length > 0) controller.enqueue(encoder.encode(csvLines(lines)));
      if (end) {
        done = true;
        controller.close();
      }
    },
  });
}
