import type { Bar } from '../../model/bar.ts';
import type { MarketRecord } from '../../model/market-record.ts';
import type { WindowMetrics } from '../../model/metrics.ts';
import type { QuoteBar } from '../../model/quote-bar.ts';
import { BarBuilder } from '../bars/bar-builder.ts';
import { QuoteBarBuilder } from '../bars/quote-bar-builder.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';
import type { AggregatorClockState, AggregatorSymbolState } from './aggregator-state.ts';
import { WindowAggregator } from './window-aggregator.ts';

export interface AggregatorCoreOptions {
  readonly windowSize: number;
  readonly publishEvery: number;
  readonly barLatenessMs: number;
  /** Which trades set bar prices; default all of them. */
  readonly eligibility?: EligibilityRule;
}

/** A bar the aggregator closed: a trade bar or a quote bar. */
export type ClosedBar = Bar | QuoteBar;

export type AggregatorOutput = WindowMetrics | ClosedBar;

/**
 * Rolling windows and time bars over trades, quote bars over quotes: pure (no bus, no clock), so the
 * same core runs embedded, where its outputs are published plainly, and on Kafka, where they are
 * published in a transaction together with the state that produced them (`symbolState`,
 * `clockState`, and `restore*` after a restart).
 */
export class AggregatorCore {
  readonly #windows: WindowAggregator;
  readonly #bars: BarBuilder;
  readonly #quoteBars: QuoteBarBuilder;
  /** Highest event time of any trade or quote added. */
  #eventTime = Number.NEGATIVE_INFINITY;
  /** Symbols whose window changed since `takeChangedSymbols` (the bar builder tracks its own). */
  readonly #changedWindows = new Set<string>();

  constructor(options: AggregatorCoreOptions) {
    this.#windows = new WindowAggregator({ window: options.windowSize, publishEvery: options.publishEvery });
    this.#bars = new BarBuilder({ lateness: options.barLatenessMs, ...(options.eligibility ? { eligibility: options.eligibility } : {}) });
    this.#quoteBars = new QuoteBarBuilder({ lateness: options.barLatenessMs });
  }

  /** Highest event time seen (−∞ before the first trade or quote). */
  get eventTime(): number {
    return this.#eventTime;
  }

  /**
   * Adds a trade or a quote (or applies a gap); returns the symbol's metrics when due and the bars its
   * event time closed, each closed bar with `tsRecv = nowMs`. Quotes make quote bars only: the window
   * metrics are over trades.
   */
  add(record: MarketRecord, nowMs: number): AggregatorOutput[] {
    if (record.type === 'quote') {
      if (record.tsEvent > this.#eventTime) this.#eventTime = record.tsEvent;
      return this.#quoteBars.add(record, nowMs);
    }
    this.#changedWindows.add(record.symbol);
    if (record.type === 'gap') {
      this.#windows.gap(record);
      return [];
    }
    if (record.tsEvent > this.#eventTime) this.#eventTime = record.tsEvent;
    const out: AggregatorOutput[] = [];
    const metrics = this.#windows.add(record);
    if (metrics) out.push(metrics);
    out.push(...this.#bars.add(record, nowMs));
    return out;
  }

  /** Closes every symbol's bars (trade and quote) that ended by `timeMs` less the lateness. */
  advanceTo(timeMs: number, nowMs: number): ClosedBar[] {
    return [...this.#bars.advanceTo(timeMs, nowMs), ...this.#quoteBars.advanceTo(timeMs, nowMs)];
  }

  /** End of stream: closes every open bar. */
  flush(nowMs: number): ClosedBar[] {
    return [...this.#bars.flush(nowMs), ...this.#quoteBars.flush(nowMs)];
  }

  /** The symbols whose state changed since the last call, then forgets them. */
  takeChangedSymbols(): string[] {
    const changed = new Set(this.#changedWindows);
    for (const symbol of this.#bars.takeChangedSymbols()) changed.add(symbol);
    for (const symbol of this.#quoteBars.takeChangedSymbols()) changed.add(symbol);
    this.#changedWindows.clear();
    return [...changed];
  }

  /** The symbol's window, bars and quote bars as data; `null` for a symbol never seen. */
  symbolState(symbol: string): AggregatorSymbolState | null {
    const window = this.#windows.symbolState(symbol);
    const bars = this.#bars.symbolState(symbol);
    const quoteBars = this.#quoteBars.symbolState(symbol);
    if (!window && !bars && !quoteBars) return null;
    return { symbol, window, bars, quoteBars };
  }

  restoreSymbol(state: AggregatorSymbolState): void {
    if (state.window) this.#windows.restoreSymbol(state.symbol, state.window);
    if (state.bars) this.#bars.restoreSymbol(state.symbol, state.bars);
    if (state.quoteBars) this.#quoteBars.restoreSymbol(state.symbol, state.quoteBars);
  }

  /**
   * The clocks that are not per symbol: event time seen and the bar watermark (`null` for −∞). Both
   * builders are advanced by the same calls with the same lateness, so they share one watermark (only
   * `flush`, at the end of a stream, can move one past the other).
   */
  clockState(): AggregatorClockState {
    return { eventTime: finiteOrNull(this.#eventTime), watermark: finiteOrNull(Math.max(this.#bars.watermark, this.#quoteBars.watermark)) };
  }

  restoreClock(state: AggregatorClockState): void {
    if (state.eventTime !== null && state.eventTime > this.#eventTime) this.#eventTime = state.eventTime;
    if (state.watermark !== null) {
      this.#bars.restoreWatermark(state.watermark);
      this.#quoteBars.restoreWatermark(state.watermark);
    }
  }

  stats(): { readonly metrics: number; readonly symbols: number; readonly lateTrades: number; readonly lateQuotes: number } {
    const windows = this.#windows.stats();
    return { metrics: windows.published, symbols: windows.symbols, lateTrades: this.#bars.lateTrades, lateQuotes: this.#quoteBars.lateQuotes };
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
