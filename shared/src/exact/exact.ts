/**
 * Exact rational numbers over BigInt. Amounts such as 68.68 are read from their decimal text,
 * so sums and rates never pick up binary floating-point drift; rounding happens once, at the edge.
 */
export interface Exact {
  readonly n: bigint; // numerator, carries the sign
  readonly d: bigint; // denominator, always > 0
}

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function make(n: bigint, d: bigint): Exact {
  if (d === 0n) throw new RangeError("zero denominator");
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/** Parses plain decimal text ("68.68", "-3", "0.5"); returns null for anything else. */
export function parseExact(text: string): Exact | null {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? "";
  const n = BigInt((m[2] ?? "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return make(n, 10n ** BigInt(frac.length));
}

/** Converts a finite JS number through its shortest decimal text, so 68.68 stays 68.68. */
export function exactFromNumber(value: number): Exact | null {
  if (!Number.isFinite(value)) return null;
  return exactFromNumberText(String(value));
}

/** Reads a number as JSON writes one ("-12.5", "1e3", "1.5E-7") exactly, digit for digit; null if it is not one. */
export function exactFromNumberText(text: string): Exact | null {
  // at most 40 characters and an exponent of at most 3 digits: a JS number never needs more, and
  // longer text would cost quadratic BigInt work
  const m = text.length > 40 ? null : /^(-?\d+(?:\.\d+)?)(?:[eE]([+-]?\d{1,3}))?$/.exec(text);
  if (!m) return null;
  const base = parseExact(m[1]!);
  if (!base) return null;
  const exp = BigInt(m[2] ?? "0");
  return exp >= 0n ? make(base.n * 10n ** exp, base.d) : make(base.n, base.d * 10n ** -exp);
}

export const ZERO: Exact = { n: 0n, d: 1n };
export const ONE: Exact = { n: 1n, d: 1n };
export const HUNDRED: Exact = { n: 100n, d: 1n };

export const fromInt = (value: number | bigint): Exact => ({ n: BigInt(value), d: 1n });
export const add = (a: Exact, b: Exact): Exact => make(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Exact, b: Exact): Exact => make(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Exact, b: Exact): Exact => make(a.n * b.n, a.d * b.d);
export const neg = (a: Exact): Exact => ({ n: -a.n, d: a.d });
export const abs = (a: Exact): Exact => (a.n < 0n ? neg(a) : a);
export const isZero = (a: Exact): boolean => a.n === 0n;
/** a ÷ b, or null when b is zero (the caller turns that into "no value" with a reason). */
export const div = (a: Exact, b: Exact): Exact | null => (b.n === 0n ? null : make(a.n * b.d, a.d * b.n));

/** -1, 0 or 1. */
export function compare(a: Exact, b: Exact): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const sum = (values: Iterable<Exact>): Exact => {
  let total = ZERO;
  for (const v of values) total = add(total, v);
  return total;
};

/** Rounds half away from zero to `decimals` places, as Excel's ROUND does. */
export function round(a: Exact, decimals: number): Exact {
  const scale = 10n ** BigInt(decimals);
  const scaled = a.n * scale;
  const sign = scaled < 0n ? -1n : 1n;
  const magnitude = sign * scaled;
  const q = (magnitude * 2n + a.d) / (2n * a.d);
  return make(sign * q, scale);
}

/** Fixed-point text with exactly `decimals` places ("68.68", "5.00", "83.5"→"83.54" at 2). */
export function toFixed(a: Exact, decimals: number): string {
  const r = round(a, decimals);
  const scale = 10n ** BigInt(decimals);
  const scaled = (r.n * scale) / r.d;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return (negative ? "-" : "") + whole + (decimals > 0 ? "." + frac : "");
}

/** Shortest exact decimal text when the value terminates within `maxDecimals`, else rounded. */
export function toDecimalText(a: Exact, maxDecimals = 10): string {
  const fixed = toFixed(a, maxDecimals);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") || "0" : fixed;
}

/** Number of decimal places in the value's exact expansion, or Infinity if it does not terminate. */
export function decimalPlaces(a: Exact): number {
  let d = a.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) { d /= 2n; twos++; }
  while (d % 5n === 0n) { d /= 5n; fives++; }
  return d === 1n ? Math.max(twos, fives) : Infinity;
}

export const isInteger = (a: Exact): boolean => a.d === 1n;
export const toNumber = (a: Exact): number => Number(toFixed(a, 15));

/** Binary digits of |x| (0 for 0). */
export const bitLength = (x: bigint): number => (x === 0n ? 0 : (x < 0n ? -x : x).toString(2).length);

/**
 * True when numerator and denominator each have at most `bits` binary digits. Compares against
 * 2^bits instead of measuring, so the check costs one comparison however large the value.
 */
export function withinBits(a: Exact, bits: number): boolean {
  const cap = 1n << BigInt(bits);
  return (a.n < 0n ? -a.n : a.n) < cap && a.d < cap;
}
