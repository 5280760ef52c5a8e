import type { BusRecord } from '../../bus/bus.ts';
import type { Bar } from '../../model/bar.ts';
import type { WindowMetrics } from '../../model/metrics.ts';
import type { Quote } from '../../model/quote.ts';
import type { QuoteBar } from '../../model/quote-bar.ts';
import type { TradingSignal } from '../../model/signal.ts';
import type { Trade } from '../../model/trade.ts';
import { validateMarketRecord } from '../../model/market-record.ts';
import { checkBar, checkSignal, checkTrade, checkWindowMetrics } from '../../store/record-checks.ts';
import { checkQuote, checkQuoteBar } from '../../store/quote-checks.ts';

export interface SortedRecords {
  readonly trades: Trade[];
  readonly bars: Bar[];
  readonly metrics: WindowMetrics[];
  readonly signals: TradingSignal[];
  readonly quotes: Quote[];
  readonly quoteBars: QuoteBar[];
  /** Gaps on the raw topic: nothing to store. */
  gaps: number;
  /** Records that cannot be stored, with why. */
  readonly rejects: Array<{ readonly record: BusRecord; readonly reason: string }>;
}

/** The topics the storage reads; `signals` only when it stores signals. */
export interface StorageTopics {
  readonly raw: string;
  readonly metrics: string;
  readonly signals?: string | undefined;
}

/** Sorts bus records by what the store does with them, refusing what it cannot store. */
export function sortForStore(records: readonly BusRecord[], topics: StorageTopics): SortedRecords {
  const sorted: SortedRecords = { trades: [], bars: [], metrics: [], signals: [], quotes: [], quoteBars: [], gaps: 0, rejects: [] };
  const reject = (record: BusRecord, reason: string) => sorted.rejects.push({ record, reason });
  for (const record of records) {
    const { value } = record;
    if (record.topic === topics.raw) {
      const market = validateMarketRecord(value);
      if (typeof market === 'string') reject(record, market);
      else if (market.type === 'gap') sorted.gaps++;
      else if (market.type === 'quote') {
        const quote = checkQuote(market);
        if (typeof quote === 'string') reject(record, quote);
        else sorted.quotes.push(quote);
      } else {
        const trade = checkTrade(market);
        if (typeof trade === 'string') reject(record, trade);
        else sorted.trades.push(trade);
      }
    } else if (record.topic === topics.metrics) {
      const type = (value as { type?: unknown } | null)?.type;
      if (type === 'bar') {
        const bar = checkBar(value);
        if (typeof bar === 'string') reject(record, bar);
        else sorted.bars.push(bar);
      } else if (type === 'quote-bar') {
        const quoteBar = checkQuoteBar(value);
        if (typeof quoteBar === 'string') reject(record, quoteBar);
        else sorted.quoteBars.push(quoteBar);
      } else if (type === 'window-metrics') {
        const metrics = checkWindowMetrics(value);
        if (typeof metrics === 'string') reject(record, metrics);
        else sorted.metrics.push(metrics);
      } else reject(record, `unknown record type ${JSON.stringify(type)}`);
    } else if (topics.signals !== undefined && record.topic === topics.signals) {
      const signal = checkSignal(value);
      if (typeof signal === 'string') reject(record, signal);
      else sorted.signals.push(signal);
    } else reject(record, `not a topic the storage reads (${record.topic})`);
  }
  return sorted;
}
