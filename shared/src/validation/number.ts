import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";
import type { Indicator } from "../schemas/template";

/**
 * The value domain of numeric indicators, the same on every path (JSON, the add-in, uploaded files).
 *
 * - Counts are integers; amounts have at most the indicator's `decimals`.
 * - Every value lies in [min, max]. When a template leaves them out, min is 0 and max is
 *   `DEFAULT_MAX` (10^13 − 1, beyond any real statistic), lowered for amounts with more than two
 *   decimals so that the scaled value (value × 10^decimals) never exceeds `SCALED_BOUND`.
 * - A template may set its own min/max, but never beyond ±SCALED_BOUND once scaled
 *   (compile refuses it), so every stored value is an integer of at most 10^15 once scaled.
 * - A round expects at most `MAX_EXPECTED_UNITS` units, so any total is at most
 *   5,000 × 10^15 = 5·10^18 < 2^63 − 1 ≈ 9.22·10^18, D1's (SQLite's) INTEGER limit. Totals are kept
 *   as SQLite integers and crossed into JS only as decimal text turned into BigInt, never a Number.
 */
export const SCALED_BOUND = 10n ** 15n;
export const DEFAULT_MAX = "9999999999999";
export const MAX_EXPECTED_UNITS = 5000;
/** Longest number text accepted (digits, signs, separators): far beyond 10^13 with 6 decimals. */
export const MAX_NUMBER_TEXT = 40;

const scaleOf = (ind: Indicator): number => (ind.kind === "amount" || ind.kind === "derived" ? ind.decimals : 0);

/** The largest value an indicator accepts when its template states no max. */
export function defaultMax(ind: Indicator): Exact {
  const cap: Exact = { n: SCALED_BOUND, d: 10n ** BigInt(scaleOf(ind)) };
  const def = X.parseExact(DEFAULT_MAX)!;
  return X.compare(def, cap) <= 0 ? def : { n: SCALED_BOUND - 1n, d: cap.d };
}

/** The bounds an input indicator enforces: [min ?? 0, max ?? defaultMax]. */
export function boundsOf(ind: Indicator & { min?: string; max?: string }): { min: Exact; max: Exact } {
  return {
    min: ind.min !== undefined ? X.parseExact(ind.min)! : X.ZERO,
    max: ind.max !== undefined ? X.parseExact(ind.max)! : defaultMax(ind),
  };
}

/** True when |value| × 10^decimals stays within SCALED_BOUND. */
export function withinScaledBound(value: Exact, decimals: number): boolean {
  const scaled = X.abs(value).n * 10n ** BigInt(decimals);
  return scaled <= SCALED_BOUND * X.abs(value).d;
}

const FULL_WIDTH = /[０-９．－＋，]/g;
const toHalfWidth = (s: string): string =>
  s.replace(FULL_WIDTH, (ch) => ({ "．": ".", "－": "-", "＋": "+", "，": "," } as Record<string, string>)[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0));

// Plain digits, or digits grouped by threes with commas ("1,470", "12,345,678.5"); an optional sign
// and fraction. Nothing else: no spaces inside, no exponent, no misplaced separators.
const PLAIN_NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

/**
 * Reads number text as an official types it, or null. Accepted: "1470", "1,470" (correctly grouped),
 * "-3", "68.68", full-width digits "１４７０" and full-width separators. Refused: "12,34", "1 2 3",
 * "1e3", "1,47,0", "0x10", anything longer than MAX_NUMBER_TEXT characters.
 */
export function parseNumberText(text: string): Exact | null {
  const t = toHalfWidth(text.trim());
  if (t.length === 0 || t.length > MAX_NUMBER_TEXT || !PLAIN_NUMBER.test(t)) return null;
  return X.parseExact(t.replace(/,/g, ""));
}

/** A JSON or spreadsheet number as an exact value; non-finite numbers are not numbers. */
export function exactOfRaw(raw: unknown): Exact | null {
  if (typeof raw === "number") return X.exactFromNumber(raw);
  if (typeof raw === "string") return parseNumberText(raw);
  return null;
}
