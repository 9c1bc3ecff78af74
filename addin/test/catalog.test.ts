import { describe, expect, it } from "vitest";
// @ts-expect-error — plain ESM script shared with the build, no type declarations
import { catalogGuid, installCmd, trustCatalogReg } from "../../scripts/catalog.mjs";
// @ts-expect-error — plain ESM script shared with the build, no type declarations
import { MANIFEST_IDS } from "../../scripts/manifest.mjs";

// The Windows shared-folder catalog the build writes for offices without a Microsoft 365 tenant,
// as Microsoft's "Sideload Office Add-ins for testing from a network share" gives it.
describe("Windows shared-folder catalog (npm run build -- --catalog-share \\\\server\\tianbao)", () => {
  const reg = trustCatalogReg(MANIFEST_IDS.production, "\\\\zfj-server\\tianbao") as string;

  it("is Microsoft's registry script: the TrustedCatalogs key with Id, Url (backslashes doubled) and Flags 1 (Show in Menu)", () => {
    const lines = reg.split("\r\n");
    expect(lines[0]).toBe("Windows Registry Editor Version 5.00");
    const guid = `{${catalogGuid(MANIFEST_IDS.production, "\\\\zfj-server\\tianbao")}}`;
    expect(lines).toContain(`[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\WEF\\TrustedCatalogs\\${guid}]`);
    expect(lines).toContain(`"Id"="${guid}"`);
    expect(lines).toContain('"Url"="\\\\\\\\zfj-server\\\\tianbao"');
    expect(lines).toContain('"Flags"=dword:00000001');
    expect(guid).toMatch(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
    expect(reg).toMatch(/^[\x20-\x7e\r\n]*$/); // ASCII only: regedit reads it as text
  });

  it("is the same catalog when run twice on one share (a stable GUID), and another for another share", () => {
    expect(trustCatalogReg(MANIFEST_IDS.production, "\\\\zfj-server\\tianbao")).toBe(reg);
    expect(catalogGuid(MANIFEST_IDS.production, "\\\\other\\tianbao")).not.toBe(catalogGuid(MANIFEST_IDS.production, "\\\\zfj-server\\tianbao"));
  });

  it("refuses what is not a UNC share path, and the install script imports the .reg and copies the manifest", () => {
    expect(() => trustCatalogReg(MANIFEST_IDS.production, "C:\\addins")).toThrow(/UNC/);
    expect(() => trustCatalogReg(MANIFEST_IDS.production, '\\\\srv\\a"b')).toThrow(/UNC/);
    const cmd = installCmd("\\\\zfj-server\\tianbao") as string;
    expect(cmd).toContain('reg import "%~dp0TrustTianbaoCatalog.reg"');
    expect(cmd).toContain('copy /Y "%~dp0manifest.xml" "\\\\zfj-server\\tianbao\\tianbao-manifest.xml"');
  });
});
