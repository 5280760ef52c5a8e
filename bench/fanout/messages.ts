/** What bench/fanout.ts and its client process say to each other over IPC. */
export interface ClientPlan {
  readonly symbols: readonly string[];
  readonly channels: readonly ('trades' | 'metrics')[];
}

export interface LatencySummary {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface PhaseReport {
  readonly type: 'report';
  /** Records the normal clients received, and how many were sent to them. */
  readonly delivered: number;
  readonly expected: number;
  /** From the server's `deliver()` call to the client. */
  readonly latency: LatencySummary;
  /** From when the offered rate scheduled the record: includes the server falling behind. */
  readonly fromSchedule: LatencySummary;
  /** The paused client, when the phase had one. */
  readonly slow: { readonly received: number; readonly lagging: number; readonly closedCode: number | null } | null;
}

export type FromParent =
  | { readonly type: 'connect'; readonly url: string; readonly plans: readonly ClientPlan[] }
  | { readonly type: 'phase'; readonly url: string; readonly slow: boolean }
  | { readonly type: 'report'; readonly sent: Readonly<Record<string, { trades: number; metrics: number }>>; readonly drainMs: number }
  | { readonly type: 'close' };

export type ToParent = { readonly type: 'started' } | { readonly type: 'connected'; readonly clients: number } | { readonly type: 'phase-ready' } | PhaseReport;

/** Percentiles in ms (nearest rank). */
export function summarize(values: Float64Array): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]! };
}
