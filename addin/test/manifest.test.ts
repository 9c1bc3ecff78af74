import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
// @ts-expect-error — plain ESM script shared with the build, no type declarations
import { buildManifest, DEV_BASE_URL, RIBBON_FUNCTIONS } from "../../scripts/manifest.mjs";
import { RIBBON_FUNCTIONS as REGISTERED } from "../src/commands/commands";

const root = fileURLToPath(new URL("../../", import.meta.url));
const manifest = readFileSync(`${root}manifest.xml`, "utf8");
const XSD_DIR = fileURLToPath(new URL("../../../shared/office-manifest-xsd/", import.meta.url));
const haveXsd = existsSync(XSD_DIR);
if (!haveXsd) console.warn(`SKIPPED: Microsoft's manifest schemas are not at ${XSD_DIR}; the XSD check cannot run here.`);

async function validate(xml: string) {
  const files = readdirSync(XSD_DIR).filter((f) => f.endsWith(".xsd"));
  const read = (f: string) => ({ fileName: f, contents: readFileSync(`${XSD_DIR}${f}`, "utf8") });
  return validateXML({ xml: [{ fileName: "manifest.xml", contents: xml }], schema: [read("OfficeAppManifestV1_1.xsd")], preload: files.filter((f) => f !== "OfficeAppManifestV1_1.xsd").map(read) });
}

describe("manifest.xml", () => {
  it.skipIf(!haveXsd)("validates against Microsoft's add-in manifest schemas", async () => {
    const r = await validate(manifest);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it.skipIf(!haveXsd)("and the check catches a misspelt element (so it is not vacuous)", async () => {
    const r = await validate(manifest.replace("<Permissions>", "<Permission>").replace("</Permissions>", "</Permission>"));
    expect(r.valid).toBe(false);
  });

  it("is the generated development manifest (no drift between the two)", () => {
    expect(manifest).toBe(buildManifest(DEV_BASE_URL));
  });

  it("resolves every resid, keeps strings within Office's limits, and uses only https or localhost URLs", () => {
    const ids = new Set([...manifest.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]));
    const used = [...manifest.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(10);
    for (const r of used) expect(ids, r).toContain(r);
    for (const r of used) expect(r.length, r).toBeLessThanOrEqual(32);
    const short = manifest.split("<bt:ShortStrings>")[1]!.split("</bt:ShortStrings>")[0]!;
    for (const m of short.matchAll(/(?:DefaultValue|Value)="([^"]*)"/g)) expect(m[1]!.length).toBeLessThanOrEqual(125);
    const long = manifest.split("<bt:LongStrings>")[1]!.split("</bt:LongStrings>")[0]!;
    for (const m of long.matchAll(/(?:DefaultValue|Value)="([^"]*)"/g)) expect(m[1]!.length).toBeLessThanOrEqual(250);
    for (const m of manifest.matchAll(/(?:DefaultValue="|<AppDomain>)(https?:[^"<]+)/g)) expect(m[1]).toMatch(/^(https:\/\/|http:\/\/localhost[:/])/);
    expect(manifest).toContain('<Override Locale="zh-CN" Value="天宝质量填报"/>');
    expect(manifest).toMatch(/<Runtime resid="Taskpane.Url" lifetime="long"\/>/);
    expect(manifest).toContain('<Set Name="ExcelApi" MinVersion="1.12"/>');
  });

  it("names each ribbon function the same in the manifest, in Office.actions.associate and in code", () => {
    const inManifest = [...manifest.matchAll(/<FunctionName>([^<]+)<\/FunctionName>/g)].map((m) => m[1]);
    expect(inManifest).toEqual(RIBBON_FUNCTIONS);
    expect(Object.keys(REGISTERED)).toEqual(RIBBON_FUNCTIONS);
    for (const [id, fn] of Object.entries(REGISTERED)) expect(fn.name).toBe(id);
    // every user-visible string has a zh-CN override
    const strings = [...manifest.matchAll(/<bt:String id="[^"]+" DefaultValue="[^"]*">\s*<bt:Override Locale="zh-CN"/g)];
    expect(strings.length).toBe((manifest.match(/<bt:String id=/g) ?? []).length);
  });

  it("is written for a production base URL by the build", () => {
    const prod = buildManifest("https://tianbao.example.cn");
    expect(prod).not.toContain("localhost");
    expect(prod).toContain("https://tianbao.example.cn/taskpane.html");
  });
});
