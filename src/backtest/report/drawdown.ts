const DAY_MS = 86_400_000;

export interface ValueAt {
  readonly time: number;
  readonly value: number;
}

export interface MaxDrawdown {
  /** The deepest fall from a running peak, as a fraction ≤ 0 (−0.25 is 25 % below the peak). */
  readonly depth: number;
  /** The longest time under water: from a peak to the first sample back at or above it, or to the last sample if never; days. */
  readonly longestDays: number;
}

/**
 * Drawdown at each sample: value / running peak − 1. The running peak starts at the first sample
 * (callers put the starting cash first).
 */
export function drawdownSeries(samples: readonly ValueAt[]): ValueAt[] {
  let peak = -Infinity;
  return samples.map(({ time, value }) => {
    peak = Math.max(peak, value);
    return { time, value: peak > 0 ? value / peak - 1 : 0 };
  });
}

/** Depth and longest duration of the drawdowns of `samples` (in time order); `null` for no samples. */
export function maxDrawdown(samples: readonly ValueAt[]): MaxDrawdown | null {
  if (samples.length === 0) return null;
  let peak = samples[0]!.value;
  // The last sample at the running peak: an under-water period starts there.
  let peakTime = samples[0]!.time;
  let depth = 0;
  let longestMs = 0;
  let underWater = false;
  for (const { time, value } of samples) {
    if (value >= peak) {
      if (underWater) longestMs = Math.max(longestMs, time - peakTime);
      underWater = false;
      peak = value;
      peakTime = time;
      continue;
    }
    underWater = true;
    if (peak > 0) depth = Math.min(depth, value / peak - 1);
  }
  const last = samples.at(-1)!;
  if (underWater) longestMs = Math.max(longestMs, last.time - peakTime);
  return { depth, longestDays: longestMs / DAY_MS };
}
