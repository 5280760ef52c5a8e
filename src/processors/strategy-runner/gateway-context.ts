import type { Order } from '../../model/order.ts';
import { accountStateOf, positionStatesOf } from '../../strategy/account-state.ts';
import { orderResultOf } from '../../strategy/order-input.ts';
import type { AccountState, OrderInput, OrderResult, PositionState } from '../../strategy/strategy-api.ts';
import { StrategyContextBase, type StrategyContextOptions } from '../../strategy/strategy-context-base.ts';
import type { CommandResult } from '../../trading/engine/command-result.ts';
import type { Instrument } from '../../trading/engine/instrument.ts';
import type { TradingGateway } from '../../trading/gateway.ts';

export interface GatewayContextOptions extends StrategyContextOptions {
  readonly gateway: TradingGateway;
  readonly accountId: string;
}

/** Alpaca's page limit: an account with more open orders shows the first 500. */
const OPEN_ORDERS_LIMIT = 500;

/**
 * A strategy's context live: the trading service over its async gateway. Commands resolve once the
 * gateway answered, so an accepted order is durable when the strategy's `await` returns.
 *
 * `account`, `position` and `openOrders` are synchronous, so they read a cached view of the account.
 * The rule: the view is refreshed (awaited) before a handler is called whenever something may have
 * moved it since the last refresh (an own command, a trade update of the account, a new price; the
 * processor calls `markStale`), and again after each command before its promise resolves. Within a
 * handler the view is therefore as of the handler's start or its last awaited command; fills the
 * trading service makes meanwhile show at the next refresh.
 */
export class GatewayContext extends StrategyContextBase {
  readonly #options: GatewayContextOptions;
  #instruments: Map<string, Instrument> | null = null;
  #account: AccountState = { cash: 0, equity: 0, buyingPower: 0, realizedPl: 0, unrealizedPl: 0, fees: 0 };
  #positions = new Map<string, PositionState>();
  #openOrders: readonly Order[] = [];
  #stale = true;

  constructor(options: GatewayContextOptions) {
    super(options);
    this.#options = options;
  }

  markStale(): void {
    this.#stale = true;
  }

  /** Reads the account again when it may have moved; `false` when the account is gone. */
  async refreshIfStale(): Promise<boolean> {
    return this.#stale ? this.refresh() : true;
  }

  async refresh(): Promise<boolean> {
    const { gateway, accountId } = this.#options;
    const [summary, positions, open] = await Promise.all([
      gateway.account(accountId),
      gateway.positions(accountId),
      gateway.orders(accountId, { status: 'open', limit: OPEN_ORDERS_LIMIT, direction: 'asc' }),
    ]);
    if (!summary) return false;
    this.#account = accountStateOf(summary);
    this.#positions = positionStatesOf(positions);
    this.#openOrders = open;
    this.#stale = false;
    return true;
  }

  get account(): AccountState {
    return this.#account;
  }

  position(symbol: string): PositionState | null {
    return this.#positions.get(symbol) ?? null;
  }

  openOrders(symbol?: string): readonly Order[] {
    return symbol === undefined ? this.#openOrders : this.#openOrders.filter((order) => order.symbol === symbol);
  }

  order(input: OrderInput): Promise<OrderResult> {
    const request = this.requestOf(input);
    if ('ok' in request) return Promise.resolve(request);
    return this.#command(this.#options.gateway.submitOrder(this.#options.accountId, request));
  }

  cancel(orderId: string): Promise<OrderResult> {
    return this.#command(this.#options.gateway.cancelOrder(this.#options.accountId, orderId));
  }

  async cancelAll(symbol?: string): Promise<void> {
    const { gateway, accountId } = this.#options;
    if (symbol === undefined) await gateway.cancelAllOrders(accountId);
    else for (const order of this.openOrders(symbol)) await gateway.cancelOrder(accountId, order.id);
    await this.refresh();
  }

  closePosition(symbol: string): Promise<OrderResult | null> {
    if (!this.position(symbol)) return Promise.resolve(null);
    return this.#command(this.#options.gateway.closePosition(this.#options.accountId, symbol, {}));
  }

  async #command(pending: Promise<CommandResult<Order>>): Promise<OrderResult> {
    const result = await pending;
    await this.refresh();
    return orderResultOf(result);
  }

  protected instrument(symbol: string): Instrument | null {
    this.#instruments ??= new Map(this.#options.gateway.instruments().map((instrument) => [instrument.symbol, instrument]));
    return this.#instruments.get(symbol) ?? null;
  }
}
