import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { BAR_INTERVALS, type Bar, type BarInterval } from '../../model/bar.ts';
import type { Trade } from '../../model/trade.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { everyTradeCounts, type EligibilityRule } from '../../model/trade-eligibility.ts';
import { OpenBar, type OpenBarSnapshot } from './open-bar.ts';
import { TimeBuckets } from './time-buckets.ts';

export const BAR_BUILDER_DEFAULTS = { intervals: ['1s', '1m'] as readonly BarInterval[], lateness: 0 } as const;

const INTERVAL_NAMES = Object.keys(BAR_INTERVALS) as [BarInterval, ...BarInterval[]];

const optionsSchema = z.strictObject({
  intervals: z.array(z.enum(INTERVAL_NAMES)).min(1).readonly().default(BAR_BUILDER_DEFAULTS.intervals),
  /** How far (ms) a trade's event time may trail the newest one before its bar is closed without it. */
  lateness: z.number().min(0).max(86_400_000).default(BAR_BUILDER_DEFAULTS.lateness),
  /** Which trades set prices, count only as volume, or are ignored (default: all count fully). */
  eligibility: z.custom<EligibilityRule>((value) => typeof value === 'function', 'must be a function').optional(),
  /** Supplies the close time (`tsRecv`) when `add` or `flush` is not given one. */
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function', 'must be a Clock').optional(),
});

export type BarBuilderOptions = z.input<typeof optionsSchema>;

export interface BarBuilderStats {
  readonly trades: number;
  /** Trades that arrived after a bar they belong to was closed (in at least one interval). */
  readonly lateTrades: number;
  readonly lateByInterval: Readonly<Partial<Record<BarInterval, number>>>;
  /** Trades the eligibility rule ignored. */
  readonly excluded: number;
  /** Periods that saw only volume-only trades: no price, so no bar; their volume went into a neighbouring bar. */
  readonly unpricedPeriods: number;
  /** Trades refused: price not a positive number, size negative or not a number, time not a number. */
  readonly rejected: number;
  readonly openBars: number;
  readonly closedBars: number;
}

/** One symbol's part of the builder, as data (see `symbolState`). */
export interface SymbolBarsState {
  /** Newest event time seen for the symbol. */
  readonly maxEvent: number;
  /** Its open bars, every interval, each interval's sorted by start. */
  readonly open: readonly OpenBarSnapshot[];
  /** Volume waiting for the symbol's next bar, per interval (none when empty). */
  readonly carried: readonly CarriedVolume[];
}

/** Volume-only prints of periods without a bar, whose previous bar had already been published. */
export interface CarriedVolume {
  readonly interval: BarInterval;
  readonly volume: number;
  readonly count: number;
}

/** Per configured interval, volume and trade count for the symbol's next bar opened (see `CarriedVolume`). */
interface Carried {
  readonly volume: number[];
  readonly count: number[];
}

/**
 * Time bars per symbol over `[start, end)` with `start` a multiple of the interval in Unix ms, on the
 * time rules of `TimeBuckets` (restated here for the reader); what is trade-specific lives here.
 *
 * A period is closed (its bar published once, never reopened) as soon as either
 * - the clock passed its end by the lateness: `advanceTo(t)` with `t − lateness ≥ end`, for every
 *   symbol, so a symbol that went quiet still gets its bar; or
 * - the symbol's own event time did: a trade at `t` with `t − lateness ≥ end`.
 * A trade for a closed period is late: counted, and left out of that bar (the same trade may still
 * land in a longer interval whose bar is open). Periods without trades produce no bar. Output is a
 * function of the calls alone (trades, clock times): replays are deterministic.
 *
 * Volume never vanishes (invariant): every size the eligibility rule counts is in exactly one bar of
 * each interval, unless the trade was late. A period in which only volume-only prints happened has
 * no price, hence no bar; its volume and trades go into the symbol's previous bar of that interval,
 * as Lean's bars do. So a bar whose end has passed still waits while the symbol's next period with
 * trades has only volume-only prints and is not over (by a priced trade in a later period, the
 * clock, or the end of the stream): a run of such periods delays it until the run ends. If the
 * previous bar was already published when those prints came (the clock, which also moves on other
 * symbols' trades, closed it first), they go into the symbol's next bar instead (`CarriedVolume`
 * until it opens). So the 1 s volumes of a day sum to its 1 m volumes, though not always minute by
 * minute: a second's volume can move into the last second bar of the minute before.
 *
 * Auction prints (`AuctionPrint`) set the open of their bar, or the close of the session's last bar.
 *
 * Gaps do not touch bars: a bar states what was received in its period, and consumers learn of the
 * hole from the gap record itself.
 */
export class BarBuilder {
  readonly intervals: readonly BarInterval[];
  readonly lateness: number;
  readonly #buckets: TimeBuckets<OpenBar>;
  readonly #eligibility: EligibilityRule;
  readonly #clock: Clock;
  /** Only symbols that have, or had, carried volume. */
  readonly #carried = new Map<string, Carried>();
  #trades = 0;
  #excluded = 0;
  #unpriced = 0;
  #rejected = 0;
  #closedBars = 0;
  /** The trade `add` is adding and how it counts, for `#collect`: one function for every trade, none made per trade (hot path). */
  #adding: Trade | null = null;
  #addingAs: 'full' | 'volume' | 'opening' | 'closing' = 'full';
  readonly #collect = (bar: OpenBar): void => {
    const { price, size } = this.#adding!;
    const as = this.#addingAs;
    if (as === 'full') bar.addPriced(price, size);
    else if (as === 'volume') bar.addVolume(size);
    else if (as === 'opening') bar.addOpeningAuction(price, size);
    else bar.addClosingAuction(price, size);
  };

  constructor(options: BarBuilderOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw new ConfigError(`invalid bar builder options: ${z.prettifyError(parsed.error)}`);
    this.#buckets = new TimeBuckets<OpenBar>({
      intervals: parsed.data.intervals,
      lateness: parsed.data.lateness,
      open: (symbol, interval, start, end) => this.#open(symbol, interval, start, end),
      publishable: (bar) => bar.priced,
      merge: (from, into) => this.#merge(from, into),
    });
    this.intervals = this.#buckets.intervals;
    this.lateness = this.#buckets.lateness;
    this.#eligibility = parsed.data.eligibility ?? everyTradeCounts;
    this.#clock = parsed.data.clock ?? systemClock;
  }

  get lateTrades(): number {
    return this.#buckets.lateEvents;
  }

  /** Adds a trade; returns the symbol's bars its event time finished (closed at `nowMs`). */
  add(trade: Trade, nowMs: number = this.#clock.now()): Bar[] {
    if (!isUsable(trade)) {
      this.#rejected++;
      return [];
    }
    this.#trades++;
    const eligibility = this.#eligibility(trade);
    if (eligibility === 'none') {
      this.#excluded++;
      return this.#finish(this.#buckets.add(trade.symbol, trade.tsEvent, null), nowMs);
    }
    this.#adding = trade;
    this.#addingAs = typeof eligibility === 'string' ? eligibility : eligibility.auction;
    // A closing auction's print belongs to the period holding the session's last instant.
    const belongsBefore = typeof eligibility === 'object' && eligibility.auction === 'closing' ? eligibility.sessionEnd : undefined;
    return this.#finish(this.#buckets.add(trade.symbol, trade.tsEvent, this.#collect, belongsBefore), nowMs);
  }

  /** Closes, for every symbol, each open bar with `end ≤ timeMs − lateness`; `nowMs` becomes their `tsRecv`. */
  advanceTo(timeMs: number, nowMs: number = timeMs): Bar[] {
    return this.#finish(this.#buckets.advanceTo(timeMs), nowMs);
  }

  /** End of stream: closes every open bar. Trades for those periods arriving later count as late. */
  flush(nowMs: number = this.#clock.now()): Bar[] {
    return this.#finish(this.#buckets.flush(), nowMs);
  }

  /** Every period ending at or before this is closed for every symbol; −∞ before the first `advanceTo`. */
  get watermark(): number {
    return this.#buckets.watermark;
  }

  /** Sets the watermark saved before a restart (never moves it back). */
  restoreWatermark(watermark: number): void {
    this.#buckets.restoreWatermark(watermark);
  }

  /** What `restoreSymbol` needs to continue the symbol's bars exactly; `null` for a symbol never seen. */
  symbolState(symbol: string): SymbolBarsState | null {
    const buckets = this.#buckets.symbolBuckets(symbol);
    if (!buckets) return null;
    const carried: CarriedVolume[] = [];
    const saved = this.#carried.get(symbol);
    if (saved) {
      this.intervals.forEach((interval, index) => {
        if (saved.count[index]! > 0) carried.push({ interval, volume: saved.volume[index]!, count: saved.count[index]! });
      });
    }
    return { maxEvent: buckets.maxEvent, open: buckets.open.map((bar) => bar.snapshot()), carried };
  }

  /** Replaces the symbol's bars with saved ones (after a restart); bars of intervals not configured are dropped. */
  restoreSymbol(symbol: string, saved: SymbolBarsState): void {
    this.#buckets.restoreSymbol(symbol, { maxEvent: saved.maxEvent, open: saved.open.map((snapshot) => OpenBar.restore(symbol, snapshot)) });
    this.#carried.delete(symbol);
    for (const carried of saved.carried) {
      const index = this.intervals.indexOf(carried.interval);
      if (index < 0) continue;
      const state = this.#carriedOf(symbol);
      state.volume[index] = carried.volume;
      state.count[index] = carried.count;
    }
  }

  /** The symbols whose state changed since the last call (trades added, bars closed), then forgets them. */
  takeChangedSymbols(): string[] {
    return this.#buckets.takeChangedSymbols();
  }

  stats(): BarBuilderStats {
    return {
      trades: this.#trades,
      lateTrades: this.#buckets.lateEvents,
      lateByInterval: this.#buckets.lateByInterval,
      excluded: this.#excluded,
      unpricedPeriods: this.#unpriced,
      rejected: this.#rejected,
      openBars: this.#buckets.openCount,
      closedBars: this.#closedBars,
    };
  }

  /** A new bar, which takes the volume carried for its symbol and interval. */
  #open(symbol: string, interval: BarInterval, start: number, end: number): OpenBar {
    const bar = new OpenBar(symbol, interval, start, end);
    const carried = this.#carried.size > 0 ? this.#carried.get(symbol) : undefined;
    if (carried) {
      const index = this.intervals.indexOf(interval);
      if (carried.count[index]! > 0) {
        bar.addCarried(carried.volume[index]!, carried.count[index]!);
        carried.volume[index] = 0;
        carried.count[index] = 0;
      }
    }
    return bar;
  }

  /**
   * An unpriced bar is never published: its volume goes into the symbol's bar before it when that is
   * still open, else into the next one, or is carried until one opens.
   */
  #merge(unpriced: OpenBar, into: OpenBar | undefined): void {
    this.#unpriced++;
    if (into) {
      into.addCarried(unpriced.volume, unpriced.count);
      return;
    }
    const carried = this.#carriedOf(unpriced.symbol);
    const index = this.intervals.indexOf(unpriced.interval);
    carried.volume[index]! += unpriced.volume;
    carried.count[index]! += unpriced.count;
  }

  #carriedOf(symbol: string): Carried {
    let carried = this.#carried.get(symbol);
    if (!carried) {
      carried = { volume: this.intervals.map(() => 0), count: this.intervals.map(() => 0) };
      this.#carried.set(symbol, carried);
    }
    return carried;
  }

  #finish(closed: readonly OpenBar[], nowMs: number): Bar[] {
    if (closed.length === 0) return [];
    this.#closedBars += closed.length;
    return closed.map((bar) => bar.toBar(nowMs));
  }
}

function isUsable(trade: Trade): boolean {
  return Number.isFinite(trade.price) && trade.price > 0 && Number.isFinite(trade.size) && trade.size >= 0 && Number.isFinite(trade.tsEvent);
}
