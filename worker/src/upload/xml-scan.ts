/**
 * One pass over an XML part, in time linear in its length: every character is looked at a bounded
 * number of times, whatever the markup holds. Regular expressions with lazy `[\s\S]*?</tag>` scans
 * cost time quadratic in the count of unclosed tags (a 2 KB upload of 160,000 `<row>` took 30 s),
 * so the reader tokenizes instead: tags, text and the XML's own constructs, each found with one
 * forward scan that either ends the token or ends the part as unreadable.
 */

export interface XmlOpen {
  kind: "open";
  /** The qualified name as written ("x:row"), and its local part ("row"). */
  name: string;
  local: string;
  /** Offsets of the whole tag in the part, and of its attribute text (quotes kept). */
  start: number;
  end: number;
  attrsStart: number;
  attrsEnd: number;
  selfClosing: boolean;
}
export interface XmlClose { kind: "close"; name: string; local: string; start: number; end: number }
export interface XmlText { kind: "text"; start: number; end: number; cdata: boolean }
export type XmlToken = XmlOpen | XmlClose | XmlText;

/** Why a part could not be tokenized: unreadable markup, or more elements than a part may hold. */
export class XmlScanError extends Error {
  constructor(readonly reason: "malformed" | "too_many_elements", readonly at: number) { super(`${reason} at ${at}`); }
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const localOf = (name: string) => name.slice(name.indexOf(":") + 1);

/**
 * Calls `on` for every token of `xml`, checking that elements nest (each close matches the open
 * it ends, nothing is left open) and that there are at most `maxElements` of them. A DOCTYPE is
 * refused: no spreadsheet part has one, and entity definitions are how XML bombs start.
 */
export function scanXml(xml: string, on: (token: XmlToken, depth: number) => void, maxElements: number): void {
  const open: string[] = [];
  let elements = 0;
  let i = 0;
  const malformed = (at: number) => new XmlScanError("malformed", at);
  const skipTo = (from: number, end: string) => {
    const k = xml.indexOf(end, from);
    if (k < 0) throw malformed(from);
    return k + end.length;
  };
  while (i < xml.length) {
    if (xml.charCodeAt(i) !== 60 /* < */) {
      const next = xml.indexOf("<", i);
      const end = next < 0 ? xml.length : next;
      on({ kind: "text", start: i, end, cdata: false }, open.length);
      i = end;
      continue;
    }
    if (xml.startsWith("<?", i)) { i = skipTo(i + 2, "?>"); continue; }
    if (xml.startsWith("<!--", i)) { i = skipTo(i + 4, "-->"); continue; }
    if (xml.startsWith("<![CDATA[", i)) {
      const end = skipTo(i + 9, "]]>");
      on({ kind: "text", start: i + 9, end: end - 3, cdata: true }, open.length);
      i = end;
      continue;
    }
    if (xml.startsWith("<!", i)) throw malformed(i);
    const closing = xml.charCodeAt(i + 1) === 47; /* / */
    let j = i + (closing ? 2 : 1);
    if (!isNameStart(xml.charCodeAt(j))) throw malformed(i);
    while (j < xml.length && isNameChar(xml.charCodeAt(j))) j++;
    const name = xml.slice(i + (closing ? 2 : 1), j);
    if (closing) {
      while (isSpace(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== 62 || open.pop() !== name) throw malformed(i);
      on({ kind: "close", name, local: localOf(name), start: i, end: j + 1 }, open.length);
      i = j + 1;
      continue;
    }
    const attrsStart = j;
    let selfClosing = false;
    for (;;) {
      if (j >= xml.length) throw malformed(i);
      const c = xml.charCodeAt(j);
      if (c === 34 || c === 39) { // a quoted value is consumed whole: ">" or "/" inside it end nothing
        const q = xml.indexOf(c === 34 ? '"' : "'", j + 1);
        if (q < 0) throw malformed(j);
        j = q + 1;
      } else if (c === 62) {
        break;
      } else if (c === 47 && xml.charCodeAt(j + 1) === 62) {
        selfClosing = true;
        break;
      } else if (c === 60) {
        throw malformed(j); // "<" cannot appear inside a tag
      } else {
        j++;
      }
    }
    const end = j + (selfClosing ? 2 : 1);
    if (++elements > maxElements) throw new XmlScanError("too_many_elements", i);
    const token: XmlOpen = { kind: "open", name, local: localOf(name), start: i, end, attrsStart, attrsEnd: j, selfClosing };
    on(token, open.length);
    if (!selfClosing) open.push(name);
    i = end;
  }
  if (open.length > 0) throw malformed(xml.length);
}

/**
 * One attribute's value from a tag's attribute text, read in one forward pass (quoted values
 * consumed whole, so a quoted ">" or "r=" is never taken for markup); null when it is absent.
 */
export function attributeOf(xml: string, from: number, to: number, wanted: string): string | null {
  let j = from;
  while (j < to) {
    while (j < to && isSpace(xml.charCodeAt(j))) j++;
    if (j >= to || xml.charCodeAt(j) === 47) return null;
    const nameStart = j;
    while (j < to && isNameChar(xml.charCodeAt(j))) j++;
    const name = xml.slice(nameStart, j);
    while (j < to && isSpace(xml.charCodeAt(j))) j++;
    if (name === "" || xml.charCodeAt(j) !== 61 /* = */) return null;
    j++;
    while (j < to && isSpace(xml.charCodeAt(j))) j++;
    const q = xml.charCodeAt(j);
    if (q !== 34 && q !== 39) return null;
    const close = xml.indexOf(q === 34 ? '"' : "'", j + 1);
    if (close < 0 || close >= to) return null;
    if (name === wanted) return xml.slice(j + 1, close);
    j = close + 1;
  }
  return null;
}
