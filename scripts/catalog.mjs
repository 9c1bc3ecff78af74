// What a Windows computer without a Microsoft 365 tenant needs to get the add-in: a shared-folder
// catalog. Microsoft's "Sideload Office Add-ins for testing from a network share" gives the
// registry script that trusts a share as a catalog (HKCU\Software\Microsoft\Office\16.0\WEF\
// TrustedCatalogs\{GUID} with Id, Url and Flags=1 for "Show in Menu"); the manifest is then copied
// into the share and the add-in added from Insert → My Add-ins → SHARED FOLDER. Microsoft says
// this channel is Windows-only and "isn't supported for production add-ins", and a new version
// that changes the ribbon must be added again by each user.
// https://learn.microsoft.com/office/dev/add-ins/testing/create-a-network-shared-folder-catalog-for-task-pane-and-content-add-ins
import { createHash } from "node:crypto";

/** A stable GUID for this add-in's catalog on this share, so running the script twice adds one catalog. */
export function catalogGuid(manifestId, share) {
  const h = createHash("sha256").update(`${manifestId}|${share.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A UNC path such as \\server\tianbao: ASCII only (regedit reads the file as text), no quotes. */
export function checkShare(share) {
  if (!/^\\\\[A-Za-z0-9._-]+\\[ -~]+$/.test(share) || /["]/.test(share)) {
    throw new Error(`catalog: the share must be a UNC path like \\\\server\\tianbao (ASCII, no quotes): ${share}`);
  }
  return share.replace(/\\+$/, "");
}

/** The .reg file that trusts `share` as an add-in catalog shown in the menu (CRLF lines, as regedit writes). */
export function trustCatalogReg(manifestId, share) {
  const path = checkShare(share);
  const guid = `{${catalogGuid(manifestId, path)}}`;
  const escaped = path.replace(/\\/g, "\\\\"); // every backslash doubled in a .reg string
  return [
    "Windows Registry Editor Version 5.00",
    "",
    `; Tianbao: trust ${path} as an Office add-in catalog (Insert > My Add-ins > SHARED FOLDER). Close Excel first.`,
    `[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\WEF\\TrustedCatalogs\\${guid}]`,
    `"Id"="${guid}"`,
    `"Url"="${escaped}"`,
    `"Flags"=dword:00000001`,
    "",
  ].join("\r\n");
}

/** The same for several computers at once: a .cmd that imports the .reg and copies the manifest into the share. */
export function installCmd(share) {
  const path = checkShare(share);
  return [
    "@echo off",
    "rem Tianbao: run once per computer and user, with Excel closed.",
    `copy /Y "%~dp0manifest.xml" "${path}\\tianbao-manifest.xml" >nul 2>&1`,
    `reg import "%~dp0TrustTianbaoCatalog.reg"`,
    "echo Done. Open Excel: Insert ^> My Add-ins ^> SHARED FOLDER ^> Tianbao.",
    "",
  ].join("\r\n");
}
