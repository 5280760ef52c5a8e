import type { Bar } from '../../model/bar.ts';
import type { QuoteBar } from '../../model/quote-bar.ts';
import type { Quote } from '../../model/quote.ts';
import type { Trade } from '../../model/trade.ts';

/** What a backtest feeds a strategy: recorded trades, quotes, trade bars and quote bars. */
export type MarketEvent = Trade | Quote | Bar | QuoteBar;

/**
 * One input file's lines turned into events. `parse` returns the event on line `lineNumber`
 * (1-based), why the line is unusable, or `null` for a line the backtest does not want (outside the
 * days or symbols asked for, or a record that is no market event).
 */
export interface EventLines {
  lines(): AsyncIterable<string>;
  parse(line: string, lineNumber: number): MarketEvent | string | null;
  /** Bytes read so far, out of `totalBytes` (uncompressed bytes for a zip). */
  bytesRead(): number;
  readonly totalBytes: number;
  /** Idempotent. */
  close(): Promise<void>;
}
