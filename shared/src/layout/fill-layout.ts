import type { CompiledTemplate } from "../template/compile";
import type { Indicator } from "../schemas/template";
import { fingerprint } from "./sheet-plan";
import { FILL_BODY_ROW } from "./fill-rows";

/** Fixed columns of the fill sheet (0-based). */
export const FILL_COLUMNS = { code: 0, name: 1, unit: 2, value: 3, previous: 4, comment: 5, check: 6 } as const;
/** The header row's texts the reader checks (A–F; G is the add-in's check column), as drawn. */
export const FILL_HEADERS = ["代码", "指标名称", "计量单位", "本期数值", "上期数值", "说明"] as const;
export const FILL_TITLE_ROW = 0;
export const FILL_META_ROW = 1;
export const FILL_STATUS_ROW = 2;
export const FILL_HEADER_ROW = 3;
const FIRST_BODY_ROW = FILL_BODY_ROW;
export { FILL_FIXED_ROWS, FILL_MAX_ROWS } from "./fill-rows";

export type FillRow = { row: number; kind: "section"; section: string } | { row: number; kind: "indicator"; indicator: Indicator };

/** Where every section and indicator sits on the fill sheet; the same for drawing and reading. */
export interface FillIndex {
  rows: FillRow[];
  rowOf: ReadonlyMap<string, number>;
  fingerprint: string;
}

/**
 * Rows of the fill sheet: each section's title, then its indicators in template order — of every
 * section (a template without a form), or of a list table's sections (its sheet in a form).
 */
export function fillIndex(compiled: CompiledTemplate, only?: readonly string[]): FillIndex {
  const { template } = compiled;
  const rows: FillRow[] = [];
  const rowOf = new Map<string, number>();
  let row = FIRST_BODY_ROW;
  const sections = only ? only.map((code) => template.sections.find((s) => s.code === code)).filter((s) => s !== undefined) : template.sections;
  for (const section of sections) {
    const inds = template.indicators.filter((i) => i.section === section.code);
    if (inds.length === 0) continue;
    rows.push({ row: row++, kind: "section", section: section.code });
    for (const indicator of inds) {
      rowOf.set(indicator.code, row);
      rows.push({ row: row++, kind: "indicator", indicator });
    }
  }
  const shape = rows.map((r) => (r.kind === "section" ? `#${r.section}` : r.indicator.code)).join(",");
  return { rows, rowOf, fingerprint: fingerprint(`${template.id}|${template.version}|${shape}`) };
}

export interface FillMeta {
  templateId: string;
  version: number;
  roundId: string;
  unitId: string;
  fingerprint: string;
  /** The revision these figures started from (sent back as If-Match); absent on a new sheet. */
  revision?: number;
  /** Which sheet of a form's workbook this is ("cover", a table's code); absent on a one-sheet template's. */
  page?: string;
}

const META_PREFIX = "TIANBAO/1";

/** The text of the protected metadata cell: what this sheet is, for whom, and its layout. */
export function encodeFillMeta(m: FillMeta): string {
  const rev = m.revision === undefined ? "" : `;rev=${m.revision}`;
  const page = m.page === undefined ? "" : `;page=${m.page}`;
  return `${META_PREFIX};template=${m.templateId};version=${m.version};round=${m.roundId};unit=${m.unitId};fp=${m.fingerprint}${rev}${page}`;
}

/** Reads the metadata cell back; null when the text is not Tianbao metadata. */
export function decodeFillMeta(text: unknown): FillMeta | null {
  if (typeof text !== "string" || !text.startsWith(`${META_PREFIX};`)) return null;
  const fields = new Map(text.split(";").slice(1).map((kv) => kv.split("=", 2) as [string, string]));
  const version = Number(fields.get("version"));
  const [templateId, roundId, unitId, fp] = ["template", "round", "unit", "fp"].map((k) => fields.get(k));
  if (!templateId || !roundId || !unitId || !fp || !Number.isInteger(version)) return null;
  const rev = fields.get("rev");
  const revision = rev !== undefined && /^\d{1,9}$/.test(rev) ? Number(rev) : undefined;
  const page = fields.get("page");
  return { templateId, version, roundId, unitId, fingerprint: fp, ...(revision !== undefined ? { revision } : {}), ...(page ? { page } : {}) };
}
