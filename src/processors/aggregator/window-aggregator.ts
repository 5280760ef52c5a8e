import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import type { Gap } from '../../model/gap.ts';
import type { WindowMetrics } from '../../model/metrics.ts';
import type { Trade } from '../../model/trade.ts';
import { SymbolWindow, type SymbolWindowSnapshot } from './symbol-window.ts';

/** One symbol's part of the aggregator, as data (see `symbolState`). */
export interface SymbolWindowState {
  readonly window: SymbolWindowSnapshot;
  /** Trades since the last publication (or gap). */
  readonly sincePublish: number;
}

export const WINDOW_AGGREGATOR_DEFAULTS = { window: 20, publishEvery: 10 } as const;

const optionsSchema = z.strictObject({
  /** Trades per symbol the metrics cover. */
  window: z.number().int().min(1).max(1_000_000).default(WINDOW_AGGREGATOR_DEFAULTS.window),
  /** Publish after every this many trades of a symbol (counted per symbol). */
  publishEvery: z.number().int().min(1).max(1_000_000).default(WINDOW_AGGREGATOR_DEFAULTS.publishEvery),
});

export type WindowAggregatorOptions = z.input<typeof optionsSchema>;

export interface WindowAggregatorStats {
  readonly symbols: number;
  readonly trades: number;
  readonly published: number;
  /** Trades refused: price not a positive number, size negative or not a number, time not a number. */
  readonly rejected: number;
  /** Windows emptied by a gap. */
  readonly resets: number;
}

/**
 * Rolling statistics over the last `window` trades of each symbol (arrival order), published every
 * `publishEvery` trades of that symbol. Pure: no bus, no clock; the caller publishes what `add` returns.
 *
 * Gaps: a gap empties that symbol's window and restarts its publication count. Trades may be missing
 * across a gap, so a window spanning one would present prices from before and after a hole as if
 * they were consecutive (a VWAP "over the last 20 trades" that silently is not). After a gap the
 * metrics cover only trades since it; their `count` shows the window refilling.
 */
export class WindowAggregator {
  readonly window: number;
  readonly publishEvery: number;
  readonly #windows = new Map<string, SymbolWindow>();
  /** Trades per symbol since the last publication (or gap). */
  readonly #sincePublish = new Map<string, number>();
  #trades = 0;
  #published = 0;
  #rejected = 0;
  #resets = 0;

  constructor(options: WindowAggregatorOptions = {}) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw new ConfigError(`invalid window aggregator options: ${z.prettifyError(parsed.error)}`);
    this.window = parsed.data.window;
    this.publishEvery = parsed.data.publishEvery;
  }

  /** Adds a trade; returns the symbol's metrics when this trade completes a publication period. */
  add(trade: Trade): WindowMetrics | null {
    if (!isUsable(trade)) {
      this.#rejected++;
      return null;
    }
    this.#trades++;
    let window = this.#windows.get(trade.symbol);
    if (!window) {
      window = new SymbolWindow(trade.symbol, this.window);
      this.#windows.set(trade.symbol, window);
    }
    window.add(trade);
    const since = (this.#sincePublish.get(trade.symbol) ?? 0) + 1;
    if (since < this.publishEvery) {
      this.#sincePublish.set(trade.symbol, since);
      return null;
    }
    this.#sincePublish.set(trade.symbol, 0);
    this.#published++;
    return window.metrics();
  }

  /** Empties the gap's symbol window and restarts its publication count (see the class comment). */
  gap(gap: Gap): void {
    const window = this.#windows.get(gap.symbol);
    if (!window) return;
    if (window.count > 0) this.#resets++;
    window.clear();
    this.#sincePublish.set(gap.symbol, 0);
  }

  /** What `restoreSymbol` needs to continue the symbol exactly where it is; `null` for a symbol never seen. */
  symbolState(symbol: string): SymbolWindowState | null {
    const window = this.#windows.get(symbol);
    if (!window) return null;
    return { window: window.snapshot(), sincePublish: this.#sincePublish.get(symbol) ?? 0 };
  }

  /**
   * Replaces the symbol's window and publication count with saved ones (after a restart). A window
   * saved with another length keeps its newest trades; a count beyond `publishEvery` publishes on the
   * next trade.
   */
  restoreSymbol(symbol: string, state: SymbolWindowState): void {
    this.#windows.set(symbol, SymbolWindow.restore(symbol, this.window, state.window));
    this.#sincePublish.set(symbol, Math.min(state.sincePublish, this.publishEvery - 1));
  }

  /** The symbol's current metrics regardless of the publication count; `null` before its first trade. */
  snapshot(symbol: string): WindowMetrics | null {
    return this.#windows.get(symbol)?.metrics() ?? null;
  }

  stats(): WindowAggregatorStats {
    return { symbols: this.#windows.size, trades: this.#trades, published: this.#published, rejected: this.#rejected, resets: this.#resets };
  }
}

function isUsable(trade: Trade): boolean {
  return Number.isFinite(trade.price) && trade.price > 0 && Number.isFinite(trade.size) && trade.size >= 0 && Number.isFinite(trade.tsEvent);
}
