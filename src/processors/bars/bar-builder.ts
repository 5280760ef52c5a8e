import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { BAR_INTERVALS, type Bar, type BarInterval } from '../../model/bar.ts';
import type { Trade } from '../../model/trade.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { everyTradeCounts, type EligibilityRule, type TradeEligibility } from '../../model/trade-eligibility.ts';
import { OpenBar, type OpenBarSnapshot } from './open-bar.ts';

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

interface SymbolBars {
  readonly symbol: string;
  /** Newest event time seen for the symbol. */
  maxEvent: number;
  /** Per configured interval, the open bars sorted by start (more than one only with lateness). */
  readonly open: OpenBar[][];
  /** Per configured interval, volume and trade count for the next bar opened (see `CarriedVolume`). */
  readonly carriedVolume: number[];
  readonly carriedCount: number[];
}

/**
 * Time bars per symbol over `[start, end)` with `start` a multiple of the interval in Unix ms.
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
  readonly #durations: readonly number[];
  readonly #eligibility: EligibilityRule;
  readonly #clock: Clock;
  readonly #symbols = new Map<string, SymbolBars>();
  /** Every period ending at or before this is closed (the clock's time less the lateness). */
  #watermark = Number.NEGATIVE_INFINITY;
  /** No open bar ends before this; lets `advanceTo` return at once when nothing is due. */
  #nextDue = Number.POSITIVE_INFINITY;
  #trades = 0;
  #lateTrades = 0;
  readonly #lateByInterval: number[];
  #excluded = 0;
  #unpriced = 0;
  #rejected = 0;
  #openBars = 0;
  #closedBars = 0;
  /** Symbols whose state changed since `takeChangedSymbols` (for saving only what changed). */
  readonly #changed = new Set<string>();

  constructor(options: BarBuilderOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw new ConfigError(`invalid bar builder options: ${z.prettifyError(parsed.error)}`);
    this.intervals = [...new Set(parsed.data.intervals)].sort((a, b) => BAR_INTERVALS[a] - BAR_INTERVALS[b]);
    this.#durations = this.intervals.map((interval) => BAR_INTERVALS[interval]);
    this.lateness = parsed.data.lateness;
    this.#eligibility = parsed.data.eligibility ?? everyTradeCounts;
    this.#clock = parsed.data.clock ?? systemClock;
    this.#lateByInterval = this.intervals.map(() => 0);
  }

  get lateTrades(): number {
    return this.#lateTrades;
  }

  /** Adds a trade; returns the symbol's bars its event time finished (closed at `nowMs`). */
  add(trade: Trade, nowMs: number = this.#clock.now()): Bar[] {
    if (!isUsable(trade)) {
      this.#rejected++;
      return [];
    }
    this.#trades++;
    this.#changed.add(trade.symbol);
    let state = this.#symbols.get(trade.symbol);
    if (!state) {
      state = this.#newSymbol(trade.symbol);
      this.#symbols.set(trade.symbol, state);
    }
    const eligibility = this.#eligibility(trade);
    if (eligibility === 'none') this.#excluded++;
    else this.#collect(trade, state, eligibility);
    if (trade.tsEvent <= state.maxEvent) return [];
    state.maxEvent = trade.tsEvent;
    const closed: Bar[] = [];
    this.#closeDue(state, trade.tsEvent - this.lateness, nowMs, closed);
    return sortBars(closed);
  }

  /** Closes, for every symbol, each open bar with `end ≤ timeMs − lateness`; `nowMs` becomes their `tsRecv`. */
  advanceTo(timeMs: number, nowMs: number = timeMs): Bar[] {
    const watermark = timeMs - this.lateness;
    if (watermark > this.#watermark) this.#watermark = watermark;
    if (this.#watermark < this.#nextDue) return [];
    const closed: Bar[] = [];
    this.#nextDue = Number.POSITIVE_INFINITY;
    for (const state of this.#symbols.values()) {
      this.#closeDue(state, this.#watermark, nowMs, closed);
      for (const bars of state.open) {
        const due = dueAt(bars);
        if (due < this.#nextDue) this.#nextDue = due;
      }
    }
    return sortBars(closed);
  }

  /** End of stream: closes every open bar. Trades for those periods arriving later count as late. */
  flush(nowMs: number = this.#clock.now()): Bar[] {
    const closed: Bar[] = [];
    for (const state of this.#symbols.values()) this.#closeDue(state, Number.POSITIVE_INFINITY, nowMs, closed);
    for (const bar of closed) if (bar.end > this.#watermark) this.#watermark = bar.end;
    this.#nextDue = Number.POSITIVE_INFINITY;
    return sortBars(closed);
  }

  /** Every period ending at or before this is closed for every symbol; −∞ before the first `advanceTo`. */
  get watermark(): number {
    return this.#watermark;
  }

  /** Sets the watermark saved before a restart (never moves it back). */
  restoreWatermark(watermark: number): void {
    if (watermark > this.#watermark) this.#watermark = watermark;
    this.#nextDue = Number.NEGATIVE_INFINITY;
  }

  /** What `restoreSymbol` needs to continue the symbol's bars exactly; `null` for a symbol never seen. */
  symbolState(symbol: string): SymbolBarsState | null {
    const state = this.#symbols.get(symbol);
    if (!state) return null;
    const carried: CarriedVolume[] = [];
    this.intervals.forEach((interval, index) => {
      if (state.carriedCount[index]! > 0) carried.push({ interval, volume: state.carriedVolume[index]!, count: state.carriedCount[index]! });
    });
    return { maxEvent: state.maxEvent, open: state.open.flatMap((bars) => bars.map((bar) => bar.snapshot())), carried };
  }

  /** Replaces the symbol's bars with saved ones (after a restart); bars of intervals not configured are dropped. */
  restoreSymbol(symbol: string, saved: SymbolBarsState): void {
    const previous = this.#symbols.get(symbol);
    if (previous) for (const bars of previous.open) this.#openBars -= bars.length;
    const state = this.#newSymbol(symbol);
    state.maxEvent = saved.maxEvent;
    for (const snapshot of saved.open) {
      const index = this.intervals.indexOf(snapshot.interval);
      if (index < 0) continue;
      state.open[index]!.push(OpenBar.restore(symbol, snapshot));
      this.#openBars++;
    }
    for (const bars of state.open) bars.sort((a, b) => a.start - b.start);
    for (const carried of saved.carried) {
      const index = this.intervals.indexOf(carried.interval);
      if (index < 0) continue;
      state.carriedVolume[index] = carried.volume;
      state.carriedCount[index] = carried.count;
    }
    this.#symbols.set(symbol, state);
    // A lower bound is enough: `advanceTo` recomputes it on its next pass.
    this.#nextDue = Number.NEGATIVE_INFINITY;
  }

  /** The symbols whose state changed since the last call (trades added, bars closed), then forgets them. */
  takeChangedSymbols(): string[] {
    const changed = [...this.#changed];
    this.#changed.clear();
    return changed;
  }

  stats(): BarBuilderStats {
    const lateByInterval: Partial<Record<BarInterval, number>> = {};
    this.intervals.forEach((interval, index) => (lateByInterval[interval] = this.#lateByInterval[index]!));
    return {
      trades: this.#trades,
      lateTrades: this.#lateTrades,
      lateByInterval,
      excluded: this.#excluded,
      unpricedPeriods: this.#unpriced,
      rejected: this.#rejected,
      openBars: this.#openBars,
      closedBars: this.#closedBars,
    };
  }

  #newSymbol(symbol: string): SymbolBars {
    const perInterval = (): number[] => this.intervals.map(() => 0);
    return { symbol, maxEvent: Number.NEGATIVE_INFINITY, open: this.intervals.map(() => []), carriedVolume: perInterval(), carriedCount: perInterval() };
  }

  #collect(trade: Trade, state: SymbolBars, eligibility: Exclude<TradeEligibility, 'none'>): void {
    const closedThrough = Math.max(this.#watermark, state.maxEvent - this.lateness);
    const sessionEnd = typeof eligibility === 'object' && eligibility.auction === 'closing' ? eligibility.sessionEnd : null;
    let late = false;
    for (let index = 0; index < this.#durations.length; index++) {
      const duration = this.#durations[index]!;
      // A closing auction's print belongs to the period holding the session's last instant.
      const start = sessionEnd === null ? Math.floor(trade.tsEvent / duration) * duration : Math.ceil(sessionEnd / duration) * duration - duration;
      if (start + duration <= closedThrough) {
        this.#lateByInterval[index]!++;
        late = true;
        continue;
      }
      const bar = this.#openBar(state, index, start);
      const wasPriced = bar.priced;
      if (eligibility === 'full') bar.addPriced(trade.price, trade.size);
      else if (eligibility === 'volume') bar.addVolume(trade.size);
      else if (eligibility.auction === 'opening') bar.addOpeningAuction(trade.price, trade.size);
      else bar.addClosingAuction(trade.price, trade.size);
      // The bar before may have been waiting for this period to be decided (see `#closeDue`).
      if (!wasPriced && bar.priced) {
        const first = state.open[index]![0]!;
        if (first.end < this.#nextDue) this.#nextDue = first.end;
      }
    }
    if (late) this.#lateTrades++;
  }

  /** The open bar of `state` starting at `start` in interval `index`, opened if needed. */
  #openBar(state: SymbolBars, index: number, start: number): OpenBar {
    const bars = state.open[index]!;
    let at = bars.length;
    // Trades mostly arrive in time order: search from the newest bar backwards.
    while (at > 0 && bars[at - 1]!.start >= start) {
      if (bars[at - 1]!.start === start) return bars[at - 1]!;
      at--;
    }
    const duration = this.#durations[index]!;
    const bar = new OpenBar(state.symbol, this.intervals[index]!, start, start + duration);
    if (state.carriedCount[index]! > 0) {
      bar.addCarried(state.carriedVolume[index]!, state.carriedCount[index]!);
      state.carriedVolume[index] = 0;
      state.carriedCount[index] = 0;
    }
    bars.splice(at, 0, bar);
    this.#openBars++;
    // The first bar's end, not the new one's: a priced bar may stop waiting for an unpriced one.
    if (bars[0]!.end < this.#nextDue) this.#nextDue = bars[0]!.end;
    return bar;
  }

  /**
   * Publishes the bars with `end ≤ threshold`, in start order. Unpriced bars are never published:
   * one right after a priced bar goes into it (which waits while such a bar is not yet due); one
   * whose priced bar is already gone goes into the next bar, or is carried until one opens.
   */
  #closeDue(state: SymbolBars, threshold: number, nowMs: number, out: Bar[]): void {
    for (let index = 0; index < state.open.length; index++) {
      const bars = state.open[index]!;
      while (bars.length > 0 && bars[0]!.end <= threshold) {
        const bar = bars[0]!;
        if (!bar.priced) {
          this.#changed.add(state.symbol);
          bars.shift();
          this.#openBars--;
          this.#unpriced++;
          const next = bars[0];
          if (next) next.addCarried(bar.volume, bar.count);
          else {
            state.carriedVolume[index]! += bar.volume;
            state.carriedCount[index]! += bar.count;
          }
          continue;
        }
        let waits = false;
        while (bars.length > 1 && !bars[1]!.priced) {
          const unpriced = bars[1]!;
          if (unpriced.end > threshold) {
            waits = true;
            break;
          }
          this.#changed.add(state.symbol);
          bar.addCarried(unpriced.volume, unpriced.count);
          bars.splice(1, 1);
          this.#openBars--;
          this.#unpriced++;
        }
        if (waits) break;
        this.#changed.add(state.symbol);
        bars.shift();
        this.#openBars--;
        out.push(bar.toBar(nowMs));
        this.#closedBars++;
      }
    }
  }
}

/** When the first of these bars can next be published: a priced bar waits for an unpriced one after it. */
function dueAt(bars: readonly OpenBar[]): number {
  const first = bars[0];
  if (!first) return Number.POSITIVE_INFINITY;
  const next = bars[1];
  return first.priced && next && !next.priced ? next.end : first.end;
}

function isUsable(trade: Trade): boolean {
  return Number.isFinite(trade.price) && trade.price > 0 && Number.isFinite(trade.size) && trade.size >= 0 && Number.isFinite(trade.tsEvent);
}

/** Deterministic order: by end, then shorter interval first, then symbol. */
function sortBars(bars: Bar[]): Bar[] {
  if (bars.length > 1) {
    bars.sort((a, b) => a.end - b.end || BAR_INTERVALS[a.interval] - BAR_INTERVALS[b.interval] || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }
  return bars;
}
