import type { Order } from '../../model/order.ts';
import type { Instrument, InstrumentLookup } from '../../trading/engine/instrument.ts';
import type { CommandResult } from '../../trading/engine/command-result.ts';
import type { TradingEngine } from '../../trading/engine/trading-engine.ts';
import { accountStateOf, positionStatesOf } from '../../strategy/account-state.ts';
import { orderResultOf } from '../../strategy/order-input.ts';
import type { AccountState, OrderInput, OrderResult, PositionState } from '../../strategy/strategy-api.ts';
import { StrategyContextBase, type StrategyContextOptions } from '../../strategy/strategy-context-base.ts';

export interface EngineContextOptions extends StrategyContextOptions {
  readonly engine: TradingEngine;
  readonly accountId: string;
  readonly instrument: InstrumentLookup;
}

/**
 * A strategy's context in a backtest: the paper engine itself, called synchronously at the event's
 * time (the promises it returns are already settled). Account figures are read once per event and
 * again after a command.
 */
export class EngineContext extends StrategyContextBase {
  readonly #options: EngineContextOptions;
  #account: AccountState | null = null;
  #positions: Map<string, PositionState> | null = null;

  constructor(options: EngineContextOptions) {
    super(options);
    this.#options = options;
  }

  /** Called by the run when the market or the account may have moved. */
  invalidate(): void {
    this.#account = null;
    this.#positions = null;
  }

  get account(): AccountState {
    return (this.#account ??= accountStateOf(this.#options.engine.account(this.#options.accountId)!));
  }

  position(symbol: string): PositionState | null {
    this.#positions ??= positionStatesOf(this.#options.engine.positions(this.#options.accountId) ?? []);
    return this.#positions.get(symbol) ?? null;
  }

  openOrders(symbol?: string): readonly Order[] {
    const orders = this.#options.engine.openOrders(this.#options.accountId) ?? [];
    return symbol === undefined ? orders : orders.filter((order) => order.symbol === symbol);
  }

  order(input: OrderInput): Promise<OrderResult> {
    const request = this.requestOf(input);
    if ('ok' in request) return Promise.resolve(request);
    return Promise.resolve(this.#settle(this.#options.engine.submit(this.#options.accountId, request, this.time)));
  }

  cancel(orderId: string): Promise<OrderResult> {
    return Promise.resolve(this.#settle(this.#options.engine.cancel(this.#options.accountId, orderId, this.time)));
  }

  cancelAll(symbol?: string): Promise<void> {
    for (const order of this.openOrders(symbol)) this.#options.engine.cancel(this.#options.accountId, order.id, this.time);
    this.invalidate();
    return Promise.resolve();
  }

  closePosition(symbol: string): Promise<OrderResult | null> {
    if (!this.position(symbol)) return Promise.resolve(null);
    return Promise.resolve(this.#settle(this.#options.engine.closePosition(this.#options.accountId, symbol, this.time)));
  }

  protected instrument(symbol: string): Instrument | null {
    return this.#options.instrument(symbol);
  }

  #settle(result: CommandResult<Order>): OrderResult {
    this.invalidate();
    return orderResultOf(result);
  }
}
