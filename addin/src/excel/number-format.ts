/**
 * Whether a number format shows a number as a percent or as a date or time, read from its codes
 * ("Number format codes": https://support.microsoft.com/office/number-format-codes-5026bbd6-04bc-48cd-bf33-80f18b4eae68).
 * The section that applies to the number's sign is read (positive;negative;zero;text). Quoted text,
 * \-escaped characters, _x spacing, *x fills and [..] parts (colours, conditions, locales) say
 * nothing about it, except elapsed time ([h], [mm], [ss]); "General" is a word, not codes.
 */
export function shownAs(numberFormat: string, n: number): "percent" | "date" | null {
  if (numberFormat === "General" || numberFormat === "@") return null;
  const sections = splitSections(numberFormat);
  const section = (n < 0 ? sections[1] : n === 0 ? sections[2] : undefined) ?? sections[0] ?? "";
  const elapsed = /\[(h+|m+|s+)]/i.test(section);
  const codes = section
    .replace(/"[^"]*"/g, "").replace(/\\./g, "").replace(/[_*]./g, "").replace(/\[[^\]]*]/g, "")
    .replace(/general/gi, "").replace(/E[+-]/gi, "").replace(/AM\/PM|A\/P/gi, "h");
  if (codes.includes("%")) return "percent";
  // y m d h s: dates and times; e: the era year, aaa: the weekday of East Asian formats (same page)
  return elapsed || /[ymdhse]|aaa/i.test(codes) ? "date" : null;
}

/** Splits at semicolons outside quotes and brackets. */
function splitSections(format: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let bracket = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch === "\\" && !quoted) { current += ch + (format[++i] ?? ""); continue; }
    if (ch === '"' && !bracket) quoted = !quoted;
    else if (ch === "[" && !quoted) bracket = true;
    else if (ch === "]" && !quoted) bracket = false;
    if (ch === ";" && !quoted && !bracket) { out.push(current); current = ""; continue; }
    current += ch;
  }
  out.push(current);
  return out;
}
