/**
 * Exact decimals for money and quantities: a `bigint` counting billionths (9 decimal places, the
 * precision Alpaca accepts for quantities). Cash, fees and positions are sums of these integers, so
 * they never drift the way sums of binary floating-point numbers do; records carry them as decimal
 * strings, as Alpaca sends them.
 */
export const FIXED_DECIMALS = 9;
export const FIXED_ONE = 1_000_000_000n;

export type Rounding = 'floor' | 'ceil' | 'half-even';

const DECIMAL = /^(-?)(\d{1,24})(?:\.(\d{1,9}))?$/;

/** `"187.31"` → 187_310_000_000n; `null` for anything else (exponents, more than 9 decimals, blanks). */
export function parseFixed(text: string): bigint | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole!) * FIXED_ONE + BigInt(fraction.padEnd(FIXED_DECIMALS, '0'));
  return sign === '-' ? -value : value;
}

/** A price from the tape (a double) to the nearest billionth of its exact binary value. */
export function fixedFromNumber(value: number): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // Fast path (tape prices): below 2^52 the product's rounding error is at most 1/4, so a product
  // within 1/1000 of an integer rounds exactly to it; anything else takes the exact decimal path.
  const scaled = value * 1e9;
  const nearest = Math.round(scaled);
  if (Math.abs(scaled) < 2 ** 52 && Math.abs(scaled - nearest) < 1e-3) return BigInt(nearest);
  const parsed = parseFixed(value.toFixed(FIXED_DECIMALS));
  if (parsed === null) throw new RangeError(`out of range for a fixed-point decimal: ${value}`);
  return parsed;
}

/**
 * `Number(fixedFromNumber(value))` without the bigint, for keys and counts on hot paths: exact while
 * the billionths stay below 2^53 (prices and sizes below nine million).
 */
export function fixedCount(value: number): number {
  const scaled = value * 1e9;
  const nearest = Math.round(scaled);
  if (Math.abs(scaled) < 2 ** 52 && Math.abs(scaled - nearest) < 1e-3) return nearest;
  return Number(fixedFromNumber(value));
}

/** Shortest decimal string: 187_310_000_000n → `"187.31"`, 10n * FIXED_ONE → `"10"`. */
export function formatFixed(value: bigint): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / FIXED_ONE;
  const fraction = (magnitude % FIXED_ONE).toString().padStart(FIXED_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** For display and tests only: never feed the result back into money arithmetic. */
export function fixedToNumber(value: bigint): number {
  return Number(formatFixed(value));
}

/** `numerator / denominator` rounded as asked (both integers, denominator ≠ 0). */
export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator < 0n) return divRound(-numerator, -denominator, rounding);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  // bigint division truncates toward zero: step to the floor first.
  const floor = remainder < 0n ? quotient - 1n : quotient;
  if (rounding === 'floor') return floor;
  if (rounding === 'ceil') return floor + 1n;
  const twice = 2n * (numerator - floor * denominator);
  if (twice < denominator) return floor;
  if (twice > denominator) return floor + 1n;
  return floor % 2n === 0n ? floor : floor + 1n;
}

/** a × b for two fixed-point values. */
export function mulFixed(a: bigint, b: bigint, rounding: Rounding = 'half-even'): bigint {
  return divRound(a * b, FIXED_ONE, rounding);
}

/** a ÷ b for two fixed-point values (b ≠ 0). */
export function divFixed(a: bigint, b: bigint, rounding: Rounding = 'half-even'): bigint {
  return divRound(a * FIXED_ONE, b, rounding);
}

export const minFixed = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxFixed = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const absFixed = (a: bigint): bigint => (a < 0n ? -a : a);

/** Checks a decimal string field: why it is not one (`qty must be …`), or `undefined`. */
export function decimalProblem(field: string, value: unknown, options: { positive?: boolean; nonNegative?: boolean } = {}): string | undefined {
  const parsed = typeof value === 'string' ? parseFixed(value) : null;
  if (parsed === null) return `${field} must be a decimal string with at most ${FIXED_DECIMALS} decimals (got ${JSON.stringify(value)})`;
  if (options.positive && parsed <= 0n) return `${field} must be > 0 (got ${value})`;
  if (options.nonNegative && parsed < 0n) return `${field} must be ≥ 0 (got ${value})`;
  return undefined;
}
