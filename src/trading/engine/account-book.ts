import type { AccountConfig } from '../../model/account.ts';
import { fixedFromNumber, parseFixed } from '../../model/fixed-point.ts';
import type { OrderStatus } from '../../model/order.ts';
import { Portfolio } from '../portfolio/portfolio.ts';
import type { WorkingOrder } from './working-order.ts';

/** Running numbers of an account, from which its ids and event sequence derive; never reset. */
export interface AccountCounters {
  orders: number;
  events: number;
  fills: number;
}

/** Everything the engine holds of one account: its portfolio, its open orders and what it must remember of past ones. */
export class AccountBook {
  readonly config: AccountConfig;
  /** The fill model's rates in fixed point, read once. */
  readonly participation: bigint;
  readonly slippageBps: bigint;
  portfolio: Portfolio;
  readonly counters: AccountCounters;
  /** Open orders in acceptance order. */
  readonly #orders = new Map<string, WorkingOrder>();
  readonly #bySymbol = new Map<string, WorkingOrder[]>();
  /** Every client_order_id the account used (Alpaca never lets one be used twice) → its order id. */
  readonly clientIds = new Map<string, string>();
  /** Final status of every order that left the book: commands on them are answered, not `not_found`. */
  readonly closed = new Map<string, OrderStatus>();

  constructor(config: AccountConfig, counters: AccountCounters = { orders: 0, events: 0, fills: 0 }) {
    this.config = config;
    this.participation = fixedFromNumber(config.fills.participation);
    this.slippageBps = fixedFromNumber(config.fills.slippageBps);
    this.portfolio = new Portfolio(parseFixed(config.startingCash)!);
    this.counters = counters;
  }

  get id(): string {
    return this.config.id;
  }

  order(id: string): WorkingOrder | undefined {
    return this.#orders.get(id);
  }

  orders(): IterableIterator<WorkingOrder> {
    return this.#orders.values();
  }

  get openCount(): number {
    return this.#orders.size;
  }

  /** Open orders of a symbol in acceptance order (a copy: safe to change the book while going through it). */
  ordersOf(symbol: string): readonly WorkingOrder[] {
    return [...(this.#bySymbol.get(symbol) ?? [])];
  }

  hasOrdersOn(symbol: string): boolean {
    return this.#bySymbol.has(symbol);
  }

  add(order: WorkingOrder): void {
    this.#orders.set(order.id, order);
    const list = this.#bySymbol.get(order.symbol);
    if (list) list.push(order);
    else this.#bySymbol.set(order.symbol, [order]);
    this.clientIds.set(order.clientOrderId, order.id);
  }

  /** Takes a final order off the book; returns whether the symbol has no open order left. */
  remove(order: WorkingOrder): boolean {
    this.#orders.delete(order.id);
    this.closed.set(order.id, order.status);
    const list = this.#bySymbol.get(order.symbol)!.filter((other) => other !== order);
    if (list.length === 0) this.#bySymbol.delete(order.symbol);
    else this.#bySymbol.set(order.symbol, list);
    return list.length === 0;
  }

  /** Back to the starting cash with no order and no position; counters keep running so ids stay unique. */
  reset(): void {
    this.portfolio = new Portfolio(parseFixed(this.config.startingCash)!);
    this.#orders.clear();
    this.#bySymbol.clear();
    this.clientIds.clear();
    this.closed.clear();
  }
}
