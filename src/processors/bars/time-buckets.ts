import { BAR_INTERVALS, type BarInterval } from '../../model/bar.ts';

/** What a bucket must tell about itself; the rest (what it collects) is the caller's. */
export interface Period {
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly start: number;
  readonly end: number;
}

export interface TimeBucketsOptions<B extends Period> {
  /** Distinct, any order. */
  readonly intervals: readonly BarInterval[];
  /** How far (ms) an event may trail the newest one before its period is closed without it. */
  readonly lateness: number;
  /** Makes the bucket of a period the first event of which just arrived. */
  readonly open: (symbol: string, interval: BarInterval, start: number, end: number) => B;
}

/** One symbol's buckets as data: its newest event time and its open buckets, every interval. */
export interface SymbolBuckets<B> {
  readonly maxEvent: number;
  readonly open: readonly B[];
}

interface SymbolState<B> {
  maxEvent: number;
  /** Per interval, the open buckets sorted by start (more than one only with lateness). */
  readonly open: B[][];
}

/**
 * The time rules of bars, apart from what a bar collects: periods `[start, end)` with `start` a
 * multiple of the interval in Unix ms, per symbol, closed (handed back once, never reopened) as soon as
 * - the clock passed the end by the lateness: `advanceTo(t)` with `t − lateness ≥ end`, for every
 *   symbol, so a symbol that went quiet still gets its bar; or
 * - the symbol's own event time did: an event at `t` with `t − lateness ≥ end`.
 * An event for a closed period is late: counted, and left out of that period (it may still land in a
 * longer interval whose period is open). Periods without events have no bucket. Output is a function
 * of the calls alone, so replays are deterministic.
 *
 * These are BarBuilder's rules (trade bars), written once for any kind of bar; the quote-bar builder
 * uses them, and test/processors/bars/quote-bar-builder.test.ts checks that both close the same
 * periods at the same calls.
 */
export class TimeBuckets<B extends Period> {
  readonly intervals: readonly BarInterval[];
  readonly lateness: number;
  readonly #durations: readonly number[];
  readonly #open: TimeBucketsOptions<B>['open'];
  readonly #symbols = new Map<string, SymbolState<B>>();
  /** Every period ending at or before this is closed (the clock's time less the lateness). */
  #watermark = Number.NEGATIVE_INFINITY;
  /** No open bucket ends before this; lets `advanceTo` return at once when nothing is due. */
  #nextDue = Number.POSITIVE_INFINITY;
  #lateEvents = 0;
  readonly #lateByInterval: number[];
  #openCount = 0;
  /** Symbols whose state changed since `takeChangedSymbols` (for saving only what changed). */
  readonly #changed = new Set<string>();

  constructor(options: TimeBucketsOptions<B>) {
    this.intervals = [...new Set(options.intervals)].sort((a, b) => BAR_INTERVALS[a] - BAR_INTERVALS[b]);
    this.#durations = this.intervals.map((interval) => BAR_INTERVALS[interval]);
    this.lateness = options.lateness;
    this.#open = options.open;
    this.#lateByInterval = this.intervals.map(() => 0);
  }

  /** Events that missed at least one closed period. */
  get lateEvents(): number {
    return this.#lateEvents;
  }

  get lateByInterval(): Readonly<Partial<Record<BarInterval, number>>> {
    const late: Partial<Record<BarInterval, number>> = {};
    this.intervals.forEach((interval, index) => (late[interval] = this.#lateByInterval[index]!));
    return late;
  }

  get openCount(): number {
    return this.#openCount;
  }

  /** Every period ending at or before this is closed for every symbol; −∞ before the first `advanceTo`. */
  get watermark(): number {
    return this.#watermark;
  }

  /**
   * An event of `symbol` at `tsEvent` (finite): `collect` is given the open bucket of each interval
   * whose period is still open (opened as needed). Returns the symbol's buckets its event time closed.
   */
  add(symbol: string, tsEvent: number, collect: (bucket: B) => void): B[] {
    this.#changed.add(symbol);
    let state = this.#symbols.get(symbol);
    if (!state) {
      state = { maxEvent: Number.NEGATIVE_INFINITY, open: this.intervals.map(() => []) };
      this.#symbols.set(symbol, state);
    }
    const closedThrough = Math.max(this.#watermark, state.maxEvent - this.lateness);
    let late = false;
    for (let index = 0; index < this.#durations.length; index++) {
      const duration = this.#durations[index]!;
      const start = Math.floor(tsEvent / duration) * duration;
      if (start + duration <= closedThrough) {
        this.#lateByInterval[index]!++;
        late = true;
        continue;
      }
      collect(this.#bucket(symbol, state, index, start));
    }
    if (late) this.#lateEvents++;
    if (tsEvent <= state.maxEvent) return [];
    state.maxEvent = tsEvent;
    const closed: B[] = [];
    this.#closeDue(symbol, state, tsEvent - this.lateness, closed);
    return sortClosed(closed);
  }

  /** Closes, for every symbol, each open bucket with `end ≤ timeMs − lateness`. */
  advanceTo(timeMs: number): B[] {
    const watermark = timeMs - this.lateness;
    if (watermark > this.#watermark) this.#watermark = watermark;
    if (this.#watermark < this.#nextDue) return [];
    const closed: B[] = [];
    this.#nextDue = Number.POSITIVE_INFINITY;
    for (const [symbol, state] of this.#symbols) {
      this.#closeDue(symbol, state, this.#watermark, closed);
      for (const buckets of state.open) if (buckets.length > 0 && buckets[0]!.end < this.#nextDue) this.#nextDue = buckets[0]!.end;
    }
    return sortClosed(closed);
  }

  /** End of stream: closes every open bucket. Events for those periods arriving later count as late. */
  flush(): B[] {
    const closed: B[] = [];
    for (const [symbol, state] of this.#symbols) this.#closeDue(symbol, state, Number.POSITIVE_INFINITY, closed);
    for (const bucket of closed) if (bucket.end > this.#watermark) this.#watermark = bucket.end;
    this.#nextDue = Number.POSITIVE_INFINITY;
    return sortClosed(closed);
  }

  /** Sets the watermark saved before a restart (never moves it back). */
  restoreWatermark(watermark: number): void {
    if (watermark > this.#watermark) this.#watermark = watermark;
    this.#nextDue = Number.NEGATIVE_INFINITY;
  }

  /** The symbol's newest event time and open buckets; `null` for a symbol never seen. */
  symbolBuckets(symbol: string): SymbolBuckets<B> | null {
    const state = this.#symbols.get(symbol);
    return state ? { maxEvent: state.maxEvent, open: state.open.flat() } : null;
  }

  /** Replaces the symbol's buckets with saved ones (after a restart); buckets of intervals not configured are dropped. */
  restoreSymbol(symbol: string, saved: SymbolBuckets<B>): void {
    const previous = this.#symbols.get(symbol);
    if (previous) for (const buckets of previous.open) this.#openCount -= buckets.length;
    const open: B[][] = this.intervals.map(() => []);
    for (const bucket of saved.open) {
      const index = this.intervals.indexOf(bucket.interval);
      if (index < 0) continue;
      open[index]!.push(bucket);
      this.#openCount++;
    }
    for (const buckets of open) buckets.sort((a, b) => a.start - b.start);
    this.#symbols.set(symbol, { maxEvent: saved.maxEvent, open });
    // A lower bound is enough: `advanceTo` recomputes it on its next pass.
    this.#nextDue = Number.NEGATIVE_INFINITY;
  }

  /** The symbols whose state changed since the last call (events added, buckets closed), then forgets them. */
  takeChangedSymbols(): string[] {
    const changed = [...this.#changed];
    this.#changed.clear();
    return changed;
  }

  /** The open bucket of `state` starting at `start` in interval `index`, opened if needed. */
  #bucket(symbol: string, state: SymbolState<B>, index: number, start: number): B {
    const buckets = state.open[index]!;
    let at = buckets.length;
    // Events mostly arrive in time order: search from the newest bucket backwards.
    while (at > 0 && buckets[at - 1]!.start >= start) {
      if (buckets[at - 1]!.start === start) return buckets[at - 1]!;
      at--;
    }
    const bucket = this.#open(symbol, this.intervals[index]!, start, start + this.#durations[index]!);
    buckets.splice(at, 0, bucket);
    this.#openCount++;
    if (bucket.end < this.#nextDue) this.#nextDue = bucket.end;
    return bucket;
  }

  #closeDue(symbol: string, state: SymbolState<B>, threshold: number, out: B[]): void {
    for (const buckets of state.open) {
      while (buckets.length > 0 && buckets[0]!.end <= threshold) {
        out.push(buckets.shift()!);
        this.#changed.add(symbol);
        this.#openCount--;
      }
    }
  }
}

/** Deterministic order: by end, then shorter interval first, then symbol. */
function sortClosed<B extends Period>(buckets: B[]): B[] {
  if (buckets.length > 1) {
    buckets.sort((a, b) => a.end - b.end || BAR_INTERVALS[a.interval] - BAR_INTERVALS[b.interval] || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }
  return buckets;
}
