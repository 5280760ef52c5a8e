import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { BAR_INTERVALS, type BarInterval } from '../../model/bar.ts';
import type { Quote } from '../../model/quote.ts';
import type { QuoteBar } from '../../model/quote-bar.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { BAR_BUILDER_DEFAULTS } from './bar-builder.ts';
import { OpenQuoteBar, type OpenQuoteBarSnapshot } from './open-quote-bar.ts';
import { TimeBuckets } from './time-buckets.ts';

const INTERVAL_NAMES = Object.keys(BAR_INTERVALS) as [BarInterval, ...BarInterval[]];

const optionsSchema = z.strictObject({
  intervals: z.array(z.enum(INTERVAL_NAMES)).min(1).readonly().default(BAR_BUILDER_DEFAULTS.intervals),
  /** How far (ms) a quote's event time may trail the newest one before its bar is closed without it. */
  lateness: z.number().min(0).max(86_400_000).default(BAR_BUILDER_DEFAULTS.lateness),
  /** Supplies the close time (`tsRecv`) when `add` or `flush` is not given one. */
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function', 'must be a Clock').optional(),
});

export type QuoteBarBuilderOptions = z.input<typeof optionsSchema>;

export interface QuoteBarBuilderStats {
  readonly quotes: number;
  /** Quotes that arrived after a bar they belong to was closed (in at least one interval). */
  readonly lateQuotes: number;
  readonly lateByInterval: Readonly<Partial<Record<BarInterval, number>>>;
  /** Quotes refused: a side not a positive number, a time not a number. */
  readonly rejected: number;
  readonly openBars: number;
  readonly closedBars: number;
}

/** One symbol's quote bars as data (see `symbolState`). */
export interface SymbolQuoteBarsState {
  /** Newest event time seen for the symbol. */
  readonly maxEvent: number;
  /** Its open bars, every interval, each interval's sorted by start. */
  readonly open: readonly OpenQuoteBarSnapshot[];
}

/**
 * Quote bars (bid OHLC and ask OHLC, `OpenQuoteBar`) per symbol over `[start, end)`, on the same time
 * rules as the trade bars of BarBuilder (`TimeBuckets`): closed on the clock (`advanceTo`) or on the
 * symbol's own event time, by the same lateness, late quotes counted and left out, no bar for a period
 * without quotes, gaps not touching bars. Output is a function of the calls alone.
 */
export class QuoteBarBuilder {
  readonly intervals: readonly BarInterval[];
  readonly lateness: number;
  readonly #buckets: TimeBuckets<OpenQuoteBar>;
  readonly #clock: Clock;
  #quotes = 0;
  #rejected = 0;
  #closedBars = 0;

  constructor(options: QuoteBarBuilderOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw new ConfigError(`invalid quote bar builder options: ${z.prettifyError(parsed.error)}`);
    this.#buckets = new TimeBuckets({
      intervals: parsed.data.intervals,
      lateness: parsed.data.lateness,
      open: (symbol, interval, start, end) => new OpenQuoteBar(symbol, interval, start, end),
    });
    this.intervals = this.#buckets.intervals;
    this.lateness = this.#buckets.lateness;
    this.#clock = parsed.data.clock ?? systemClock;
  }

  get lateQuotes(): number {
    return this.#buckets.lateEvents;
  }

  /** Every period ending at or before this is closed for every symbol; −∞ before the first `advanceTo`. */
  get watermark(): number {
    return this.#buckets.watermark;
  }

  /** Adds a quote; returns the symbol's bars its event time finished (closed at `nowMs`). */
  add(quote: Quote, nowMs: number = this.#clock.now()): QuoteBar[] {
    if (!isUsable(quote)) {
      this.#rejected++;
      return [];
    }
    this.#quotes++;
    return this.#finish(this.#buckets.add(quote.symbol, quote.tsEvent, (bar) => bar.add(quote)), nowMs);
  }

  /** Closes, for every symbol, each open bar with `end ≤ timeMs − lateness`; `nowMs` becomes their `tsRecv`. */
  advanceTo(timeMs: number, nowMs: number = timeMs): QuoteBar[] {
    return this.#finish(this.#buckets.advanceTo(timeMs), nowMs);
  }

  /** End of stream: closes every open bar. Quotes for those periods arriving later count as late. */
  flush(nowMs: number = this.#clock.now()): QuoteBar[] {
    return this.#finish(this.#buckets.flush(), nowMs);
  }

  /** Sets the watermark saved before a restart (never moves it back). */
  restoreWatermark(watermark: number): void {
    this.#buckets.restoreWatermark(watermark);
  }

  /** What `restoreSymbol` needs to continue the symbol's bars exactly; `null` for a symbol never seen. */
  symbolState(symbol: string): SymbolQuoteBarsState | null {
    const buckets = this.#buckets.symbolBuckets(symbol);
    return buckets && { maxEvent: buckets.maxEvent, open: buckets.open.map((bar) => bar.snapshot()) };
  }

  /** Replaces the symbol's bars with saved ones (after a restart); bars of intervals not configured are dropped. */
  restoreSymbol(symbol: string, saved: SymbolQuoteBarsState): void {
    this.#buckets.restoreSymbol(symbol, { maxEvent: saved.maxEvent, open: saved.open.map((snapshot) => OpenQuoteBar.restore(symbol, snapshot)) });
  }

  /** The symbols whose state changed since the last call (quotes added, bars closed), then forgets them. */
  takeChangedSymbols(): string[] {
    return this.#buckets.takeChangedSymbols();
  }

  stats(): QuoteBarBuilderStats {
    return {
      quotes: this.#quotes,
      lateQuotes: this.#buckets.lateEvents,
      lateByInterval: this.#buckets.lateByInterval,
      rejected: this.#rejected,
      openBars: this.#buckets.openCount,
      closedBars: this.#closedBars,
    };
  }

  #finish(closed: readonly OpenQuoteBar[], nowMs: number): QuoteBar[] {
    this.#closedBars += closed.length;
    return closed.map((bar) => bar.toQuoteBar(nowMs));
  }
}

function isUsable(quote: Quote): boolean {
  return Number.isFinite(quote.bid) && quote.bid > 0 && Number.isFinite(quote.ask) && quote.ask > 0 && Number.isFinite(quote.tsEvent);
}
