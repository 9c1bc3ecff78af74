import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";


export const SOFFICE = "/usr/bin/soffice";
/** Debian's python3 (with python3-openpyxl), not a pyenv one on PATH. */
export const PYTHON = "/usr/bin/python3";
export const haveLibreOffice = existsSync(SOFFICE) && existsSync("/usr/lib/python3/dist-packages/openpyxl");

// A private profile that tells Calc to recalculate every formula when it opens an .xlsx, so the
// figures we read back are LibreOffice's own, never values cached by whoever wrote the file.
const profile = mkdtempSync(join(tmpdir(), "tianbao-lo-"));
mkdirSync(join(profile, "user"), { recursive: true });
writeFileSync(join(profile, "user", "registrymodifications.xcu"), `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`);

function soffice(args: string[]): void {
  execFileSync(SOFFICE, [`-env:UserInstallation=file://${profile}`, "--headless", "--norestore", "--nolockcheck", ...args], { stdio: "pipe", timeout: 120_000 });
}

export type Scalar = string | number | boolean | null;

/**
 * Opens an .xlsx in LibreOffice, recalculates every formula, saves it again (with LibreOffice's
 * results stored in the file) and returns every sheet's values, formulas replaced by their results.
 */
export function recalculate(xlsx: Uint8Array | ArrayBuffer): Map<string, Scalar[][]> {
  const saved = convert(new Uint8Array(xlsx as ArrayBuffer), "book.xlsx", "xlsx:Calc MS Excel 2007 XML");
  return readWorkbook(saved);
}

// Reading back goes through python3-openpyxl (data_only: the results LibreOffice stored), not through
// our own exceljs path: an independent reader, and exceljs drops a stored formula result of 0.
const READER = `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, ensure_ascii=False, default=str))
`;

/** Every sheet's values, formula cells as the results stored in the file. */
export function readWorkbook(bytes: Uint8Array): Map<string, Scalar[][]> {
  const dir = mkdtempSync(join(tmpdir(), "tianbao-read-"));
  writeFileSync(join(dir, "book.xlsx"), bytes);
  writeFileSync(join(dir, "read.py"), READER);
  const json = execFileSync(PYTHON, [join(dir, "read.py"), join(dir, "book.xlsx")], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return new Map(Object.entries(JSON.parse(json) as Record<string, Scalar[][]>));
}

/** Converts a file with LibreOffice (e.g. a CSV into .xlsx) and returns the new file's bytes. */
export function convert(input: Uint8Array | string, inputName: string, target: string, filter?: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "tianbao-convert-"));
  const file = join(dir, inputName);
  writeFileSync(file, input);
  soffice([...(filter ? [`--infilter=${filter}`] : []), "--convert-to", target, "--outdir", join(dir, "out"), file]);
  const ext = target.split(":")[0]!;
  const produced = readdirSync(join(dir, "out")).find((n) => n.endsWith(`.${ext}`));
  if (!produced) throw new Error(`LibreOffice produced no ${target} from ${inputName}`);
  return readFileSync(join(dir, "out", produced));
}

