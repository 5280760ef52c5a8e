import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { BAR_INTERVALS, type Bar, type BarInterval } from '../../model/bar.ts';
import type { Trade } from '../../model/trade.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { everyTradeCounts, type EligibilityRule } from '../../model/trade-eligibility.ts';
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
  /** Periods that saw only volume-only trades: no price to publish, so no bar (their volume is dropped). */
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
}

interface SymbolBars {
  readonly symbol: string;
  /** Newest event time seen for the symbol. */
  maxEvent: number;
  /** Per configured interval, the open bars sorted by start (more than one only with lateness). */
  readonly open: OpenBar[][];
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
      state = { symbol: trade.symbol, maxEvent: Number.NEGATIVE_INFINITY, open: this.intervals.map(() => []) };
      this.#symbols.set(trade.symbol, state);
    }
    const eligibility = this.#eligibility(trade);
    if (eligibility === 'none') this.#excluded++;
    else this.#collect(trade, state, eligibility === 'full');
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
      for (const bars of state.open) if (bars.length > 0 && bars[0]!.end < this.#nextDue) this.#nextDue = bars[0]!.end;
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
    return { maxEvent: state.maxEvent, open: state.open.flatMap((bars) => bars.map((bar) => bar.snapshot())) };
  }

  /** Replaces the symbol's bars with saved ones (after a restart); bars of intervals not configured are dropped. */
  restoreSymbol(symbol: string, saved: SymbolBarsState): void {
    const previous = this.#symbols.get(symbol);
    if (previous) for (const bars of previous.open) this.#openBars -= bars.length;
    const open: OpenBar[][] = this.intervals.map(() => []);
    for (const snapshot of saved.open) {
      const index = this.intervals.indexOf(snapshot.interval);
      if (index < 0) continue;
      open[index]!.push(OpenBar.restore(symbol, snapshot));
      this.#openBars++;
    }
    for (const bars of open) bars.sort((a, b) => a.start - b.start);
    this.#symbols.set(symbol, { symbol, maxEvent: saved.maxEvent, open });
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

  #collect(trade: Trade, state: SymbolBars, setsPrice: boolean): void {
    const closedThrough = Math.max(this.#watermark, state.maxEvent - this.lateness);
    let late = false;
    for (let index = 0; index < this.#durations.length; index++) {
      const duration = this.#durations[index]!;
      const start = Math.floor(trade.tsEvent / duration) * duration;
      if (start + duration <= closedThrough) {
        this.#lateByInterval[index]!++;
        late = true;
        continue;
      }
      const bar = this.#openBar(state, index, start);
      if (setsPrice) bar.addPriced(trade.price, trade.size);
      else bar.addVolume(trade.size);
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
    bars.splice(at, 0, bar);
    this.#openBars++;
    if (bar.end < this.#nextDue) this.#nextDue = bar.end;
    return bar;
  }

  #closeDue(state: SymbolBars, threshold: number, nowMs: number, out: Bar[]): void {
    for (const bars of state.open) {
      while (bars.length > 0 && bars[0]!.end <= threshold) {
        const bar = bars.shift()!;
        this.#changed.add(state.symbol);
        this.#openBars--;
        if (bar.priced) {
          out.push(bar.toBar(nowMs));
          this.#closedBars++;
        } else this.#unpriced++;
      }
    }
  }
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
