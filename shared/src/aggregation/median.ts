import * as X from "../exact/exact";
import type { Exact } from "../exact/exact";

/**
 * The median of exact values, exactly: the middle one of an odd count, the mean of the two middle
 * ones of an even count (0.1 and 0.2 give 0.15, never 0.15000000000000002); null for none.
 */
export function medianExact(values: readonly Exact[]): Exact | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort(X.compare);
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return X.div(X.add(sorted[mid - 1]!, sorted[mid]!), X.fromInt(2));
}

/**
 * Exact decimal text with at least `decimals` places and as many more as the value needs (a median
 * of two values may need one more place than they have); null for a value that does not terminate.
 */
export function exactDecimalText(value: Exact, decimals: number): string | null {
  const places = X.decimalPlaces(value);
  return Number.isFinite(places) ? X.toFixed(value, Math.max(decimals, places)) : null;
}
