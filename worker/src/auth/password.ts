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

/** What the users table keeps of a password. */
export interface StoredPassword { hash: string; salt: string; iterations: number }

/** A password a person chose (or typed for someone): PBKDF2, because people choose guessable ones. */
export async function hashNewPassword(password: string): Promise<StoredPassword> {
  const salt = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return { hash: await derivePasswordHash(password, salt), salt, iterations: PBKDF2_ITERATIONS };
}

/**
 * First passwords — generated below (16 characters of 55, about 92.5 bits from crypto.getRandomValues),
 * shown once, changed at first sign-in — are stored as one salted SHA-256 under this marker. Key
 * stretching protects guessable passwords; against ~2^91.5 guesses on average it adds nothing that
 * matters (2^17 more work on a search no one can finish: at 10^10 SHA-256 a second, ~10^10 GPU-years
 * per account), and it cost ~33 ms of CPU per account, which made a 2,000-account workbook overrun a
 * Worker's CPU limit. Such a hash is accepted only while the account must change its password (here
 * and by a trigger, migration 0008), and the change at first sign-in stores PBKDF2. A PBKDF2 hash is
 * 64 hex digits, so neither kind can ever pass the other's comparison.
 */
export const FIRST_PASSWORD_MARK = "first-sha256:";
export const isFirstPasswordHash = (hash: string): boolean => hash.startsWith(FIRST_PASSWORD_MARK);

async function firstPasswordDigest(password: string, saltHex: string): Promise<string> {
  const salt = fromHex(saltHex);
  const text = enc.encode(password);
  const both = new Uint8Array(salt.length + text.length);
  both.set(salt);
  both.set(text, salt.length);
  return FIRST_PASSWORD_MARK + toHex(await crypto.subtle.digest("SHA-256", both));
}

export async function hashFirstPassword(password: string): Promise<StoredPassword> {
  const salt = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return { hash: await firstPasswordDigest(password, salt), salt, iterations: 1 };
}

/**
 * Whether `password` is the stored one, after the same work whatever is stored — a PBKDF2 hash, a
 * first password, or nothing (no such user): one PBKDF2 derivation and one SHA-256 every time, so
 * neither the answer nor its timing tells an unknown user from a known one, or a first password
 * from a chosen one. A first password counts only while it must still be changed.
 */
export async function checkPassword(
  password: string, stored: { password_hash: string; password_salt: string; password_iterations: number; must_change_password: number } | null,
): Promise<boolean> {
  const first = stored !== null && isFirstPasswordHash(stored.password_hash);
  const stretchedFor = stored !== null && !first ? stored : null;
  const stretched = await derivePasswordHash(password, stretchedFor?.password_salt ?? DECOY_SALT, stretchedFor?.password_iterations ?? PBKDF2_ITERATIONS);
  const quick = await firstPasswordDigest(password, stored?.password_salt ?? DECOY_SALT);
  if (stored === null) return false;
  if (first) return stored.must_change_password === 1 && sameHash(quick, stored.password_hash);
  return sameHash(stretched, stored.password_hash);
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

/**
 * A random initial password of 16 characters in groups of four, e.g. "k7Qm-3xRt-…": 55^16 ≈ 2^92.5,
 * typed from paper in under a minute. Stored as a first password (hashFirstPassword).
 */
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
