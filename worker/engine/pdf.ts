import { inflateSync } from "node:zlib";

/** A run of text as a PDF page shows it: where (points from the bottom left), and the size it is drawn at. */
export interface TextRun {
  text: string;
  size: number;
  x: number;
  y: number;
}

/** A page's text as lines, top to bottom, each line's runs left to right (LibreOffice draws a word per run). */
export function linesOf(page: readonly TextRun[]): string[] {
  const byY = new Map<number, TextRun[]>();
  for (const r of page) {
    const y = Math.round(r.y);
    const key = [...byY.keys()].find((k) => Math.abs(k - y) <= 1) ?? y;
    byY.set(key, [...(byY.get(key) ?? []), r]);
  }
  return [...byY.entries()].sort((a, b) => b[0] - a[0]).map(([, runs]) => runs.sort((a, b) => a.x - b.x).map((r) => r.text).join(""));
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

/**
 * Just enough of a PDF reader to check LibreOffice's print output: the pages in order, and on each
 * the text it draws (decoded through each font's ToUnicode map) with the font size in points.
 * Handles what LibreOffice writes (uncompressed object table, Flate streams, hex strings).
 */
export function readPdfText(pdf: Buffer): TextRun[][] {
  const objects = parseObjects(pdf);
  const ref = (text: string, key: string): number | null => {
    const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(text);
    return m ? Number(m[1]) : null;
  };
  const kids = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict) && /\/Kids/.test(o.dict));
  const order = kids ? [...(/\/Kids\s*\[([^\]]*)\]/.exec(kids.dict)?.[1] ?? "").matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1])) : [];
  return order.map((n) => {
    const page = objects.get(n)!.dict;
    const resourcesRef = ref(page, "Resources");
    const resources = resourcesRef === null ? page : objects.get(resourcesRef)!.dict;
    const fontsRef = ref(resources, "Font");
    const fontDict = fontsRef === null ? (/\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? "") : objects.get(fontsRef)!.dict;
    const fonts = new Map<string, Map<string, string>>();
    for (const m of fontDict.matchAll(/\/(\w+)\s+(\d+)\s+0\s+R/g)) {
      const toUnicode = ref(objects.get(Number(m[2]))!.dict, "ToUnicode");
      fonts.set(m[1]!, toUnicode === null ? new Map() : cmapOf(objects.get(toUnicode)!.stream!.toString("latin1")));
    }
    const contents = /\/Contents\s*\[([^\]]*)\]/.exec(page)?.[1] ?? `${ref(page, "Contents")} 0 R`;
    const streams = [...contents.matchAll(/(\d+)\s+0\s+R/g)].map((m) => objects.get(Number(m[1]))!.stream!.toString("latin1"));
    return streams.flatMap((s) => runsOf(s, fonts));
  });
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const out = new Map<number, PdfObject>();
  const re = /(\d+)\s+0\s+obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endobj", start);
    const body = text.slice(start, end);
    const s = /stream\r?\n/.exec(body);
    let stream: Buffer | null = null;
    let dict = body;
    if (s) {
      dict = body.slice(0, s.index);
      const from = start + s.index + s[0].length;
      const to = text.lastIndexOf("endstream", end);
      const raw = pdf.subarray(from, to);
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    }
    out.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

/** A ToUnicode CMap: glyph code (hex) → text. */
function cmapOf(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(m[1]!.toUpperCase(), utf16(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const [a, b, base] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
      for (let code = a; code <= b; code++) map.set(code.toString(16).toUpperCase().padStart(m[1]!.length, "0"), String.fromCharCode(base + code - a));
    }
  }
  return map;
}

/** Text runs of a content stream: each BT…ET block's text, at its font size (Tf) times the text matrix's scale (Tm). */
function runsOf(content: string, fonts: Map<string, Map<string, string>>): TextRun[] {
  const runs: TextRun[] = [];
  for (const block of content.matchAll(/BT\b([\s\S]*?)\bET\b/g)) {
    let font = new Map<string, string>();
    let size = 0;
    let scale = 1;
    let text = "";
    let [x, y] = [0, 0];
    const ops = /\/(\w+)\s+([\d.]+)\s+Tf|([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+Tm|([-\d.]+)\s+([-\d.]+)\s+Td|<([0-9A-Fa-f]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ/g;
    for (const m of block[1]!.matchAll(ops)) {
      if (m[1]) { font = fonts.get(m[1]) ?? new Map(); size = Number(m[2]); } else if (m[3]) {
        scale = Math.hypot(Number(m[5]), Number(m[6]));
        [x, y] = [Number(m[7]), Number(m[8])];
      } else if (m[9]) [x, y] = [x + Number(m[9]), y + Number(m[10])];
      else {
        const hexes = m[11] !== undefined ? [m[11]] : [...m[12]!.matchAll(/<([0-9A-Fa-f]*)>/g)].map((h) => h[1]!);
        for (const hex of hexes) {
          const width = [...font.keys()][0]?.length ?? 4;
          for (let i = 0; i < hex.length; i += width) text += font.get(hex.slice(i, i + width).toUpperCase()) ?? "";
        }
      }
    }
    if (text !== "") runs.push({ text, size: size * scale, x, y });
  }
  return runs;
}
