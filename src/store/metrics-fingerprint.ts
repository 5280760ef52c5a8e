import { createHash } from 'node:crypto';
import type { WindowMetrics } from '../model/metrics.ts';

/**
 * Identity of a metrics publication, which carries no id: a hash of every field, in a fixed order.
 * The same record delivered again hashes the same (numbers survive the JSON round trip exactly);
 * two publications differ in at least one field unless they say exactly the same thing.
 */
export function metricsFingerprint(m: WindowMetrics): string {
  const fields = [m.symbol, m.window, m.count, m.vwap, m.avg, m.min, m.max, m.first, m.last, m.changePct, m.volume, m.tsStart, m.tsEvent, m.tsRecv];
  return createHash('md5').update(JSON.stringify(fields)).digest('hex');
}
