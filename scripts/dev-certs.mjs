// The development certificate for https://localhost, made with Microsoft's office-addin-dev-certs
// (the tool the yo office templates use). Office loads add-ins only over HTTPS, in development too.
// By default the files live where that tool keeps them (~/.office-addin-dev-certs), so
// `npx office-addin-dev-certs install` trusts the very certificate `npm start` serves with.
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/** Where office-addin-dev-certs keeps its files unless told otherwise. */
export function defaultCertDir() {
  return require("office-addin-dev-certs/lib/defaults").certificateDirectory;
}

const usable = (certPath, now = Date.now()) => {
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    // at least a day left, and made for localhost
    return Date.parse(cert.validTo) - now > 86_400_000 && /DNS:localhost/.test(cert.subjectAltName ?? "");
  } catch {
    return false;
  }
};

/**
 * The CA, certificate and key for localhost in `dir`, generated on first use (or when expiring).
 * Returns their paths.
 */
export async function ensureDevCerts(dir = defaultCertDir()) {
  const paths = { ca: join(dir, "ca.crt"), cert: join(dir, "localhost.crt"), key: join(dir, "localhost.key") };
  if (existsSync(paths.ca) && existsSync(paths.key) && usable(paths.cert)) return { ...paths, created: false };
  const { generateCertificates } = require("office-addin-dev-certs/lib/generate");
  await generateCertificates(paths.ca, paths.cert, paths.key, 30, ["127.0.0.1", "localhost"]);
  return { ...paths, created: true };
}
