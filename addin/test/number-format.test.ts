import { describe, expect, it } from "vitest";
import { shownAs } from "../src/excel/number-format";

// Which number formats show a figure as something else (Microsoft's "Number format codes"): the
// add-in refuses a percent or a date in a count or amount cell, and reads everything else as the number.
describe("shownAs: what a cell's number format makes of a number", () => {
  it("plain numbers, currencies, accounting, scientific and literal text around a number are the number itself", () => {
    const plain = ["General", "@", "0", "0.00", "#,##0", "#,##0.00_);[Red](#,##0.00)", "0.00E+00", "\"第\"0\"名\"", "[$¥-804]#,##0.00",
      "_-* #,##0_-;-* #,##0_-;_-* \"-\"_-;_-@_-", "0\\%", "0\"%\"", "[DBNum1][$-804]General", "\"增加\"0;\"减少\"0"];
    for (const f of plain) expect(shownAs(f, 45), f).toBeNull();
  });

  it("percent formats show a percent", () => {
    for (const f of ["0%", "0.00%", "#,##0.0%;[Red]-#,##0.0%"]) expect(shownAs(f, 0.45), f).toBe("percent");
  });

  it("date and time formats, Chinese ones and elapsed time included, show a date", () => {
    const dates = ["m/d/yyyy", "d-mmm", "mmm-yy", "yyyy\"年\"m\"月\"d\"日\"", "m\"月\"d\"日\"", "[$-804]aaaa", "[h]:mm:ss", "h:mm AM/PM", "yyyy/m/d h:mm", "[$-F800]dddd, mmmm dd, yyyy", "e\"年\"m\"月\""];
    for (const f of dates) expect(shownAs(f, 46143), f).toBe("date");
  });

  it("reads the section that applies to the number's sign", () => {
    expect(shownAs("0;0%", 5)).toBeNull();
    expect(shownAs("0;0%", -5)).toBe("percent");
    expect(shownAs("0;0;yyyy-mm-dd", 0)).toBe("date");
    expect(shownAs("0;0;yyyy-mm-dd", 3)).toBeNull();
    expect(shownAs("\"a;b\"0;0%", 5)).toBeNull(); // a quoted semicolon does not start a section
  });
});
