import type { BusRecord } from '../src/bus/bus.ts';
import type { WindowMetrics } from '../src/model/metrics.ts';

export interface ReceivedMetrics {
  readonly metrics: WindowMetrics;
  /** When this process received them (Unix ms, the clock the producers stamp with). */
  readonly at: number;
}

/** The window metrics a consumer receives for `seconds` after `warmupMs`, each with when it arrived. */
export async function receiveMetrics(consumer: AsyncIterable<readonly BusRecord[]>, seconds: number, warmupMs = 5_000): Promise<ReceivedMetrics[]> {
  const received: ReceivedMetrics[] = [];
  const warmupUntil = Date.now() + warmupMs;
  const endAt = warmupUntil + seconds * 1000;
  for await (const batch of consumer) {
    const at = Date.now();
    if (at > endAt) break;
    if (at < warmupUntil) continue;
    for (const record of batch) {
      const metrics = record.value as WindowMetrics;
      if (metrics.type === 'window-metrics') received.push({ metrics, at });
    }
  }
  return received;
}

/** The `q` quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
