import { validateAccountConfig, type AccountConfig } from '../../model/account.ts';
import { validateBar, type Bar } from '../../model/bar.ts';
import { absFixed, formatFixed } from '../../model/fixed-point.ts';
import { validateOrderReplace, validateOrderRequest, type Order, type OrderReplace, type OrderRequest } from '../../model/order.ts';
import { closingQty, replacement, type ClosePositionOptions } from './order-changes.ts';
import type { TradeUpdate } from '../../model/trade-update.ts';
import type { Trade } from '../../model/trade.ts';
import { plainPrints, type PrintClassifier } from '../fills/print-classifier.ts';
import { toPrint, type Print } from '../fills/print.ts';
import { AccountBook } from './account-book.ts';
import { value, type Valuation } from '../portfolio/valuation.ts';
import { accountSummary, positionViews, type AccountSummary, type PositionView } from './account-view.ts';
import { admit } from './admission.ts';
import { applyBar, barRef } from './bar-processing.ts';
import { accept, reject, type CommandResult } from './command-result.ts';
import { EngineCore } from './engine-core.ts';
import {
  decodeAccount,
  decodeMarket,
  encodeAccount,
  encodeMarket,
  encodeVolumeChanges,
  type AccountSnapshot,
  type MarketSnapshot,
  type VolumeChange,
} from './engine-snapshot.ts';
import type { InstrumentLookup } from './instrument.ts';
import type { MarketCalendar } from './market-calendar.ts';
import { orderRecord } from './order-record.ts';
import { applyPrint } from './print-processing.ts';
import { Tape } from './tape.ts';
import { advanceTo } from './timed-transitions.ts';
import type { WorkingOrder } from './working-order.ts';

export type { ClosePositionOptions } from './order-changes.ts';

export interface TradingEngineOptions {
  readonly instrument: InstrumentLookup;
  readonly calendar: MarketCalendar;
  /** How prints' conditions are read (default: every print counts, none is an auction). */
  readonly prints?: PrintClassifier;
  /** Lookback of the volume by price that queue-ahead estimates use (default 60 s). */
  readonly queueLookbackMs?: number;
}

/**
 * Paper trading for many accounts, pure and deterministic: commands (each with the event time it was
 * accepted at) and prints in, Alpaca trade updates out (`takeEvents`). No clock, bus, store or random
 * number: the same inputs in the same order give the same events and the same state, to the billionth
 * of a dollar. Time is the highest event time fed (`trade`'s `tsEvent`, a command's time, `advance`).
 *
 * A command either takes effect or is rejected with a reason and changes nothing (events due by the
 * command's time may still be emitted first: time passing is not the command).
 */
export class TradingEngine {
  readonly #core: EngineCore;

  constructor(options: TradingEngineOptions) {
    this.#core = new EngineCore({
      instrument: options.instrument,
      calendar: options.calendar,
      prints: options.prints ?? plainPrints,
      tape: new Tape(options.queueLookbackMs ?? 60_000),
    });
  }

  get now(): number {
    return this.#core.now;
  }

  // Commands.

  createAccount(config: AccountConfig, at: number): CommandResult<AccountSummary> {
    this.advance(at);
    const valid = validateAccountConfig(config);
    if (typeof valid === 'string') return reject('invalid', valid);
    if (this.#core.accounts.has(valid.id)) return reject('duplicate', `account ${valid.id} exists`);
    const book = new AccountBook(valid);
    this.#core.accounts.set(valid.id, book);
    this.#core.markChanged(book);
    return accept(accountSummary(book, this.#core.marks, at));
  }

  /** Cancels every open order (emitting `canceled`), then starts over from the starting cash. */
  resetAccount(accountId: string, at: number): CommandResult<AccountSummary> {
    this.advance(at);
    const book = this.#core.accounts.get(accountId);
    if (!book) return reject('not_found', `account ${accountId} not found`);
    for (const order of [...book.orders()]) this.#core.close(book, order, 'canceled', at, 'account reset', 'canceled');
    book.reset();
    this.#core.unwatchAll(book);
    this.#core.markChanged(book);
    return accept(accountSummary(book, this.#core.marks, at));
  }

  submit(accountId: string, request: OrderRequest, at: number): CommandResult<Order> {
    this.advance(at);
    const book = this.#core.accounts.get(accountId);
    if (!book) return reject('not_found', `account ${accountId} not found`);
    const valid = validateOrderRequest(request);
    if (typeof valid === 'string') return reject('invalid', valid);
    const admitted = admit(this.#core, book, valid, at);
    if (!admitted.ok) return admitted;
    this.#core.open(book, admitted.value, at);
    return accept(orderRecord(admitted.value));
  }

  cancel(accountId: string, orderId: string, at: number): CommandResult<Order> {
    this.advance(at);
    const found = this.#openOrder(accountId, orderId);
    if (!found.ok) return found;
    const [book, order] = found.value;
    this.#core.close(book, order, 'canceled', at, 'canceled on request', 'canceled');
    return accept(orderRecord(order));
  }

  cancelAll(accountId: string, at: number): CommandResult<readonly Order[]> {
    this.advance(at);
    const book = this.#core.accounts.get(accountId);
    if (!book) return reject('not_found', `account ${accountId} not found`);
    const canceled: Order[] = [];
    for (const order of [...book.orders()]) {
      this.#core.close(book, order, 'canceled', at, 'canceled on request', 'canceled');
      canceled.push(orderRecord(order));
    }
    return accept(canceled);
  }

  /**
   * Alpaca's PATCH: a new order (its own id, `replaces` the old one) for what the old one had left (or
   * `qty`), with the changed prices and time in force; the old one becomes `replaced`. The new order
   * is checked like a new submission, as if the old one were gone, and starts over: latency, queue.
   */
  replace(accountId: string, orderId: string, patch: OrderReplace, at: number): CommandResult<Order> {
    this.advance(at);
    const valid = validateOrderReplace(patch);
    if (typeof valid === 'string') return reject('invalid', valid);
    const found = this.#openOrder(accountId, orderId);
    if (!found.ok) return found;
    const [book, old] = found.value;
    if (old.notional !== null) return reject('invalid', 'notional orders cannot be replaced');
    const request = validateOrderRequest(replacement(old, valid));
    if (typeof request === 'string') return reject('invalid', request);
    const admitted = admit(this.#core, book, request, at, old.id);
    if (!admitted.ok) return admitted;
    old.replacedBy = admitted.value.id;
    this.#core.close(book, old, 'replaced', at, null, 'replaced');
    this.#core.open(book, admitted.value, at);
    return accept(orderRecord(admitted.value));
  }

  /**
   * Cancels the symbol's open orders, then sends a market order for the position (or part of it):
   * Alpaca's `DELETE /v2/positions/{symbol}`.
   */
  closePosition(accountId: string, symbol: string, at: number, options: ClosePositionOptions = {}): CommandResult<Order> {
    this.advance(at);
    const book = this.#core.accounts.get(accountId);
    if (!book) return reject('not_found', `account ${accountId} not found`);
    const position = book.portfolio.position(symbol);
    if (!position) return reject('not_found', `position ${symbol} does not exist`);
    const instrument = this.#core.instrument(symbol);
    if (!instrument?.tradable) return reject('invalid', `asset ${symbol} is not tradable`);
    const qty = closingQty(absFixed(position.qty), options, instrument.fractionable);
    if (typeof qty === 'string') return reject('invalid', qty);
    for (const order of book.ordersOf(symbol)) this.#core.close(book, order, 'canceled', at, 'canceled to close the position', 'canceled');
    const tif = this.#core.calendar.nextClose(instrument.market, at, false) === null ? 'gtc' : 'day';
    return this.submit(accountId, {
      type: 'order-request', symbol, qty: formatFixed(qty), notional: null, side: position.qty > 0n ? 'sell' : 'buy', order_type: 'market', time_in_force: tif,
      limit_price: null, stop_price: null, trail_price: null, trail_percent: null, extended_hours: false, client_order_id: null,
    }, at);
  }

  /** Cancels every open order, then closes every position (symbols in order). */
  closeAll(accountId: string, at: number): CommandResult<readonly Order[]> {
    const canceled = this.cancelAll(accountId, at);
    if (!canceled.ok) return canceled;
    const book = this.#core.accounts.get(accountId)!;
    const orders: Order[] = [];
    for (const symbol of [...book.portfolio.positions()].map(([name]) => name).sort()) {
      const closed = this.closePosition(accountId, symbol, at);
      if (closed.ok) orders.push(closed.value);
    }
    return accept(orders);
  }

  // Market events.

  /** A print of the tape. `ref` names it in fills' lineage (default `source:seq`). */
  trade(trade: Trade, ref?: string): void {
    if (!(trade.price > 0) || !(trade.size >= 0) || !Number.isFinite(trade.tsEvent)) return;
    this.print(toPrint(trade, ref ?? null, this.#core.prints));
  }

  /**
   * A trade already read by the fill model (`toPrint`, with the classifier of its choice): engines fed
   * the same tape (the runs of a sweep) share one print instead of each reading the trade again.
   */
  print(print: Print): void {
    if (!(print.priceCount > 0) || !(print.sizeCount >= 0) || !Number.isFinite(print.tsEvent)) return;
    this.advance(print.tsEvent);
    applyPrint(this.#core, print);
  }

  /**
   * A bar of recorded data (backtests), filled by the bar rules (fills/README.md, "Bar data"): time
   * moves to the bar's start (activations, expiries due by then), then every open order placed by that
   * start sees the bar. `ref` names it in fills' lineage (default `bar:SYMBOL:INTERVAL:START`). The
   * engine's time stays at the start: what falls due at the bar's end (a `day` order's expiry at the
   * close) is made by the next input (the next bar, a command at the end, `advance`), so bars of other
   * symbols over the same interval still see their orders.
   */
  bar(bar: Bar, ref?: string): void {
    if (typeof validateBar(bar) === 'string') return;
    this.advance(bar.start);
    applyBar(this.#core, bar, ref ?? barRef(bar));
  }

  /** Time passes without a print: activations, expiries, auction fallbacks due by `ts`. */
  advance(ts: number): void {
    advanceTo(this.#core, ts);
  }

  // What came out.

  /** Events since the last call, in the order they happened. */
  takeEvents(): TradeUpdate[] {
    return this.#core.takeEvents();
  }

  /** Whether `takeEvents` would return any (without taking them). */
  hasEvents(): boolean {
    return this.#core.hasEvents;
  }

  /** Accounts whose state changed since the last call (to save their snapshots), by id. */
  takeChangedAccounts(): string[] {
    return this.#core.takeChanged();
  }

  // Queries.

  accountIds(): string[] {
    return [...this.#core.accounts.keys()].sort();
  }

  account(accountId: string): AccountSummary | null {
    const book = this.#core.accounts.get(accountId);
    return book ? accountSummary(book, this.#core.marks, this.#core.now) : null;
  }

  /** Cash and the positions marked to the tape, exact: what an equity curve samples (`account` also works out buying power and formats every figure). */
  valuation(accountId: string): (Valuation & { readonly cash: bigint }) | null {
    const book = this.#core.accounts.get(accountId);
    return book ? { ...value(book.portfolio, this.#core.marks), cash: book.portfolio.cash } : null;
  }

  positions(accountId: string): PositionView[] | null {
    const book = this.#core.accounts.get(accountId);
    return book ? positionViews(book, this.#core.marks) : null;
  }

  openOrders(accountId: string): Order[] | null {
    const book = this.#core.accounts.get(accountId);
    return book ? [...book.orders()].map(orderRecord) : null;
  }

  /** An open order; closed orders are the store's (from the events). */
  order(accountId: string, orderId: string): Order | null {
    const order = this.#core.accounts.get(accountId)?.order(orderId);
    return order ? orderRecord(order) : null;
  }

  // State.

  snapshotAccount(accountId: string): AccountSnapshot | null {
    const book = this.#core.accounts.get(accountId);
    return book ? encodeAccount(book) : null;
  }

  /** Loads an account as saved (replacing one of the same id). Throws on a snapshot that does not decode. */
  restoreAccount(snapshot: unknown): void {
    const book = decodeAccount(snapshot);
    const previous = this.#core.accounts.get(book.id);
    if (previous) this.#core.unwatchAll(previous);
    this.#core.accounts.set(book.id, book);
    for (const order of book.orders()) {
      this.#core.watch(book, order.symbol);
      this.#core.scheduled(order);
    }
  }

  removeAccount(accountId: string): void {
    const book = this.#core.accounts.get(accountId);
    if (!book) return;
    this.#core.unwatchAll(book);
    this.#core.accounts.delete(accountId);
  }

  /** The tape and the engine's time: shared by every account, saved apart from them. */
  snapshotMarket(): MarketSnapshot {
    return encodeMarket(this.#core.now, this.#core.tape);
  }

  /**
   * For a store that saves the recent volume apart: the tape without it, and the volume added since
   * the last call. Restoring the last market with every change's `added` since the first gives the same tape.
   */
  takeMarketChange(): { readonly market: MarketSnapshot; readonly volume: VolumeChange[] } {
    return { market: encodeMarket(this.#core.now, this.#core.tape, 'omitted'), volume: encodeVolumeChanges(this.#core.tape) };
  }

  /** `volume`: what `takeMarketChange` saved apart since, `{ symbol, entries: added }` in order. */
  restoreMarket(snapshot: unknown, volume: unknown = []): void {
    const market = decodeMarket(snapshot, volume, this.#core.tape.lookbackMs);
    this.#core.tape = market.tape;
    if (market.now > this.#core.now) this.#core.now = market.now;
  }

  #openOrder(accountId: string, orderId: string): CommandResult<[AccountBook, WorkingOrder]> {
    const book = this.#core.accounts.get(accountId);
    if (!book) return reject('not_found', `account ${accountId} not found`);
    const order = book.order(orderId);
    if (order) return accept([book, order]);
    const status = book.closed.get(orderId);
    return status ? reject('not_open', `order is already ${status}`) : reject('not_found', `order ${orderId} not found`);
  }
}
