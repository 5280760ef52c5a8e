import { oneOf, recordOf, text, times } from './checks.ts';

/**
 * A gap in a symbol's stream, carried in-band on the raw topic (keyed by symbol so it is ordered
 * with that symbol's trades): consumers learn that trades may be missing between `tsEvent` and the
 * next trade.
 */
export interface Gap {
  readonly type: 'gap';
  /** @minLength 1 */
  readonly source: string;
  /** @minLength 1 */
  readonly symbol: string;
  readonly reason: GapReason;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

export const GAP_REASONS = ['disconnect', 'stale', 'shutdown'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/** Checks a value read from the bus before it is trusted as a gap. */
export function validateGap(value: unknown): Gap | string {
  const record = recordOf(value, 'gap');
  if (typeof record === 'string') return record;
  return text('symbol', record.symbol) ?? text('source', record.source) ?? times(record) ?? oneOf('reason', record.reason, GAP_REASONS) ?? (value as Gap);
}
