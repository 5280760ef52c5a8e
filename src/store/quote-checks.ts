import { validateQuote, type Quote } from '../model/quote.ts';
import { validateQuoteBar, type QuoteBar } from '../model/quote-bar.ts';
import { count, integer, text } from './record-checks.ts';

/**
 * Beyond the model's validators, what the database would refuse (see record-checks.ts): integer
 * times and seq (bigint columns), text without NUL, a count that fits `integer`.
 */
export function checkQuote(value: unknown): Quote | string {
  const quote = validateQuote(value);
  if (typeof quote === 'string') return quote;
  return text('source', quote.source) ?? text('symbol', quote.symbol) ?? integer('seq', quote.seq) ?? integer('tsEvent', quote.tsEvent) ?? integer('tsRecv', quote.tsRecv) ?? quote;
}

export function checkQuoteBar(value: unknown): QuoteBar | string {
  const bar = validateQuoteBar(value);
  if (typeof bar === 'string') return bar;
  return text('symbol', bar.symbol) ?? integer('start', bar.start) ?? integer('tsEvent', bar.tsEvent) ?? integer('tsRecv', bar.tsRecv) ?? count('count', bar.count, 1) ?? bar;
}
