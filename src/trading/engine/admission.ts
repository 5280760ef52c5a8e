import { FIXED_ONE, formatFixed, maxFixed, parseFixed } from '../../model/fixed-point.ts';
import type { OrderRequest } from '../../model/order.ts';
import { freshMatchState } from '../fills/match-state.ts';
import { floorToWhole } from '../fills/participation.ts';
import { buyingPower } from '../portfolio/buying-power.ts';
import { value, type Marks } from '../portfolio/valuation.ts';
import type { AccountBook } from './account-book.ts';
import { accept, reject, type CommandResult } from './command-result.ts';
import { derivedUuid } from './derived-id.ts';
import type { Instrument, InstrumentLookup } from './instrument.ts';
import type { MarketCalendar } from './market-calendar.ts';
import { reserved } from './reservations.ts';
import { remainingQty, type AuctionWait, type WorkingOrder } from './working-order.ts';

export interface AdmissionContext {
  readonly instrument: InstrumentLookup;
  readonly calendar: MarketCalendar;
  readonly marks: Marks;
}

const fixedOrNull = (text: string | null): bigint | null => (text === null ? null : parseFixed(text));
const isWhole = (qty: bigint): boolean => qty % FIXED_ONE === 0n;

/**
 * Decides whether an account takes an order (already checked on its own by `validateOrderRequest`),
 * and builds it if so. A rejection changes nothing, not even the account's order counter.
 */
export function admit(context: AdmissionContext, book: AccountBook, request: OrderRequest, at: number, replaces: string | null = null): CommandResult<WorkingOrder> {
  const instrument = context.instrument(request.symbol);
  if (!instrument) return reject('invalid', `asset ${request.symbol} not found`);
  if (!instrument.tradable) return reject('invalid', `asset ${request.symbol} is not tradable`);
  const qty = fixedOrNull(request.qty);
  if (!instrument.fractionable && (request.notional !== null || !isWhole(qty!))) {
    return reject('invalid', `asset ${request.symbol} is not fractionable: qty must be a whole number of shares and notional is not allowed`);
  }
  const clientOrderId = request.client_order_id ?? derivedUuid('client-order', book.id, String(book.counters.orders + 1));
  if (book.clientIds.has(clientOrderId)) return reject('duplicate', `client_order_id must be unique (${clientOrderId} is used by order ${book.clientIds.get(clientOrderId)})`);
  const timing = orderTiming(context.calendar, instrument, request, at);
  if (typeof timing === 'string') return reject('invalid', timing);
  const order = build(book, instrument, request, qty, clientOrderId, timing, at, replaces);
  const sideProblem = sellProblem(book, order);
  if (sideProblem) return sideProblem;
  const problem = buyingPowerProblem(context, book, order, at);
  if (problem) return problem;
  book.counters.orders = order.seq;
  return accept(order);
}

interface OrderTiming {
  readonly expiresAt: number | null;
  readonly auction: AuctionWait | null;
}

/**
 * When it may trade and until when. Market orders outside the regular session are accepted and wait
 * for the open, as Alpaca queues them; `day` orders expire at the session's close (the post-market's
 * close with `extended_hours`); `opg` orders are taken until the open, `cls` orders until the close.
 */
function orderTiming(calendar: MarketCalendar, instrument: Instrument, request: OrderRequest, at: number): OrderTiming | string {
  const tif = request.time_in_force;
  if (tif !== 'day' && tif !== 'opg' && tif !== 'cls') return { expiresAt: null, auction: null };
  const market = instrument.market;
  const close = calendar.nextClose(market, at, request.extended_hours);
  if (close === null) return `time_in_force ${tif} is not supported for ${request.symbol}: its market never closes (use gtc or ioc)`;
  if (tif === 'day') return { expiresAt: close, auction: null };
  const phase = calendar.phase(market, at);
  if (tif === 'opg') {
    if (phase === 'regular') return 'opg orders are accepted only before the open';
    const open = calendar.nextOpen(market, at)!;
    return { expiresAt: calendar.nextClose(market, open, false), auction: { kind: 'opening', at: open, graceEnd: open, candidate: null, fallback: false } };
  }
  if (phase === 'post') return 'cls orders are accepted only until the close';
  return { expiresAt: null, auction: { kind: 'closing', at: close, graceEnd: close, candidate: null, fallback: false } };
}

function build(book: AccountBook, instrument: Instrument, request: OrderRequest, qty: bigint | null, clientOrderId: string, timing: OrderTiming, at: number, replaces: string | null): WorkingOrder {
  const seq = book.counters.orders + 1;
  const grace = book.config.fills.auctionGraceMs;
  return {
    id: derivedUuid('order', book.id, String(seq)),
    seq,
    clientOrderId,
    accountId: book.id,
    symbol: request.symbol,
    assetClass: instrument.assetClass,
    market: instrument.market,
    fractionable: instrument.fractionable,
    shortable: instrument.shortable,
    side: request.side,
    orderType: request.order_type,
    timeInForce: request.time_in_force,
    extendedHours: request.extended_hours,
    qty,
    notional: fixedOrNull(request.notional),
    limit: fixedOrNull(request.limit_price),
    stop: fixedOrNull(request.stop_price),
    trailPrice: fixedOrNull(request.trail_price),
    trailPercent: fixedOrNull(request.trail_percent),
    createdAt: at,
    activatesAt: at + book.config.fills.latencyMs,
    expiresAt: timing.expiresAt,
    replaces,
    updatedAt: at,
    status: 'pending_new',
    filledQty: 0n,
    filledValue: 0n,
    commissionPaid: 0n,
    fills: 0,
    filledAt: null,
    match: freshMatchState(),
    auction: timing.auction ? { ...timing.auction, graceEnd: timing.auction.at + grace } : null,
    closedAt: null,
    replacedBy: null,
    reason: null,
  };
}

/** What the account's long position leaves for this sell after its other open sells. */
export function longAvailable(book: AccountBook, symbol: string, exclude?: string): bigint {
  let available = maxFixed(book.portfolio.position(symbol)?.qty ?? 0n, 0n);
  for (const other of book.orders()) {
    if (other.symbol === symbol && other.side === 'sell' && other.id !== exclude && other.qty !== null) available -= remainingQty(other)!;
  }
  return available;
}

/** Cash accounts never go short; margin accounts only in shortable assets and in whole shares (Alpaca's rules). */
function sellProblem(book: AccountBook, order: WorkingOrder) {
  if (order.side !== 'sell') return undefined;
  const available = longAvailable(book, order.symbol, order.replaces ?? undefined);
  if (order.notional !== null) {
    return available > 0n ? undefined : reject('insufficient_qty', `notional sells need a long position in ${order.symbol} not held by other orders`);
  }
  const short = order.qty! - maxFixed(available, 0n);
  if (short <= 0n) return undefined;
  if (book.config.accountType === 'cash') {
    return available > 0n
      ? reject('insufficient_qty', `insufficient qty available for order (requested ${formatFixed(order.qty!)}, available ${formatFixed(available)})`)
      : reject('forbidden', 'short selling is not allowed in a cash account');
  }
  if (!order.shortable) return reject('forbidden', `asset ${order.symbol} cannot be sold short`);
  if (floorToWhole(short) !== short) return reject('forbidden', 'fractional orders cannot be sold short');
  return undefined;
}

function buyingPowerProblem(context: AdmissionContext, book: AccountBook, order: WorkingOrder, at: number) {
  const scope = order.replaces ? { exclude: order.replaces } : {};
  const before = reserved(book, context.marks, scope);
  const after = reserved(book, context.marks, { ...scope, extra: order });
  if (after === null || before === null) return reject('invalid', `no trade of ${order.symbol} seen yet: the order cannot be valued; send a limit order`);
  const needs = after - before;
  if (needs === 0n) return undefined;
  const available = buyingPower(book.config, book.portfolio, value(book.portfolio, context.marks), at, before);
  if (available >= needs) return undefined;
  return reject('insufficient_buying_power', `insufficient buying power (order needs ${formatFixed(needs)}, available ${formatFixed(maxFixed(available, 0n))})`);
}
