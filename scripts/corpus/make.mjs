#!/usr/bin/env node
// node scripts/corpus/make.mjs — rebuilds the upload corpus (worker/test/corpus). Not run by CI or
// npm test: the files it writes are committed, and upload-corpus.test.ts reads them.
//
// 1. render.ts (bundled here with esbuild) draws the workbooks the Worker serves — the fill sheet of
//    round CORPUS.roundId for unit CORPUS.unitId, the designer workbook, the 单位与账号 workbook —
//    with the Worker's own renderer (worker/src/export, exceljs).
// 2. edit.py edits them the way officials do, with real third-party writers: python3-openpyxl,
//    and LibreOffice itself through UNO (Debian's python3-uno), in zh-CN and de-DE profiles.
// 3. Every produced .xlsx is written to worker/test/corpus/files/; the test imports them inlined by
//    Vite (worker/vitest.config.ts: assetsInclude), since workerd tests cannot read the disk.
//
// Needs Debian's libreoffice-calc-nogui, python3-uno and python3-openpyxl (scripts/setup-system.sh).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const work = mkdtempSync(join(tmpdir(), "tianbao-corpus-"));
const base = join(work, "base");
mkdirSync(base);
await build({
  entryPoints: ["scripts/corpus/render.ts"], outfile: join(work, "render.mjs"), bundle: true, platform: "node", format: "esm",
  target: "node20", logLevel: "warning",
  // exceljs's CommonJS needs require() inside an ES module
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
execFileSync(process.execPath, [join(work, "render.mjs"), base], { stdio: "inherit" });

const out = "worker/test/corpus/files";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync("/usr/bin/python3", ["scripts/corpus/edit.py", base, out, work], { stdio: "inherit", timeout: 600_000 });

const names = readdirSync(out).filter((n) => n.endsWith(".xlsx")).sort();
let total = 0;
for (const n of names) total += readFileSync(join(out, n)).length;
if (process.env.CORPUS_KEEP) console.log(`kept ${work}`); else rmSync(work, { recursive: true, force: true });
console.log(`corpus: ${names.length} files, ${(total / 1024).toFixed(0)} KiB`);
