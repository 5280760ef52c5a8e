import * as indicators from 'trading-signals';
import type { Order } from '../../model/order.ts';
import type { InstrumentLookup } from '../../trading/engine/instrument.ts';
import type { CommandResult } from '../../trading/engine/command-result.ts';
import type { TradingEngine } from '../../trading/engine/trading-engine.ts';
import { orderRequestOf, targetDelta } from '../../strategy/order-input.ts';
import type { AccountState, OrderInput, OrderOptions, OrderResult, PositionState, StrategyContext, StrategyLog } from '../../strategy/strategy-api.ts';

export interface EngineContextOptions {
  readonly engine: TradingEngine;
  readonly accountId: string;
  readonly instrument: InstrumentLookup;
  readonly params: Readonly<Record<string, unknown>>;
  /** Last trade price or bar close per symbol, kept by the run. */
  readonly prices: ReadonlyMap<string, number>;
  /** Buying power held for market orders: the last price plus this many basis points (the account's `marketReserveBps`). */
  readonly marketReserveBps: number;
  readonly log: StrategyLog;
  readonly random: () => number;
}

/**
 * A strategy's context in a backtest: the paper engine itself, called synchronously at the event's
 * time (the promises it returns are already settled). Account figures are read once per event and
 * again after a command.
 */
export class EngineContext implements StrategyContext {
  readonly params: Readonly<Record<string, unknown>>;
  readonly indicators = indicators;
  readonly log: StrategyLog;
  time = 0;
  readonly #options: EngineContextOptions;
  #account: AccountState | null = null;
  #positions: Map<string, PositionState> | null = null;

  constructor(options: EngineContextOptions) {
    this.#options = options;
    this.params = options.params;
    this.log = options.log;
  }

  /** Called by the run when the market or the account may have moved. */
  invalidate(): void {
    this.#account = null;
    this.#positions = null;
  }

  get account(): AccountState {
    if (this.#account) return this.#account;
    const summary = this.#options.engine.account(this.#options.accountId)!;
    return (this.#account = {
      cash: Number(summary.cash),
      equity: Number(summary.equity),
      buyingPower: Number(summary.buying_power),
      realizedPl: Number(summary.realized_pl),
      unrealizedPl: Number(summary.unrealized_pl),
      fees: Number(summary.fees),
    });
  }

  position(symbol: string): PositionState | null {
    if (!this.#positions) {
      this.#positions = new Map();
      for (const view of this.#options.engine.positions(this.#options.accountId) ?? []) {
        this.#positions.set(view.symbol, {
          symbol: view.symbol,
          qty: Number(view.qty),
          avgEntryPrice: Number(view.avg_entry_price),
          marketValue: Number(view.market_value),
          unrealizedPl: Number(view.unrealized_pl),
        });
      }
    }
    return this.#positions.get(symbol) ?? null;
  }

  openOrders(symbol?: string): readonly Order[] {
    const orders = this.#options.engine.openOrders(this.#options.accountId) ?? [];
    return symbol === undefined ? orders : orders.filter((order) => order.symbol === symbol);
  }

  price(symbol: string): number | null {
    return this.#options.prices.get(symbol) ?? null;
  }

  order(input: OrderInput): Promise<OrderResult> {
    const market = this.#options.instrument(input?.symbol)?.market;
    const request = orderRequestOf(input, market === 'crypto' ? 'gtc' : 'day');
    if (typeof request === 'string') return Promise.resolve({ ok: false, code: 'invalid', message: request });
    return Promise.resolve(this.#settle(this.#options.engine.submit(this.#options.accountId, request, this.time)));
  }

  buy(symbol: string, qty: number, options: OrderOptions = {}): Promise<OrderResult> {
    return this.order({ ...options, symbol, side: 'buy', qty });
  }

  sell(symbol: string, qty: number, options: OrderOptions = {}): Promise<OrderResult> {
    return this.order({ ...options, symbol, side: 'sell', qty });
  }

  cancel(orderId: string): Promise<OrderResult> {
    return Promise.resolve(this.#settle(this.#options.engine.cancel(this.#options.accountId, orderId, this.time)));
  }

  cancelAll(symbol?: string): Promise<void> {
    for (const order of this.openOrders(symbol)) this.#options.engine.cancel(this.#options.accountId, order.id, this.time);
    this.invalidate();
    return Promise.resolve();
  }

  targetPercent(symbol: string, percent: number, options: OrderOptions = {}): Promise<OrderResult | null> {
    const price = this.price(symbol);
    const instrument = this.#options.instrument(symbol);
    if (price === null || !instrument) return Promise.resolve({ ok: false, code: 'invalid', message: price === null ? `no price for ${symbol} yet` : `unknown symbol ${symbol}` });
    const pending = this.openOrders(symbol).reduce((sum, order) => sum + (order.qty === null ? 0 : (order.side === 'buy' ? 1 : -1) * (Number(order.qty) - Number(order.filled_qty))), 0);
    const reserve = price * (1 + this.#options.marketReserveBps / 10_000);
    const qty = targetDelta({
      percent,
      equity: this.account.equity,
      price,
      heldAndPending: (this.position(symbol)?.qty ?? 0) + pending,
      affordable: this.account.buyingPower / reserve,
      fractionable: instrument.fractionable,
    });
    if (qty === 0) return Promise.resolve(null);
    return this.order({ ...options, symbol, side: qty > 0 ? 'buy' : 'sell', qty: Math.abs(qty) });
  }

  closePosition(symbol: string): Promise<OrderResult | null> {
    if (!this.position(symbol)) return Promise.resolve(null);
    return Promise.resolve(this.#settle(this.#options.engine.closePosition(this.#options.accountId, symbol, this.time)));
  }

  random(): number {
    return this.#options.random();
  }

  #settle(result: CommandResult<Order>): OrderResult {
    this.invalidate();
    return result.ok ? { ok: true, order: result.value } : { ok: false, code: result.code, message: result.message };
  }
}
