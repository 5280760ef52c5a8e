import { backoffDelay } from './backoff.js';

/** ~1 min of asking: storage writes a bar a few seconds after it closes, longer on a busy machine. */
export const HISTORY_REPAIR_ATTEMPTS = 7;

/**
 * Whether the chart may have a hole the stream will not fill: the stream only sends what happens
 * after it subscribed, so candles between the newest stored bar (`storedNewest`) and the oldest one
 * the stream gave (`liveOldest`) come only from storage, which may not have written them yet when
 * the history was read. Starts are Unix ms; `null` is none. A quiet symbol has such holes for real:
 * hence a bounded number of attempts.
 */
export function mayMissStoredBars(storedNewest, liveOldest, width) {
  if (liveOldest === null) return false;
  return storedNewest === null || liveOldest - storedNewest > width;
}

/** Delay before history repair attempt `attempt` (0-based): the reconnects' schedule from its second step, without jitter: 1 s, 2 s, 4 s, … capped at 15 s. */
export function historyRepairDelay(attempt) {
  return backoffDelay(attempt + 1, () => 1);
}
