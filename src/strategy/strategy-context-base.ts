import * as indicators from 'trading-signals';
import type { Order, OrderRequest } from '../model/order.ts';
import type { Instrument } from '../trading/engine/instrument.ts';
import { defaultTimeInForce, orderRequestOf } from './order-input.ts';
import type { AccountState, OrderInput, OrderOptions, OrderResult, PositionState, StrategyContext, StrategyLog } from './strategy-api.ts';
import { targetPercentOrder } from './target-percent.ts';

/** What every strategy context is given, in a backtest and live alike. */
export interface StrategyContextOptions {
  readonly params: Readonly<Record<string, unknown>>;
  /** Last trade price or bar close per symbol, kept by the run. */
  readonly prices: ReadonlyMap<string, number>;
  /** Buying power `targetPercent` holds for a market order: the last price plus this many basis points (the account's `marketReserveBps`). */
  readonly marketReserveBps: number;
  readonly log: StrategyLog;
  readonly random: () => number;
}

/**
 * The part of `StrategyContext` that does not depend on where orders go: prices, randomness, the
 * conveniences built on `order` (buy, sell, targetPercent) and the order's conversion. A backtest's
 * context (the engine) and a live one (the trading gateway) supply the account and the commands.
 */
export abstract class StrategyContextBase implements StrategyContext {
  readonly params: Readonly<Record<string, unknown>>;
  readonly indicators = indicators;
  readonly log: StrategyLog;
  time = 0;
  readonly #common: StrategyContextOptions;

  constructor(common: StrategyContextOptions) {
    this.#common = common;
    this.params = common.params;
    this.log = common.log;
  }

  abstract get account(): AccountState;
  abstract position(symbol: string): PositionState | null;
  abstract openOrders(symbol?: string): readonly Order[];
  abstract order(input: OrderInput): Promise<OrderResult>;
  abstract cancel(orderId: string): Promise<OrderResult>;
  abstract cancelAll(symbol?: string): Promise<void>;
  abstract closePosition(symbol: string): Promise<OrderResult | null>;
  protected abstract instrument(symbol: string): Instrument | null;

  price(symbol: string): number | null {
    return this.#common.prices.get(symbol) ?? null;
  }

  buy(symbol: string, qty: number, options: OrderOptions = {}): Promise<OrderResult> {
    return this.order({ ...options, symbol, side: 'buy', qty });
  }

  sell(symbol: string, qty: number, options: OrderOptions = {}): Promise<OrderResult> {
    return this.order({ ...options, symbol, side: 'sell', qty });
  }

  targetPercent(symbol: string, percent: number, options: OrderOptions = {}): Promise<OrderResult | null> {
    return targetPercentOrder(this, this.instrument(symbol), symbol, percent, options, this.#common.marketReserveBps);
  }

  random(): number {
    return this.#common.random();
  }

  /** The strategy's order in the engine's form, or the refusal of a malformed one. */
  protected requestOf(input: OrderInput): OrderRequest | OrderResult {
    const request = orderRequestOf(input, defaultTimeInForce(this.instrument(input?.symbol)?.market));
    return typeof request === 'string' ? { ok: false, code: 'invalid', message: request } : request;
  }
}
