const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped at 15 s, with full jitter,
 * so the browsers of a whole desk do not all reconnect in the same instant after a restart.
 */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.max(100, Math.round(random() * ceiling));
}
