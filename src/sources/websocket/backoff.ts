/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): the
 * delay is uniform in [0, min(max, base · 2^failures)). Spreading reconnects over the whole window
 * keeps many clients that lost the same server from reconnecting in lockstep.
 */
export function fullJitterDelay(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 40));
  return Math.floor(random() * ceiling);
}
