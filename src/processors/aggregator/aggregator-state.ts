import { z } from 'zod';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { BAR_INTERVALS, type BarInterval } from '../../model/bar.ts';
import type { SymbolBarsState } from '../bars/bar-builder.ts';
import type { SymbolQuoteBarsState } from '../bars/quote-bar-builder.ts';
import type { SymbolWindowState } from './window-aggregator.ts';

/**
 * The aggregator's state as it is saved on the compacted state topic, one record per key within a
 * partition of the input: a record per symbol (key: the symbol) and one for the partition's clocks
 * (key CLOCK_KEY). Every number is saved as is (JSON keeps doubles exactly), so a restored aggregator
 * continues bit for bit where the saved one was: the same metrics and bars as without a restart.
 *
 * Version 2 added the quote bars (`quoteBars`); a version 1 symbol record is read as one without quote
 * bars, so an aggregator upgraded in place continues from its saved state.
 */
export const AGGREGATOR_STATE_VERSION = 2;

/** Key of the partition's clock record; symbols are never this. */
export const CLOCK_KEY = '__clock__';

export interface AggregatorSymbolState {
  readonly symbol: string;
  /** `null` when the symbol only ever had a gap or unusable trades. */
  readonly window: SymbolWindowState | null;
  readonly bars: SymbolBarsState | null;
  /** `null` when the symbol never had a quote. */
  readonly quoteBars: SymbolQuoteBarsState | null;
}

export interface AggregatorClockState {
  /** Highest event time seen; `null` before the first trade. */
  readonly eventTime: number | null;
  /** Bars ending at or before this are closed for every symbol; `null` for none yet. */
  readonly watermark: number | null;
}

export type SavedAggregatorState = { readonly kind: 'symbol'; readonly state: AggregatorSymbolState } | { readonly kind: 'clock'; readonly state: AggregatorClockState };

const sum = z.tuple([z.number(), z.number()]);

const windowSchema = z.strictObject({
  window: z
    .strictObject({
      prices: z.array(z.number()),
      sizes: z.array(z.number()),
      times: z.array(z.number()),
      lastRecv: z.number(),
      sums: z.tuple([sum, sum, sum]),
    })
    .refine((window) => window.prices.length === window.sizes.length && window.prices.length === window.times.length, 'prices, sizes and times differ in length'),
  sincePublish: z.number().int().min(0),
});

const INTERVAL_NAMES = Object.keys(BAR_INTERVALS) as [BarInterval, ...BarInterval[]];

const openBarSchema = z.strictObject({
  interval: z.enum(INTERVAL_NAMES),
  start: z.number(),
  end: z.number(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  priced: z.boolean(),
  volume: z.number(),
  count: z.number().int().min(0),
  notional: z.number(),
  pricedVolume: z.number(),
  // Absent in states saved before auction prints existed: such bars had none.
  auctionOpen: z.boolean().default(false),
  auctionClose: z.boolean().default(false),
});

const carriedSchema = z.strictObject({
  interval: z.enum(INTERVAL_NAMES),
  volume: z.number(),
  count: z.number().int().min(0),
});

const sideSchema = z.strictObject({ open: z.number(), high: z.number(), low: z.number(), close: z.number() });

const openQuoteBarSchema = z.strictObject({
  interval: z.enum(INTERVAL_NAMES),
  start: z.number(),
  end: z.number(),
  bid: sideSchema,
  ask: sideSchema,
  lastBidSize: z.number().nullable(),
  lastAskSize: z.number().nullable(),
  count: z.number().int().min(1),
});

// −∞ (nothing yet) does not survive JSON: it is saved as null.
const maxEventSchema = z.number().nullable().transform((value) => value ?? Number.NEGATIVE_INFINITY);

const symbolFields = {
  kind: z.literal('symbol'),
  symbol: z.string().min(1),
  window: windowSchema.nullable(),
  bars: z
    .strictObject({
      maxEvent: maxEventSchema,
      open: z.array(openBarSchema),
      // Absent in states saved before volume was carried between bars.
      carried: z.array(carriedSchema).default([]),
    })
    .nullable(),
};

const symbolSchema = z.union([
  z.strictObject({ v: z.literal(AGGREGATOR_STATE_VERSION), ...symbolFields, quoteBars: z.strictObject({ maxEvent: maxEventSchema, open: z.array(openQuoteBarSchema) }).nullable() }),
  z.strictObject({ v: z.literal(1), ...symbolFields }).transform((state) => ({ ...state, quoteBars: null })),
]);

const clockSchema = z.strictObject({
  v: z.union([z.literal(AGGREGATOR_STATE_VERSION), z.literal(1)]),
  kind: z.literal('clock'),
  eventTime: z.number().nullable(),
  watermark: z.number().nullable(),
});

/** The value saved under the symbol's key. */
export function encodeSymbolState(state: AggregatorSymbolState): unknown {
  const bars = state.bars && { maxEvent: finiteOrNull(state.bars.maxEvent), open: state.bars.open, carried: state.bars.carried };
  const quoteBars = state.quoteBars && { maxEvent: finiteOrNull(state.quoteBars.maxEvent), open: state.quoteBars.open };
  return { v: AGGREGATOR_STATE_VERSION, kind: 'symbol', symbol: state.symbol, window: state.window, bars, quoteBars };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** The value saved under CLOCK_KEY. */
export function encodeClockState(state: AggregatorClockState): unknown {
  return { v: AGGREGATOR_STATE_VERSION, kind: 'clock', eventTime: state.eventTime, watermark: state.watermark };
}

/**
 * Reads a saved value back; throws when it is not one this version wrote. A state that cannot be read
 * cannot be continued exactly, so it stops the aggregator instead of being skipped.
 */
export function decodeAggregatorState(key: string, value: unknown): SavedAggregatorState {
  const schema = key === CLOCK_KEY ? clockSchema : symbolSchema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new TickflowError(ERROR_CODES.STATE_UNREADABLE, `unreadable aggregator state under key "${key}": ${z.prettifyError(parsed.error)}`);
  }
  const data = parsed.data;
  if (data.kind === 'clock') return { kind: 'clock', state: { eventTime: data.eventTime, watermark: data.watermark } };
  if (data.symbol !== key) throw new TickflowError(ERROR_CODES.STATE_UNREADABLE, `aggregator state under key "${key}" is for symbol "${data.symbol}"`);
  return { kind: 'symbol', state: { symbol: data.symbol, window: data.window, bars: data.bars, quoteBars: data.quoteBars } };
}
