import { z } from 'zod';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { validateAccountConfig, type AccountConfig } from '../../model/account.ts';
import { formatFixed, parseFixed } from '../../model/fixed-point.ts';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, TIMES_IN_FORCE, type OrderStatus } from '../../model/order.ts';
import { Portfolio } from '../portfolio/portfolio.ts';
import { AccountBook, type AccountCounters } from './account-book.ts';
import { Tape } from './tape.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * The engine's state as JSON, for the stateful processor to save (one record per account, one for the
 * market) and to load after a restart: a restored engine continues exactly where the saved one was
 * (amounts are decimal strings, so nothing is rounded on the way).
 */
export const ENGINE_SNAPSHOT_VERSION = 1;

const fixed = z.string().refine((text) => parseFixed(text) !== null, 'not a decimal').transform((text) => parseFixed(text)!);
const fixedOrNull = fixed.nullable();
const time = z.number().finite();

const fillInput = z.strictObject({ ref: z.string().min(1), price: z.number().positive(), size: z.number().min(0), tsEvent: time });

const orderSchema = z.strictObject({
  id: z.string().min(1),
  seq: z.number().int().positive(),
  clientOrderId: z.string().min(1),
  accountId: z.string().min(1),
  symbol: z.string().min(1),
  assetClass: z.string().min(1),
  market: z.string().min(1),
  fractionable: z.boolean(),
  shortable: z.boolean(),
  side: z.enum(ORDER_SIDES),
  orderType: z.enum(ORDER_TYPES),
  timeInForce: z.enum(TIMES_IN_FORCE),
  extendedHours: z.boolean(),
  qty: fixedOrNull,
  notional: fixedOrNull,
  limit: fixedOrNull,
  stop: fixedOrNull,
  trailPrice: fixedOrNull,
  trailPercent: fixedOrNull,
  createdAt: time,
  activatesAt: time,
  expiresAt: time.nullable(),
  replaces: z.string().nullable(),
  updatedAt: time,
  status: z.enum(['pending_new', 'new', 'partially_filled']),
  filledQty: fixed,
  filledValue: fixed,
  commissionPaid: fixed,
  fills: z.number().int().min(0),
  filledAt: time.nullable(),
  match: z.strictObject({
    triggered: z.boolean(),
    hwm: fixedOrNull,
    range: z.strictObject({ low: fixed, high: fixed }).nullable(),
    queueAhead: fixed,
    printedAtLimit: fixed,
    maker: z.boolean(),
  }),
  auction: z.strictObject({ kind: z.enum(['opening', 'closing']), at: time, graceEnd: time, candidate: fillInput.nullable(), fallback: z.boolean() }).nullable(),
  closedAt: z.null(),
  replacedBy: z.null(),
  reason: z.string().nullable(),
});

const accountSchema = z.strictObject({
  v: z.literal(ENGINE_SNAPSHOT_VERSION),
  kind: z.literal('account'),
  config: z.unknown(),
  counters: z.strictObject({ orders: z.number().int().min(0), events: z.number().int().min(0), fills: z.number().int().min(0) }),
  portfolio: z.strictObject({
    cash: fixed,
    realizedPl: fixed,
    feesPaid: fixed,
    positions: z.array(z.strictObject({ symbol: z.string().min(1), qty: fixed, costBasis: fixed, lastFillPrice: fixed })),
    unsettled: z.array(z.strictObject({ amount: fixed, settlesAt: time })),
  }),
  orders: z.array(orderSchema),
  clientIds: z.array(z.tuple([z.string(), z.string()])),
  closed: z.array(z.tuple([z.string(), z.enum(ORDER_STATUSES)])),
});

const marketSchema = z.strictObject({
  v: z.literal(ENGINE_SNAPSHOT_VERSION),
  kind: z.literal('market'),
  now: time.nullable(),
  symbols: z.array(
    z.strictObject({ symbol: z.string().min(1), mark: fixedOrNull, markTs: time.nullable(), recent: z.array(z.tuple([time, fixed, fixed])) }),
  ),
});

const volumeEntries = z.array(z.tuple([time, fixed, fixed]));
const savedVolumeSchema = z.array(z.strictObject({ symbol: z.string().min(1), entries: volumeEntries }));

export type AccountSnapshot = z.input<typeof accountSchema>;
export type MarketSnapshot = z.input<typeof marketSchema>;
/** One symbol's volume added since the last save: append `added`, forget what starts before `keepFrom`. */
export interface VolumeChange {
  readonly symbol: string;
  readonly keepFrom: number;
  readonly added: [number, string, string][];
}

/** bigint → decimal string, everywhere in a plain value. */
function encodeValue(value: unknown): unknown {
  if (typeof value === 'bigint') return formatFixed(value);
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeValue(inner)]));
  return value;
}

export function encodeAccount(book: AccountBook): AccountSnapshot {
  const portfolio = book.portfolio.state();
  return encodeValue({
    v: ENGINE_SNAPSHOT_VERSION,
    kind: 'account',
    config: book.config,
    counters: { ...book.counters },
    portfolio: { ...portfolio, positions: portfolio.positions.map(([symbol, position]) => ({ symbol, ...position })) },
    orders: [...book.orders()],
    clientIds: [...book.clientIds],
    closed: [...book.closed],
  }) as AccountSnapshot;
}

export function decodeAccount(snapshot: unknown): AccountBook {
  const saved = accountSchema.parse(snapshot);
  const config = validateAccountConfig(saved.config);
  if (typeof config === 'string') throw new TickflowError(ERROR_CODES.STATE_UNREADABLE, `account snapshot: config: ${config}`);
  const book = new AccountBook(config as AccountConfig, { ...saved.counters } as AccountCounters);
  const { positions, ...portfolio } = saved.portfolio;
  book.portfolio = Portfolio.restore({ ...portfolio, positions: positions.map(({ symbol, ...position }) => [symbol, position] as const) });
  for (const [clientId, orderId] of saved.clientIds) book.clientIds.set(clientId, orderId);
  for (const order of saved.orders) book.add(order as WorkingOrder);
  for (const [orderId, status] of saved.closed) book.closed.set(orderId, status as OrderStatus);
  return book;
}

/** With `recent: 'omitted'`, the volume is left to `encodeVolumeChanges`. */
export function encodeMarket(now: number, tape: Tape, recent: 'included' | 'omitted' = 'included'): MarketSnapshot {
  return encodeValue({ v: ENGINE_SNAPSHOT_VERSION, kind: 'market', now: Number.isFinite(now) ? now : null, symbols: tape.state(recent) }) as MarketSnapshot;
}

export function encodeVolumeChanges(tape: Tape): VolumeChange[] {
  return tape.takeVolumeChanges().map(({ symbol, keepFrom, added }) => ({
    symbol,
    keepFrom,
    added: added.map(([start, price, size]) => [start, formatFixed(price), formatFixed(size)]),
  }));
}

export function decodeMarket(snapshot: unknown, volume: unknown, lookbackMs: number): { readonly now: number; readonly tape: Tape } {
  const saved = marketSchema.parse(snapshot);
  const tape = new Tape(lookbackMs);
  tape.restore(saved.symbols, savedVolumeSchema.parse(volume));
  return { now: saved.now ?? Number.NEGATIVE_INFINITY, tape };
}
