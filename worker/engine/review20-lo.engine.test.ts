import { describe, expect, it } from "vitest";
import { BUILTIN_TEMPLATE, DEMO_PAST_VALUES, buildFillPlan, compileTemplate, parseFillGrid, validateValues} from "@tianbao/shared";
import { renderWorkbook } from "../src/export/xlsx";
import { readUploadedGrid } from "../src/upload/read-xlsx";
import { convert, haveLibreOffice } from "./libreoffice";

const compiled = (() => { const r = compileTemplate(BUILTIN_TEMPLATE); if (!r.ok) throw new Error("template"); return r.compiled; })();
describe.skipIf(!haveLibreOffice)("LibreOffice round trip", () => {
  for (const lang of ["zh_CN.UTF-8", "de_DE.UTF-8"]) {
    it(`HELD: a filled sheet saved again by LibreOffice (${lang}) reads back the same figures and notes`, async () => {
      const values = { ...DEMO_PAST_VALUES.zezhou!, remarks: "0356-1234567 全年无事故" };
      const plan = buildFillPlan(compiled, { roundId: "r2025", period: "2025", unit: { id: "zezhou", name: "zezhou" }, current: values });
      const old = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
      process.env.LANG = lang; process.env.LC_ALL = lang;
      let out: Buffer;
      try { out = convert(new Uint8Array(await renderWorkbook([plan])), "fill.xlsx", "xlsx"); } finally { process.env.LANG = old.LANG; process.env.LC_ALL = old.LC_ALL; }
      const read = await readUploadedGrid(new Uint8Array(out));
      expect(read.ok).toBe(true);
      if (!read.ok) return;
      const parsed = parseFillGrid(compiled, read.value.grid, { roundId: "r2025", unitId: "zezhou", formulaCells: read.value.formulaCells, errors: read.value.errors, shown: read.value.shown });
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
      if (!parsed.ok) return;
      const v = validateValues(compiled, parsed.values);
      const want = validateValues(compiled, values);
      expect(v.values).toEqual(want.values);
    }, 60_000);
  }
});
