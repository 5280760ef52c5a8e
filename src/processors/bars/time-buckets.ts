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
  /**
   * Whether a bucket may be handed back (default: every bucket). One that may not (a bar without a
   * price) is never handed back: when due it is given to `merge`, into the open bucket before it,
   * which waits for it while it is not due, or, with none, into the one after it or nowhere.
   */
  readonly publishable?: (bucket: B) => boolean;
  /** Takes what an unpublishable due bucket collected; `into` undefined: no open bucket of its interval is left. */
  readonly merge?: (from: B, into: B | undefined) => void;
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
 * A kind of bar may hold some buckets back (`publishable`, `merge`): such a bucket is never handed
 * back but merged into a neighbour, and the bucket before it waits while it is not due. Trade bars
 * use this for periods with only volume-only prints (see BarBuilder).
 *
 * The one copy of these rules: BarBuilder (trade bars) and QuoteBarBuilder use them, and
 * test/processors/bars/quote-bar-builder.test.ts checks that both close the same periods at the same calls.
 */
export class TimeBuckets<B extends Period> {
  readonly intervals: readonly BarInterval[];
  readonly lateness: number;
  readonly #durations: readonly number[];
  readonly #open: TimeBucketsOptions<B>['open'];
  readonly #publishable: ((bucket: B) => boolean) | null;
  readonly #merge: NonNullable<TimeBucketsOptions<B>['merge']>;
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
    this.#publishable = options.publishable ?? null;
    this.#merge = options.merge ?? (() => {});
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
   * whose period is still open (opened as needed); `null`: the event only moves the symbol's time.
   * With `belongsBefore`, the event belongs to the period holding the last instant before that time
   * instead of to the one holding `tsEvent` (a print reported after the period it closes).
   * Returns the symbol's buckets its event time closed.
   */
  add(symbol: string, tsEvent: number, collect: ((bucket: B) => void) | null, belongsBefore?: number): readonly B[] {
    this.#changed.add(symbol);
    let state = this.#symbols.get(symbol);
    if (!state) {
      state = { maxEvent: Number.NEGATIVE_INFINITY, open: this.intervals.map(() => []) };
      this.#symbols.set(symbol, state);
    }
    if (collect) this.#collect(symbol, state, tsEvent, collect, belongsBefore);
    if (tsEvent <= state.maxEvent) return NONE;
    state.maxEvent = tsEvent;
    const threshold = tsEvent - this.lateness;
    // Most events close nothing: then nothing is allocated (hot path).
    if (!anyEndsBy(state.open, threshold)) return NONE;
    const closed: B[] = [];
    this.#closeDue(symbol, state, threshold, closed);
    return sortClosed(closed);
  }

  /** Closes, for every symbol, each open bucket with `end ≤ timeMs − lateness`. */
  advanceTo(timeMs: number): readonly B[] {
    const watermark = timeMs - this.lateness;
    if (watermark > this.#watermark) this.#watermark = watermark;
    if (this.#watermark < this.#nextDue) return NONE;
    const closed: B[] = [];
    this.#nextDue = Number.POSITIVE_INFINITY;
    for (const [symbol, state] of this.#symbols) {
      this.#closeDue(symbol, state, this.#watermark, closed);
      for (const buckets of state.open) {
        const due = this.#dueAt(buckets);
        if (due < this.#nextDue) this.#nextDue = due;
      }
    }
    return sortClosed(closed);
  }

  /** End of stream: closes every open bucket. Events for those periods arriving later count as late. */
  flush(): readonly B[] {
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

  #collect(symbol: string, state: SymbolState<B>, tsEvent: number, collect: (bucket: B) => void, belongsBefore: number | undefined): void {
    const closedThrough = Math.max(this.#watermark, state.maxEvent - this.lateness);
    const publishable = this.#publishable;
    const durations = this.#durations;
    let late = false;
    for (let index = 0; index < durations.length; index++) {
      const duration = durations[index]!;
      const start = belongsBefore === undefined ? Math.floor(tsEvent / duration) * duration : Math.ceil(belongsBefore / duration) * duration - duration;
      if (start + duration <= closedThrough) {
        this.#lateByInterval[index]!++;
        late = true;
        continue;
      }
      const bucket = this.#bucket(symbol, state, index, start);
      if (publishable === null) {
        collect(bucket);
        continue;
      }
      const was = publishable(bucket);
      collect(bucket);
      // The bucket before may have been waiting for this one to become publishable (see `#closeDue`).
      if (!was && publishable(bucket)) {
        const first = state.open[index]![0]!;
        if (first.end < this.#nextDue) this.#nextDue = first.end;
      }
    }
    if (late) this.#lateEvents++;
  }

  /** When the first of these buckets can next be handed back: a publishable one waits for an unpublishable one after it. */
  #dueAt(buckets: readonly B[]): number {
    const first = buckets[0];
    if (!first) return Number.POSITIVE_INFINITY;
    const next = buckets[1];
    const publishable = this.#publishable;
    return publishable !== null && next && publishable(first) && !publishable(next) ? next.end : first.end;
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
    // The first bucket's end, not the new one's: a publishable bucket may stop waiting for an unpublishable one.
    if (buckets[0]!.end < this.#nextDue) this.#nextDue = buckets[0]!.end;
    return bucket;
  }

  /**
   * Hands back the buckets with `end ≤ threshold`, in start order. An unpublishable one is merged:
   * right after a publishable bucket, into it (which waits while such a bucket is not yet due);
   * otherwise into the next bucket, or into nothing.
   */
  #closeDue(symbol: string, state: SymbolState<B>, threshold: number, out: B[]): void {
    const publishable = this.#publishable;
    for (const buckets of state.open) {
      while (buckets.length > 0 && buckets[0]!.end <= threshold) {
        const bucket = buckets[0]!;
        if (publishable !== null) {
          if (!publishable(bucket)) {
            this.#changed.add(symbol);
            buckets.shift();
            this.#openCount--;
            this.#merge(bucket, buckets[0]);
            continue;
          }
          let waits = false;
          while (buckets.length > 1 && !publishable(buckets[1]!)) {
            const unpublishable = buckets[1]!;
            if (unpublishable.end > threshold) {
              waits = true;
              break;
            }
            this.#changed.add(symbol);
            this.#merge(unpublishable, bucket);
            buckets.splice(1, 1);
            this.#openCount--;
          }
          if (waits) break;
        }
        out.push(buckets.shift()!);
        this.#changed.add(symbol);
        this.#openCount--;
      }
    }
  }
}

/** What most calls close: nothing (shared, so the hot path allocates nothing for it). */
const NONE: readonly never[] = Object.freeze([]);

function anyEndsBy<B extends Period>(open: readonly B[][], threshold: number): boolean {
  for (const buckets of open) if (buckets.length > 0 && buckets[0]!.end <= threshold) return true;
  return false;
}

/** Deterministic order: by end, then shorter interval first, then symbol. */
function sortClosed<B extends Period>(buckets: B[]): B[] {
  if (buckets.length > 1) {
    buckets.sort((a, b) => a.end - b.end || BAR_INTERVALS[a.interval] - BAR_INTERVALS[b.interval] || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }
  return buckets;
}
