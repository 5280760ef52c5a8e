/** Significant digits kept of every computed number in report.json: past them lies float noise. */
export const SIGNIFICANT_DIGITS = 10;

/** Rounds to `SIGNIFICANT_DIGITS` (−0 becomes 0); non-finite numbers become `null`. */
export function roundSignificant(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  return rounded === 0 ? 0 : rounded;
}

/** A copy with every number rounded, keys in the order they were built. */
export function roundedNumbers(value: unknown): unknown {
  if (typeof value === 'number') return roundSignificant(value);
  if (Array.isArray(value)) return value.map(roundedNumbers);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, roundedNumbers(item)]));
  return value;
}

/** A copy with the keys of every object sorted: for free-form values (parameters, fee models) whose key order nobody fixed. */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}
