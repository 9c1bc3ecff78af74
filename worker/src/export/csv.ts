/**
 * CSV for Excel and WPS: UTF-8 with a BOM so Chinese shows correctly, CRLF line ends, and any cell
 * that a spreadsheet would run as a formula (= + - @, tab, CR) neutralised with a leading apostrophe.
 */
export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  const cell = (v: string | number | boolean | null): string => {
    if (v === null) return "";
    if (typeof v === "number") return String(v);
    if (typeof v === "boolean") return v ? "是" : "否";
    let s = v;
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return "\uFEFF" + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
