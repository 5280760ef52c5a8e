import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.ts';
import { accountConfig, type AccountConfig } from '../../../src/model/account.ts';
import { FINAL_ORDER_STATUSES, type Order, type OrderReplace, type OrderRequest } from '../../../src/model/order.ts';
import type { Trade } from '../../../src/model/trade.ts';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import type { AccountSummary, PositionView } from '../../../src/trading/engine/account-view.ts';
import type { CommandResult } from '../../../src/trading/engine/command-result.ts';
import type { Instrument } from '../../../src/trading/engine/instrument.ts';
import { TradingEngine, type ClosePositionOptions } from '../../../src/trading/engine/trading-engine.ts';
import type { AccountCredentials, AccountListing, ActivityQuery, EquityPoint, OrderQuery, TradingGateway } from '../../../src/trading/gateway.ts';
import { idleStatus } from '../../support/pipeline-status.ts';
import { COIN, STOCK, testCalendar } from '../../trading/support.ts';

export const TEST_INSTRUMENTS: readonly Instrument[] = [STOCK('AAPL'), STOCK('SPY'), STOCK('HALT', { tradable: false }), COIN('BINANCE:BTCUSDT')];

/**
 * A TradingGateway straight over a TradingEngine, in memory, for the API's tests: keys in a map,
 * every order and update kept as the engine emits them, equity sampled after each print. Time is the
 * test's: `at` (commands' accept time) moves with `feed` and `setTime`.
 */
export class EngineGateway implements TradingGateway {
  readonly engine: TradingEngine;
  at: number;
  readonly #keys = new Map<string, { accountId: string; secret: string }>();
  readonly #orders = new Map<string, Order>();
  readonly #updates = new Map<string, TradeUpdate[]>();
  readonly #equity = new Map<string, EquityPoint[]>();
  readonly #listeners = new Map<string, Set<(update: TradeUpdate) => void>>();
  readonly #createdAt = new Map<string, number>();
  #created = 0;

  readonly known: readonly Instrument[];

  constructor(start: number, known: readonly Instrument[] = TEST_INSTRUMENTS) {
    this.known = known;
    const bySymbol = new Map(known.map((instrument) => [instrument.symbol, instrument]));
    this.engine = new TradingEngine({ instrument: (symbol) => bySymbol.get(symbol) ?? null, calendar: testCalendar() });
    this.at = start;
  }

  /** An account with the given key; what `config` leaves out takes `accountConfig`'s defaults. */
  addAccount(id: string, keyId: string, secret: string, config: Partial<AccountConfig> = {}): void {
    const created = this.engine.createAccount(accountConfig({ id, startingCash: '100000', ...config }), this.at);
    if (!created.ok) throw new Error(created.message);
    this.#keys.set(keyId, { accountId: id, secret });
    this.#createdAt.set(id, this.at);
    this.#drain();
  }

  /** A print of the tape: time moves to it, the engine fills what it can, listeners hear of it. */
  feed(trade: Trade): void {
    this.at = Math.max(this.at, trade.tsEvent);
    this.engine.trade(trade);
    this.#drain();
    for (const accountId of this.engine.accountIds()) {
      const summary = this.engine.account(accountId)!;
      const pl = Number(summary.equity) - Number(summary.starting_cash);
      (this.#equity.get(accountId) ?? this.#equity.set(accountId, []).get(accountId)!).push({
        timestamp: trade.tsEvent, equity: summary.equity, profitLoss: String(pl), profitLossPct: String(pl / Number(summary.starting_cash)),
      });
    }
  }

  setTime(at: number): void {
    this.at = at;
    this.engine.advance(at);
    this.#drain();
  }

  /** Every update of an account so far. */
  updates(accountId: string): readonly TradeUpdate[] {
    return this.#updates.get(accountId) ?? [];
  }

  #drain(): void {
    for (const update of this.engine.takeEvents()) {
      this.#orders.set(update.order.id, update.order);
      (this.#updates.get(update.account_id) ?? this.#updates.set(update.account_id, []).get(update.account_id)!).push(update);
      for (const listener of this.#listeners.get(update.account_id) ?? []) listener(update);
    }
  }

  #command<T>(run: () => CommandResult<T>, orders: (value: T) => readonly Order[]): CommandResult<T> {
    const result = run();
    if (result.ok) for (const order of orders(result.value)) this.#orders.set(order.id, order);
    this.#drain();
    return result;
  }

  async authenticate(keyId: string, secret: string): Promise<string | null> {
    const key = this.#keys.get(keyId);
    return key && key.secret === secret ? key.accountId : null;
  }

  async createAccount(config: Partial<Omit<AccountConfig, 'type' | 'id'>>): Promise<AccountCredentials> {
    const accountId = `acct-${++this.#created}`;
    const credentials = { accountId, keyId: `KEY${this.#created}`, secret: `secret-${this.#created}` };
    this.addAccount(accountId, credentials.keyId, credentials.secret, config);
    return credentials;
  }

  async resetAccount(accountId: string): Promise<CommandResult<AccountSummary>> {
    return this.#command(() => this.engine.resetAccount(accountId, this.at), () => []);
  }

  async accounts(): Promise<readonly AccountListing[]> {
    return this.engine.accountIds().map((id) => ({ ...this.engine.account(id)!, created_at: this.#createdAt.get(id)! }));
  }

  async account(accountId: string): Promise<AccountSummary | null> {
    return this.engine.account(accountId);
  }

  async submitOrder(accountId: string, request: OrderRequest): Promise<CommandResult<Order>> {
    return this.#command(() => this.engine.submit(accountId, request, this.at), (order) => [order]);
  }

  async replaceOrder(accountId: string, orderId: string, change: OrderReplace): Promise<CommandResult<Order>> {
    return this.#command(() => this.engine.replace(accountId, orderId, change, this.at), (order) => [order]);
  }

  async cancelOrder(accountId: string, orderId: string): Promise<CommandResult<Order>> {
    return this.#command(() => this.engine.cancel(accountId, orderId, this.at), (order) => [order]);
  }

  async cancelAllOrders(accountId: string): Promise<CommandResult<readonly Order[]>> {
    return this.#command(() => this.engine.cancelAll(accountId, this.at), (orders) => orders);
  }

  async orders(accountId: string, query: OrderQuery): Promise<readonly Order[]> {
    const matches = [...this.#orders.values()].filter(
      (order) =>
        order.account_id === accountId &&
        (query.status === 'all' || (query.status === 'open') !== FINAL_ORDER_STATUSES.has(order.status)) &&
        (query.after === undefined || order.submitted_at > query.after) &&
        (query.until === undefined || order.submitted_at <= query.until) &&
        (query.symbols === undefined || query.symbols.includes(order.symbol)),
    );
    matches.sort((a, b) => a.submitted_at - b.submitted_at || (a.id < b.id ? -1 : 1));
    if (query.direction === 'desc') matches.reverse();
    return matches.slice(0, query.limit);
  }

  async order(accountId: string, orderId: string): Promise<Order | null> {
    const order = this.#orders.get(orderId);
    return order && order.account_id === accountId ? order : null;
  }

  async orderByClientId(accountId: string, clientOrderId: string): Promise<Order | null> {
    return [...this.#orders.values()].find((order) => order.account_id === accountId && order.client_order_id === clientOrderId) ?? null;
  }

  async positions(accountId: string): Promise<readonly PositionView[]> {
    return this.engine.positions(accountId) ?? [];
  }

  async position(accountId: string, symbol: string): Promise<PositionView | null> {
    return (this.engine.positions(accountId) ?? []).find((position) => position.symbol === symbol) ?? null;
  }

  async closePosition(accountId: string, symbol: string, options: ClosePositionOptions): Promise<CommandResult<Order>> {
    return this.#command(() => this.engine.closePosition(accountId, symbol, this.at, options), (order) => [order]);
  }

  async closeAllPositions(accountId: string): Promise<CommandResult<readonly Order[]>> {
    return this.#command(() => this.engine.closeAll(accountId, this.at), (orders) => orders);
  }

  async activities(accountId: string, query: ActivityQuery): Promise<readonly TradeUpdate[]> {
    let fills = this.updates(accountId).filter(
      (update) => update.fill !== null && (query.after === undefined || update.timestamp > query.after) && (query.until === undefined || update.timestamp <= query.until),
    );
    if (query.direction === 'desc') fills = fills.reverse();
    if (query.pageToken !== undefined) fills = fills.slice(fills.findIndex((update) => update.fill!.id === query.pageToken) + 1);
    return fills.slice(0, query.pageSize);
  }

  async equityHistory(accountId: string, from: number, to: number): Promise<readonly EquityPoint[]> {
    return (this.#equity.get(accountId) ?? []).filter((point) => point.timestamp >= from && point.timestamp <= to);
  }

  instruments(): readonly Instrument[] {
    return this.known;
  }

  subscribe(accountId: string, listener: (update: TradeUpdate) => void): () => void {
    const listeners = this.#listeners.get(accountId) ?? this.#listeners.set(accountId, new Set()).get(accountId)!;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}

/** Monday 2013-10-07, 10:00 New York: the US session is open. */
export const MONDAY_10AM = Date.parse('2013-10-07T10:00:00-04:00');

export const KEY = { keyId: 'PKTEST1', secret: 'right-secret' } as const;
export const AUTH_HEADERS = { 'apca-api-key-id': KEY.keyId, 'apca-api-secret-key': KEY.secret } as const;


/** The HTTP app with the trading routes over a fresh EngineGateway holding one account (`KEY`). */
export async function tradingApp(options: { now?: () => number } = {}): Promise<{ app: FastifyInstance; gateway: EngineGateway }> {
  const gateway = new EngineGateway(MONDAY_10AM);
  gateway.addAccount('acct-1', KEY.keyId, KEY.secret);
  const app = await buildApp({ status: idleStatus, trading: { gateway, now: options.now ?? (() => gateway.at) } });
  return { app, gateway };
}

let sequence = 0;
export function print(symbol: string, price: number, size: number, tsEvent: number): Trade {
  return { type: 'trade', source: 'test', symbol, price, size, conditions: null, tsEvent, tsRecv: tsEvent, seq: ++sequence };
}
