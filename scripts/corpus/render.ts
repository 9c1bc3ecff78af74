// Bundled by make.mjs (esbuild) and run in Node: draws the workbooks the corpus starts from, exactly
// as the Worker draws them (shared sheet plans through worker/src/export), into the folder argv[2].
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_TEMPLATE, TemplateSchema, buildDesignerPlans, buildDirectoryPlans, buildFillPlan, compileTemplate } from "@tianbao/shared";
import { renderWorkbook } from "../../worker/src/export/xlsx";
import { CORPUS } from "../../worker/test/corpus/ids";

const out = process.argv[2]!;
const compiled = compileTemplate(BUILTIN_TEMPLATE);
if (!compiled.ok) throw new Error("the built-in template does not compile");
const write = async (name: string, plans: Parameters<typeof renderWorkbook>[0]) => writeFileSync(join(out, name), new Uint8Array(await renderWorkbook(plans)));

// the fill sheet the test's unit downloads for the test's round: last period's figures in 上期数值,
// this period's already typed (values of another county, so a swapped column shows)
const fill = (roundId: string, unitId: string, unitName: string, withCurrent: boolean) => buildFillPlan(compiled.compiled, {
  roundId, period: roundId === "r2024" ? "2024" : "2025", issuer: "晋城市", unit: { id: unitId, name: unitName },
  previous: CORPUS.previous, current: withCurrent ? CORPUS.current : null,
});
await write("fill.xlsx", [fill(CORPUS.roundId, CORPUS.unitId, CORPUS.unitName, true)]);
await write("fill-blank.xlsx", [fill(CORPUS.roundId, CORPUS.unitId, CORPUS.unitName, false)]);
await write("fill-r2024.xlsx", [fill("r2024", CORPUS.unitId, CORPUS.unitName, true)]);
await write("fill-zezhou.xlsx", [fill(CORPUS.roundId, "zezhou", "泽州县", true)]);
await write("designer.xlsx", buildDesignerPlans(TemplateSchema.parse(BUILTIN_TEMPLATE)));
await write("designer-blank.xlsx", buildDesignerPlans(null));
await write("directory.xlsx", buildDirectoryPlans(CORPUS.directory.units, CORPUS.directory.accounts));
console.log(JSON.stringify({ template: { id: BUILTIN_TEMPLATE.id, version: BUILTIN_TEMPLATE.version } }));
