import type { AccountConfig } from '../model/account.ts';
import type { Order, OrderReplace, OrderRequest } from '../model/order.ts';
import type { TradeUpdate } from '../model/trade-update.ts';
import type { CommandResult } from './engine/command-result.ts';
import type { Instrument } from './engine/instrument.ts';
import type { AccountSummary, PositionView } from './engine/account-view.ts';
import type { ClosePositionOptions } from './engine/trading-engine.ts';

/** Which orders `orders()` lists, as Alpaca's `GET /v2/orders` query names them. */
export interface OrderQuery {
  readonly status: 'open' | 'closed' | 'all';
  /** At most 500. */
  readonly limit: number;
  /** Unix ms: only orders submitted after / until these times. */
  readonly after?: number;
  readonly until?: number;
  readonly direction: 'asc' | 'desc';
  readonly symbols?: readonly string[];
}

/** One entry of `GET /v2/account/activities`: a fill (`FILL`) or a fee (`FEE`). */
export interface ActivityQuery {
  readonly types?: readonly ('FILL' | 'FEE')[];
  readonly after?: number;
  readonly until?: number;
  readonly direction: 'asc' | 'desc';
  readonly pageSize: number;
  /** The id of the last activity of the previous page. */
  readonly pageToken?: string;
}

/** Equity sampled on the engine's clock (every minute and at each session close). */
export interface EquityPoint {
  readonly timestamp: number;
  readonly equity: string;
  readonly profitLoss: string;
  readonly profitLossPct: string;
}

/** An account as `accounts()` lists it: its figures and when it was made (Unix ms). */
export type AccountListing = AccountSummary & { readonly created_at: number };

export interface AccountCredentials {
  readonly accountId: string;
  readonly keyId: string;
  /** Shown once, when created; only its hash is kept. */
  readonly secret: string;
}

/**
 * What the paper-trading API (Alpaca's /v2 shape) and the dashboard need of the trading service: the
 * one port between HTTP and the engine. Every command is durable when its promise resolves with
 * `ok: true` (the order is stored before the API answers); a rejection changed nothing.
 */
export interface TradingGateway {
  /** The account whose API key this is, or `null` (unknown key id or wrong secret; compared in constant time). */
  authenticate(keyId: string, secret: string): Promise<string | null>;
  /** A new account with its first API key; what `config` leaves out takes the engine's defaults (`accountConfig`). */
  createAccount(config: Partial<Omit<AccountConfig, 'type' | 'id'>>): Promise<AccountCredentials>;
  resetAccount(accountId: string): Promise<CommandResult<AccountSummary>>;
  accounts(): Promise<readonly AccountListing[]>;
  account(accountId: string): Promise<AccountSummary | null>;

  submitOrder(accountId: string, request: OrderRequest): Promise<CommandResult<Order>>;
  replaceOrder(accountId: string, orderId: string, change: OrderReplace): Promise<CommandResult<Order>>;
  cancelOrder(accountId: string, orderId: string): Promise<CommandResult<Order>>;
  cancelAllOrders(accountId: string): Promise<CommandResult<readonly Order[]>>;
  orders(accountId: string, query: OrderQuery): Promise<readonly Order[]>;
  /** Any order of the account, open or not. */
  order(accountId: string, orderId: string): Promise<Order | null>;
  orderByClientId(accountId: string, clientOrderId: string): Promise<Order | null>;

  positions(accountId: string): Promise<readonly PositionView[]>;
  position(accountId: string, symbol: string): Promise<PositionView | null>;
  closePosition(accountId: string, symbol: string, options: ClosePositionOptions): Promise<CommandResult<Order>>;
  closeAllPositions(accountId: string): Promise<CommandResult<readonly Order[]>>;

  activities(accountId: string, query: ActivityQuery): Promise<readonly TradeUpdate[]>;
  equityHistory(accountId: string, from: number, to: number): Promise<readonly EquityPoint[]>;

  /** What `GET /v2/assets` lists: every symbol tickflow streams, as the engine sees it. */
  instruments(): readonly Instrument[];

  /** Live trade updates of one account, in order, from now on (the `trade_updates` stream). Returns an unsubscribe function. */
  subscribe(accountId: string, listener: (update: TradeUpdate) => void): () => void;
}
