import type { QuoteBar, SideOhlc } from '../../../model/quote-bar.ts';
import type { ReferenceQuoteBar } from './reference-quote-bars.ts';

export type ComparedQuoteBar = Pick<QuoteBar, 'start' | 'bid' | 'ask' | 'lastBidSize' | 'lastAskSize'>;

export interface QuoteBarMismatch {
  readonly start: number;
  readonly built: ComparedQuoteBar | null;
  readonly reference: ReferenceQuoteBar;
  /** Fields that differ, `bid.open` …, `lastBidSize` (`missing` when we built no bar for that start). */
  readonly fields: readonly string[];
}

export interface QuoteBarComparison {
  readonly reference: number;
  readonly built: number;
  /** Reference bars whose bid OHLC and ask OHLC all match ours. */
  readonly exact: number;
  /** … whose bid OHLC matches. */
  readonly bid: number;
  /** … whose ask OHLC matches. */
  readonly ask: number;
  /** … whose last bid and ask sizes match (our `null`, no size seen, is Lean's 0). */
  readonly sizes: number;
  readonly missing: number;
  readonly extra: number;
  /** The first few mismatches in time order. */
  readonly samples: readonly QuoteBarMismatch[];
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/**
 * Compares our quote bars of one symbol and interval with reference bars of the same, by start.
 * `priceTolerance`: largest absolute difference still equal (Lean writes forex prices with five
 * decimals, so 1e-9 absorbs only the parse).
 */
export function compareQuoteBars(built: readonly ComparedQuoteBar[], reference: readonly ReferenceQuoteBar[], options: { priceTolerance?: number; samples?: number } = {}): QuoteBarComparison {
  const tolerance = options.priceTolerance ?? 0;
  const sampleLimit = options.samples ?? 10;
  const byStart = new Map<number, ComparedQuoteBar>();
  for (const bar of built) byStart.set(bar.start, bar);
  const counts = { exact: 0, bid: 0, ask: 0, sizes: 0, missing: 0 };
  const samples: QuoteBarMismatch[] = [];
  const sideDiffers = (side: 'bid' | 'ask', ours: SideOhlc, theirs: SideOhlc): string[] =>
    PRICE_FIELDS.filter((field) => Math.abs(ours[field] - theirs[field]) > tolerance).map((field) => `${side}.${field}`);
  for (const expected of [...reference].sort((a, b) => a.start - b.start)) {
    const bar = byStart.get(expected.start);
    if (!bar) {
      counts.missing++;
      if (samples.length < sampleLimit) samples.push({ start: expected.start, built: null, reference: expected, fields: ['missing'] });
      continue;
    }
    const bid = sideDiffers('bid', bar.bid, expected.bid);
    const ask = sideDiffers('ask', bar.ask, expected.ask);
    const sizes = [...((bar.lastBidSize ?? 0) === expected.lastBidSize ? [] : ['lastBidSize']), ...((bar.lastAskSize ?? 0) === expected.lastAskSize ? [] : ['lastAskSize'])];
    if (bid.length === 0) counts.bid++;
    if (ask.length === 0) counts.ask++;
    if (sizes.length === 0) counts.sizes++;
    if (bid.length + ask.length === 0) counts.exact++;
    if (bid.length + ask.length + sizes.length > 0 && samples.length < sampleLimit) samples.push({ start: expected.start, built: bar, reference: expected, fields: [...bid, ...ask, ...sizes] });
  }
  const referenceStarts = new Set(reference.map((bar) => bar.start));
  const extra = [...byStart.keys()].filter((start) => !referenceStarts.has(start)).length;
  return { reference: reference.length, built: byStart.size, ...counts, extra, samples };
}
