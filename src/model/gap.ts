/**
 * A gap in a symbol's stream, carried in-band on the raw topic (keyed by symbol so it is ordered
 * with that symbol's trades): consumers learn that trades may be missing between `tsEvent` and the
 * next trade.
 */
export interface Gap {
  readonly type: 'gap';
  readonly source: string;
  readonly symbol: string;
  readonly reason: GapReason;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

export type GapReason = 'disconnect' | 'stale' | 'shutdown';
