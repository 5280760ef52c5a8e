/** Moments of a sample of numbers: `null` where the sample is too small for the figure to exist. */

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample covariance (divides by n − 1, numpy's `ddof=1`); the two series have the same length. */
export function sampleCovariance(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  const meanX = mean(xs);
  const meanY = mean(ys);
  if (n < 2 || ys.length !== n || meanX === null || meanY === null) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (xs[i]! - meanX) * (ys[i]! - meanY);
  return sum / (n - 1);
}

/** Sample standard deviation, `ddof=1`. */
export function sampleStd(values: readonly number[]): number | null {
  const variance = sampleCovariance(values, values);
  return variance === null ? null : Math.sqrt(variance);
}

/** `numerator / denominator`, or `null` when either is missing or the quotient is not finite. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null;
  const quotient = numerator / denominator;
  return Number.isFinite(quotient) ? quotient : null;
}
