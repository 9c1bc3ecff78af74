import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
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

  it("resolves every resid, keeps strings within Office's limits, and uses only https URLs (localhost included)", () => {
    const ids = new Set([...manifest.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]));
    const used = [...manifest.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(10);
    for (const r of used) expect(ids, r).toContain(r);
    for (const r of used) expect(r.length, r).toBeLessThanOrEqual(32);
    const short = manifest.split("<bt:ShortStrings>")[1]!.split("</bt:ShortStrings>")[0]!;
    for (const m of short.matchAll(/(?:DefaultValue|Value)="([^"]*)"/g)) expect(m[1]!.length).toBeLessThanOrEqual(125);
    const long = manifest.split("<bt:LongStrings>")[1]!.split("</bt:LongStrings>")[0]!;
    for (const m of long.matchAll(/(?:DefaultValue|Value)="([^"]*)"/g)) expect(m[1]!.length).toBeLessThanOrEqual(250);
    const urls = [...manifest.matchAll(/(?:DefaultValue="|<AppDomain>)([a-z]+:[^"<]+)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(8);
    for (const u of urls) expect(u).toMatch(/^https:\/\/localhost:8787[/]?/); // Office requires HTTPS, in development too
    expect(manifest).toContain('<Override Locale="zh-CN" Value="天宝质量填报（开发）"/>'); // the dev copy says it is one
    expect(manifest).toMatch(/<Runtime resid="Taskpane.Url" lifetime="long"\/>/);
    expect(manifest).toContain('<Set Name="ExcelApi" MinVersion="1.11"/>');
  });

  // Office caches an add-in's manifest (changes to add-in commands "do not take effect" until the
  // cache is cleared: https://learn.microsoft.com/office/dev/add-ins/testing/troubleshoot-development-errors),
  // and a deployment channel takes a changed manifest as an update by its higher Version.
  it("raises its Version whenever its content changes (content hash recorded with the version)", () => {
    const recorded = JSON.parse(readFileSync(`${root}addin/test/manifest-version.json`, "utf8")) as { version: string; sha256: string };
    const content = createHash("sha256").update(manifest.replace(/<Version>[^<]*<\/Version>/, "<Version/>")).digest("hex");
    const version = /<Version>([^<]+)<\/Version>/.exec(manifest)![1]!;
    if (content === recorded.sha256) return expect(version).toBe(recorded.version);
    const newer = version.split(".").map(Number).some((n, i, all) => all.slice(0, i).every((m, j) => m === Number(recorded.version.split(".")[j])) && n > Number(recorded.version.split(".")[i]));
    expect(newer, `the manifest changed (sha256 ${content}) but its Version ${version} is not above ${recorded.version}: raise addin/package.json's version and record both in addin/test/manifest-version.json`).toBe(true);
    expect.soft(recorded, "record the released manifest: addin/test/manifest-version.json").toEqual({ ...recorded, version, sha256: content });
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

  it("is written for a production base URL by the build: https only, its own Id, the package's version", async () => {
    const prod = buildManifest("https://tianbao.example.cn");
    expect(prod).not.toContain("localhost");
    expect(prod).toContain('<SourceLocation DefaultValue="https://tianbao.example.cn/taskpane"/>');
    const id = (xml: string) => /<Id>([^<]+)<\/Id>/.exec(xml)![1];
    expect(id(prod)).not.toBe(id(manifest)); // a developer's sideload and the deployed add-in can coexist
    // … and do not look alike in Excel: only the development copy's name and ribbon group say "dev"
    expect(prod).toContain('<Override Locale="zh-CN" Value="天宝质量填报"/>');
    expect(prod).toContain('<bt:Override Locale="zh-CN" Value="质量填报"/>');
    expect(prod).not.toMatch(/\(dev\)|（开发）/);
    expect(manifest).toContain('<bt:Override Locale="zh-CN" Value="质量填报（开发）"/>');
    expect(id(prod)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const version = (JSON.parse(readFileSync(`${root}addin/package.json`, "utf8")) as { version: string }).version;
    expect(prod).toContain(`<Version>${version}.0</Version>`);
    expect(manifest).toContain(`<Version>${version}.0</Version>`);
    if (haveXsd) expect((await validate(prod)).errors).toEqual([]);
  });

  it("refuses any http URL, localhost included (Office loads add-ins only over HTTPS)", () => {
    expect(() => buildManifest("http://localhost:8787")).toThrow(/https/);
    expect(() => buildManifest("http://tianbao.example.cn")).toThrow(/https/);
    expect(() => buildManifest("ftp://x")).toThrow(/https/);
  });

  it("the production build publishes no source maps; the development build keeps them", () => {
    const build = (base: string) => {
      const out = mkdtempSync(join(tmpdir(), "tianbao-build-"));
      const r = spawnSync(process.execPath, ["scripts/build-addin.mjs", "--quiet", "--base-url", base, "--out", out], { cwd: root, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const files = readdirSync(out, { recursive: true }).map(String);
      const js = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(out, f), "utf8"));
      rmSync(out, { recursive: true, force: true });
      return { maps: files.filter((f) => f.endsWith(".map")), mentions: js.filter((t) => t.includes("sourceMappingURL")).length, js: js.length };
    };
    const prod = build("https://tianbao.example.cn");
    expect(prod.js).toBeGreaterThan(2);
    expect(prod.maps).toEqual([]);
    expect(prod.mentions).toBe(0);
    const dev = build("https://localhost:8787");
    expect(dev.maps.length).toBeGreaterThan(0); // so the check above can fail
    const refused = spawnSync(process.execPath, ["scripts/build-addin.mjs", "--quiet", "--base-url", "http://localhost:8787", "--out", join(tmpdir(), "tianbao-never")], { cwd: root, encoding: "utf8" });
    expect(refused.status).not.toBe(0);
  });
});
