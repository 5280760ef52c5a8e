import type { Quote } from '../model/quote.ts';
import type { QuoteBar } from '../model/quote-bar.ts';
import { BinaryCopyWriter } from './copy-binary.ts';

/** Quotes and quote bars in COPY's binary format (see copy-binary.ts); values checked by quote-checks.ts. */
export const QUOTE_COLUMNS = ['source', 'seq', 'symbol', 'ts_event', 'ts_recv', 'bid', 'ask', 'bid_size', 'ask_size'] as const;
export const QUOTE_BAR_COLUMNS = [
  'symbol',
  'bar_interval',
  'start',
  'bid_open',
  'bid_high',
  'bid_low',
  'bid_close',
  'ask_open',
  'ask_high',
  'ask_low',
  'ask_close',
  'last_bid_size',
  'last_ask_size',
  'quote_count',
  'ts_event',
  'ts_recv',
] as const;

export function quoteCopyRows(quotes: readonly Quote[]): Buffer {
  const out = new BinaryCopyWriter(quotes.length, 110);
  for (const q of quotes) {
    out.row(QUOTE_COLUMNS.length).text(q.source).int8(q.seq).text(q.symbol).int8(q.tsEvent).int8(q.tsRecv).float8(q.bid).float8(q.ask).float8(q.bidSize).float8(q.askSize);
  }
  return out.finish();
}

export function quoteBarCopyRows(bars: readonly QuoteBar[]): Buffer {
  const out = new BinaryCopyWriter(bars.length, 190);
  for (const b of bars) {
    out
      .row(QUOTE_BAR_COLUMNS.length)
      .text(b.symbol)
      .text(b.interval)
      .int8(b.start)
      .float8(b.bid.open)
      .float8(b.bid.high)
      .float8(b.bid.low)
      .float8(b.bid.close)
      .float8(b.ask.open)
      .float8(b.ask.high)
      .float8(b.ask.low)
      .float8(b.ask.close)
      .float8(b.lastBidSize)
      .float8(b.lastAskSize)
      .int4(b.count)
      .int8(b.tsEvent)
      .int8(b.tsRecv);
  }
  return out.finish();
}
