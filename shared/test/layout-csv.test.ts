import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { aggregateReports, toCsv, totalsCsvRows, type Totals } from "@tianbao/shared";
import { compiled } from "./helpers";
import { reportsFor } from "./arbitraries";

const c = compiled();

/** RFC 4180 reading, as a spreadsheet opens the file: quoted fields, doubled quotes, CRLF rows. */
function readCsv(text: string): string[][] {
  expect(text.startsWith("\uFEFF")).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; } else if (ch === "\r" && body[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; } else field += ch;
  }
  return rows;
}

const csvOf = (lines: { unitId: string; name: string; period: string; totals: Totals }[]) => readCsv(toCsv(totalsCsvRows(c, lines)));
const NUMBER = /^-?\d+(\.\d+)?$/;

describe("the totals CSV", () => {
  it("writes every figure as a plain number: yes/no as 是 and reported counts, a count per choice option, texts as a count (property)", () => {
    fc.assert(fc.property(reportsFor(c, 10), (reports) => {
      const totals = aggregateReports(c, reports);
      const [header, line] = csvOf([{ unitId: "jincheng", name: "晋城市（合计）", period: "2025", totals }]);
      expect(header!.length).toBe(line!.length);
      const at = (h: string) => line![header!.indexOf(h)];
      for (const ind of c.template.indicators) {
        const t = totals.indicators[ind.code]!;
        if (ind.kind === "yesno" && t.kind === "yesno") {
          expect(at(`${ind.name.zh}：“是”的单位数`)).toBe(t.reported === 0 ? "" : String(t.yes));
          expect(at(`${ind.name.zh}：填报单位数`)).toBe(String(t.reported));
        } else if (ind.kind === "choice" && t.kind === "choice") {
          const counts = ind.options.map((o) => at(`${ind.name.zh}：${o.name.zh}`));
          if (t.reported === 0) expect(counts.every((x) => x === "")).toBe(true);
          else expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(t.reported);
        } else if (ind.kind === "text" && t.kind === "text") {
          expect(at(`${ind.name.zh}：填报单位数`)).toBe(String(t.reported));
        } else if ((t.kind === "count" || t.kind === "amount" || t.kind === "derived") && "unit" in ind) {
          // digit for digit what the aggregation gives (never through a JS number), blank when nobody reported
          expect(at(ind.unit ? `${ind.name.zh}（${ind.unit}）` : ind.name.zh), ind.code).toBe(t.value ?? "");
        }
      }
      // nothing but names and plain numbers: no "3/7", no "是 3 / 共 7", nothing a spreadsheet could take for a date
      for (const cell of line!.slice(3)) expect(cell === "" || NUMBER.test(cell), cell).toBe(true);
    }), { numRuns: 60 });
  });

  it("keeps every digit of a large amount and leaves a figure nobody reported blank, never 0", () => {
    const totals = aggregateReports(c, [
      { unitId: "a", values: { work_funds: "9999999999999.99", products: 9999999999999 } },
      { unitId: "b", values: { work_funds: "0.01", products: null } },
    ]);
    const [header, line] = csvOf([{ unitId: "x", name: "x", period: "2025", totals }]);
    expect(line![header!.indexOf("质量工作经费落实额（万元）")]).toBe("10000000000000.00");
    expect(line![header!.indexOf("工业产品总数（个）")]).toBe("9999999999999");
    expect(line![header!.indexOf("中国名牌产品数（个）")]).toBe(""); // nobody reported it
  });

  it("names periods in words no spreadsheet takes for a date, with no apostrophe", () => {
    const totals = aggregateReports(c, []);
    const periods = ["2024", "2024H1", "2024Q3", "2024-09"].map((period) => csvOf([{ unitId: "x", name: "x", period, totals }])[1]![2]);
    expect(periods).toEqual(["2024年度", "2024年上半年", "2024年第3季度", "2024年9月份"]);
  });

  it("refuses to write a figure that is not a plain decimal", () => {
    expect(() => toCsv([[{ decimal: "1e3" }]])).toThrow(/not a decimal/);
    expect(toCsv([[{ decimal: "-3.50" }, { decimal: "0" }]])).toBe("\uFEFF-3.50,0\r\n");
  });
});
