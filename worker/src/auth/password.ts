// PBKDF2-SHA256 with a per-user salt. 100,000 iterations is the most Workers allow in production.
export const PBKDF2_ITERATIONS = 100_000;

const enc = new TextEncoder();
const toHex = (buf: ArrayBuffer | Uint8Array): string =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (hex: string): Uint8Array => new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));

export async function derivePasswordHash(password: string, saltHex: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  if (iterations > PBKDF2_ITERATIONS) throw new RangeError(`Workers cap PBKDF2 at ${PBKDF2_ITERATIONS} iterations`);
  const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: fromHex(saltHex), iterations }, key, 256);
  return toHex(bits);
}

export async function hashNewPassword(password: string): Promise<{ hash: string; salt: string; iterations: number }> {
  const salt = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return { hash: await derivePasswordHash(password, salt), salt, iterations: PBKDF2_ITERATIONS };
}

/** Constant-time comparison of two hex strings of equal length. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", enc.encode(text)));
}

export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32)); // 256 bits
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// A fixed salt for the decoy hash when the user does not exist, so both paths do the same work.
export const DECOY_SALT = "7469616e62616f2d6465636f792d2d31";

// Letters and digits that cannot be mistaken for each other when read aloud or copied by hand
// (no 0/O, 1/l/I): an initial password is handed over on paper or by phone.
const PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random initial password of 16 characters in groups of four (about 92 bits), e.g. "k7Qm-3xRt-…". */
export function generatePassword(): string {
  const out: string[] = [];
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  for (const b of bytes) {
    if (b >= 256 - (256 % PASSWORD_ALPHABET.length)) continue; // no modulo bias
    out.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!);
    if (out.length === 16) break;
  }
  if (out.length < 16) return generatePassword();
  return [0, 4, 8, 12].map((i) => out.slice(i, i + 4).join("")).join("-");
}
