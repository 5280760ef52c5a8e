import type * as Indicators from 'trading-signals';
import type { Bar, BarInterval } from '../model/bar.ts';
import type { Order, OrderSide, OrderType, TimeInForce } from '../model/order.ts';
import type { QuoteBar } from '../model/quote-bar.ts';
import type { Quote } from '../model/quote.ts';
import type { TradeUpdate } from '../model/trade-update.ts';
import type { Trade } from '../model/trade.ts';
import type { ParamSchema, ParamValues } from './params.ts';

export type { Bar, Order, Quote, QuoteBar, Trade, TradeUpdate };
export type { ParamSchema, ParamSpec, ParamValues } from './params.ts';

/**
 * A strategy as users write it: a module whose default export is `defineStrategy({...})` (or the
 * same plain object). The same module runs in a backtest (`tickflow backtest --strategy`) and live on
 * a paper account (`tickflow up --strategy --account`).
 *
 * `setup(ctx)` is called once per run, with the account funded, and returns the handlers; keep the
 * strategy's state (indicators, flags) in `setup`'s scope, not at the module's top level, so every
 * run of a parameter sweep starts fresh.
 *
 * Handlers are called one at a time, in event-time order, and may be `async`: the next event waits
 * for the handler's promise. Every handler is optional. A handler sees the market as it is at the
 * event: the engine has already applied the event to open orders (a bar's open filled the market
 * orders placed at the previous bar's close before `onBar` sees that bar).
 *
 * Determinism: decide from the events and the context alone. `ctx.time` is the clock (event time);
 * `ctx.random()` is the only randomness (seeded by the run). The same data and parameters then give
 * the same orders, fills and report, byte for byte.
 */
export interface StrategyDefinition<S extends ParamSchema = ParamSchema> {
  /** Shown in reports and logs. */
  readonly name: string;
  readonly description?: string;
  /** Declared parameters: `--param fast=10` is checked against these and defaults fill the rest. */
  readonly params?: S;
  /** Bars built from tick data for `onBar` (default `['1m']`); data that is bars already is passed as it is. */
  readonly bars?: readonly BarInterval[];
  setup(ctx: StrategyContext<ParamValues<S>>): StrategyHandlers | Promise<StrategyHandlers>;
}

export interface StrategyHandlers {
  /** Every trade print of the data (tick data). */
  onTrade?(trade: Trade): void | Promise<void>;
  /** Every bar when it closes. */
  onBar?(bar: Bar): void | Promise<void>;
  onQuote?(quote: Quote): void | Promise<void>;
  onQuoteBar?(bar: QuoteBar): void | Promise<void>;
  /** The clock: the regular session's open and close of each traded market (US equities 09:30 / 16:00 New York). */
  onClock?(event: ClockEvent): void | Promise<void>;
  /** The account's own order events: `new`, `fill`, `partial_fill`, `canceled`, `expired`, `replaced`. */
  onOrderUpdate?(update: TradeUpdate): void | Promise<void>;
  /** After the last event (a backtest) or when stopping (live). */
  onStop?(): void | Promise<void>;
}

/** Identity, for type inference of `params` in `setup`. */
export function defineStrategy<S extends ParamSchema>(definition: StrategyDefinition<S>): StrategyDefinition<S> {
  return definition;
}

export interface ClockEvent {
  readonly kind: 'open' | 'close';
  /** The market (`us-equity`, `forex`, `crypto`) and the session's day, `YYYY-MM-DD` in its time zone. */
  readonly market: string;
  readonly date: string;
  /** Unix ms. */
  readonly time: number;
}

/** What a handler can see and do. Amounts are numbers (dollars, shares); the engine keeps them exact. */
export interface StrategyContext<P = Record<string, unknown>> {
  readonly params: Readonly<P>;
  /** Event time of the event being handled, Unix ms. */
  readonly time: number;
  readonly account: AccountState;
  position(symbol: string): PositionState | null;
  /** Open orders, of one symbol or all. */
  openOrders(symbol?: string): readonly Order[];
  /** The last trade price (or bar close) seen for a symbol, or `null`. */
  price(symbol: string): number | null;

  /** Any order the engine takes (every type and time in force); resolves when the engine accepted or rejected it. */
  order(request: OrderInput): Promise<OrderResult>;
  buy(symbol: string, qty: number, options?: OrderOptions): Promise<OrderResult>;
  sell(symbol: string, qty: number, options?: OrderOptions): Promise<OrderResult>;
  cancel(orderId: string): Promise<OrderResult>;
  cancelAll(symbol?: string): Promise<void>;
  /** Orders the difference between the position and `percent` (0..1, negative to short) of equity, at the last price. */
  targetPercent(symbol: string, percent: number, options?: OrderOptions): Promise<OrderResult | null>;
  closePosition(symbol: string): Promise<OrderResult | null>;

  /** trading-signals (https://github.com/bennycode/trading-signals): `new ctx.indicators.SMA(20)`. */
  readonly indicators: typeof Indicators;
  readonly log: StrategyLog;
  /** Uniform in [0, 1), seeded by the run (`--seed`): the only randomness a strategy should use. */
  random(): number;
}

export interface AccountState {
  readonly cash: number;
  readonly equity: number;
  readonly buyingPower: number;
  readonly realizedPl: number;
  readonly unrealizedPl: number;
  readonly fees: number;
}

export interface PositionState {
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly qty: number;
  readonly avgEntryPrice: number;
  readonly marketValue: number;
  readonly unrealizedPl: number;
}

export interface OrderOptions {
  /** Default `market`; `limit` needs `limitPrice`, `stop` needs `stopPrice`, … */
  readonly type?: OrderType;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly trailPrice?: number;
  readonly trailPercent?: number;
  /** Default `day` (`gtc` where the market never closes). */
  readonly timeInForce?: TimeInForce;
  readonly extendedHours?: boolean;
  readonly clientOrderId?: string;
}

export interface OrderInput extends OrderOptions {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Shares (or units); exactly one of `qty` and `notional`. */
  readonly qty?: number;
  /** Dollars, for fractionable assets. */
  readonly notional?: number;
}

export type OrderResult =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly code: string; readonly message: string };

export interface StrategyLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}
