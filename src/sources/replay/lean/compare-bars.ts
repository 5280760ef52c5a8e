import type { Bar } from '../../../model/bar.ts';

/** A bar from another system (Lean's reference files) to check ours against. */
export interface ReferenceBar {
  /** Unix ms. */
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export type ComparedBar = Pick<Bar, 'start' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

export interface BarMismatch {
  readonly start: number;
  readonly built: ComparedBar | null;
  readonly reference: ReferenceBar;
  /** Fields that differ (`missing` when we built no bar for that start). */
  readonly fields: readonly string[];
}

export interface BarComparison {
  readonly reference: number;
  readonly built: number;
  /** Reference bars whose open, high, low, close and volume all match ours. */
  readonly exact: number;
  /** … whose open, high, low and close match. */
  readonly ohlc: number;
  /** … whose volume matches. */
  readonly volume: number;
  /** Reference bars we built no bar for. */
  readonly missing: number;
  /** Bars we built that the reference lacks. */
  readonly extra: number;
  /** The first few mismatches in time order, to see what differs. */
  readonly samples: readonly BarMismatch[];
}

export interface CompareOptions {
  /** Largest absolute price difference still equal (0: exact). */
  readonly priceTolerance?: number;
  readonly samples?: number;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/** Compares our bars of one symbol and interval with reference bars of the same, by start. */
export function compareBars(built: readonly ComparedBar[], reference: readonly ReferenceBar[], options: CompareOptions = {}): BarComparison {
  const tolerance = options.priceTolerance ?? 0;
  const sampleLimit = options.samples ?? 10;
  const byStart = new Map<number, ComparedBar>();
  for (const bar of built) byStart.set(bar.start, bar);
  let exact = 0;
  let ohlc = 0;
  let volume = 0;
  let missing = 0;
  const samples: BarMismatch[] = [];
  for (const expected of [...reference].sort((a, b) => a.start - b.start)) {
    const bar = byStart.get(expected.start);
    if (!bar) {
      missing++;
      if (samples.length < sampleLimit) samples.push({ start: expected.start, built: null, reference: expected, fields: ['missing'] });
      continue;
    }
    const fields: string[] = PRICE_FIELDS.filter((field) => Math.abs(bar[field] - expected[field]) > tolerance);
    const pricesMatch = fields.length === 0;
    const volumeMatches = bar.volume === expected.volume;
    if (!volumeMatches) fields.push('volume');
    if (pricesMatch) ohlc++;
    if (volumeMatches) volume++;
    if (pricesMatch && volumeMatches) exact++;
    else if (samples.length < sampleLimit) samples.push({ start: expected.start, built: bar, reference: expected, fields });
  }
  const referenceStarts = new Set(reference.map((bar) => bar.start));
  const extra = [...byStart.keys()].filter((start) => !referenceStarts.has(start)).length;
  return { reference: reference.length, built: byStart.size, exact, ohlc, volume, missing, extra, samples };
}
