import type { AccountConfig } from '../../model/account.ts';
import type { Bar } from '../../model/bar.ts';
import type { Trade } from '../../model/trade.ts';
import { BarBuilder } from '../../processors/bars/bar-builder.ts';
import { leanEquityEligibility } from '../../sources/replay/lean/sale-conditions.ts';
import { leanEquityPrints } from '../../trading/fills/lean-prints.ts';
import { TradingEngine } from '../../trading/engine/trading-engine.ts';
import { tradingCalendar } from '../../trading/service/calendar-adapter.ts';
import { instrumentOf } from '../../trading/service/instruments.ts';
import { handlersProblem, type LoadedStrategy } from '../../strategy/load-strategy.ts';
import { seededRandom } from '../../strategy/seeded-random.ts';
import type { ClockEvent, StrategyHandlers, StrategyLog } from '../../strategy/strategy-api.ts';
import { StrategyError } from '../../strategy/strategy-error.ts';
import type { MarketEvent } from '../data/market-event.ts';
import { EngineContext } from './engine-context.ts';
import { callHandler } from '../../strategy/call-handler.ts';
import { PriceMinutes } from './price-minutes.ts';
import { RunRecorder } from './run-recorder.ts';
import { SessionClock } from '../../strategy/session-clock.ts';

export interface RunOptions {
  readonly strategy: LoadedStrategy;
  readonly params: Readonly<Record<string, unknown>>;
  readonly account: AccountConfig;
  readonly seed: number;
  /** Held buy-and-hold alongside (default SPY); its market's time zone counts the trading days. */
  readonly benchmark: string | null;
  readonly timeZone: string;
  readonly log: (time: number, level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

const MINUTE = 60_000;
const NO_BARS: readonly Bar[] = [];

/**
 * One strategy with one set of parameters on one paper account, fed the data's events in order.
 * The engine sees each event first (fills of orders placed earlier), then the strategy; what the
 * strategy orders takes effect from its event's time on.
 */
export class BacktestRun {
  readonly options: RunOptions;
  readonly engine: TradingEngine;
  readonly recorder: RunRecorder;
  readonly priceMinutes = new PriceMinutes();
  readonly prices = new Map<string, number>();
  readonly traded = new Set<string>();
  #context!: EngineContext;
  #handlers: StrategyHandlers = {};
  readonly #clock = new SessionClock();
  #bars: BarBuilder | null = null;
  #minute = Number.NaN;
  #lastTime = Number.NaN;
  #benchmarkFirst: number | null = null;

  constructor(options: RunOptions) {
    this.options = options;
    this.engine = new TradingEngine({ instrument: instrumentOf, calendar: tradingCalendar, prints: leanEquityPrints });
    this.recorder = new RunRecorder({ startingCash: options.account.startingCash, timeZone: options.timeZone });
  }

  get accountId(): string {
    return this.options.account.id;
  }

  async start(time: number): Promise<void> {
    const created = this.engine.createAccount(this.options.account, time);
    if (!created.ok) throw new StrategyError(`account: ${created.message}`);
    const log = (level: 'info' | 'warn'): StrategyLog[typeof level] => (message, fields) => this.options.log(this.#context.time, level, message, fields);
    this.#context = new EngineContext({
      engine: this.engine,
      accountId: this.accountId,
      instrument: instrumentOf,
      params: this.options.params,
      prices: this.prices,
      marketReserveBps: this.options.account.fills.marketReserveBps,
      log: { info: log('info'), warn: log('warn') },
      random: seededRandom(this.options.seed),
    });
    this.#context.time = time;
    const { definition } = this.options.strategy;
    const handlers = await callHandler(this.options.strategy, 'setup', () => definition.setup(this.#context as never), null);
    const problem = handlersProblem(handlers);
    if (problem) throw new StrategyError(`strategy ${this.options.strategy.path}: ${problem}`);
    this.#handlers = handlers;
    if (handlers.onBar) this.#bars = new BarBuilder({ intervals: definition.bars ?? ['1m'], eligibility: leanEquityEligibility });
    this.#lastTime = time;
  }

  /**
   * Feeds one event. Returns a promise only when a handler ran or an order moved (the caller awaits
   * it before the next event); a print that only marks the tape is handled synchronously.
   */
  event(event: MarketEvent): Promise<void> | undefined {
    const time = event.tsEvent;
    this.#sampleOnNewMinute(time);
    this.#clock.follow(event.symbol, time);
    const ticks = this.#clock.passTo(time);
    if (event.type === 'trade' && ticks.length === 0 && !this.#handlers.onTrade) {
      const closed = this.#bars ? this.#bars.advanceTo(time) : NO_BARS;
      if (closed.length === 0) {
        this.#applyTrade(event);
        return this.#settleSync();
      }
      return this.#eventAfter(ticks, closed, event);
    }
    return this.#eventAfter(ticks, NO_BARS, event);
  }

  async #eventAfter(ticks: readonly ClockEvent[], closed: readonly Bar[], event: MarketEvent): Promise<void> {
    const time = event.tsEvent;
    for (const tick of ticks) await this.#clockEvent(tick);
    for (const bar of closed) await this.#builtBar(bar);
    switch (event.type) {
      case 'trade':
        await this.#trade(event);
        break;
      case 'bar':
        this.engine.bar(event);
        this.#price(event.symbol, event.close, event);
        await this.#marketEvent(time, 'onBar', event, () => this.#handlers.onBar?.(event));
        break;
      case 'quote':
        this.engine.advance(time);
        await this.#marketEvent(time, 'onQuote', event, () => this.#handlers.onQuote?.(event));
        break;
      case 'quote-bar':
        this.engine.advance(time);
        await this.#marketEvent(time, 'onQuoteBar', event, () => this.#handlers.onQuoteBar?.(event));
        break;
    }
    if (time > this.#lastTime) this.#lastTime = time;
  }

  /** After a synchronous step: nothing to do unless the engine emitted events. */
  #settleSync(): Promise<void> | undefined {
    return this.engine.hasEvents() ? this.#deliverUpdates() : undefined;
  }

  /** After the last event: the bars still open, a last sample, `onStop`. */
  async finish(): Promise<void> {
    if (this.#bars) for (const bar of this.#bars.flush(this.#lastTime)) await this.#builtBar(bar);
    // A bar leaves the engine at its start; what falls due by the last event's time (a close) happens now.
    this.engine.advance(this.#lastTime);
    this.#context.time = this.#lastTime;
    await this.#call('onStop', null, () => this.#handlers.onStop?.());
    await this.#deliverUpdates();
    this.#sample(this.#lastTime);
    this.recorder.finish();
  }

  async #trade(trade: Trade): Promise<void> {
    if (this.#bars) for (const bar of this.#bars.advanceTo(trade.tsEvent)) await this.#builtBar(bar);
    this.#applyTrade(trade);
    if (this.#handlers.onTrade) await this.#marketEvent(trade.tsEvent, 'onTrade', trade, () => this.#handlers.onTrade?.(trade));
    else await this.#deliverUpdates();
  }

  #applyTrade(trade: Trade): void {
    this.engine.trade(trade);
    this.#price(trade.symbol, trade.price, null, trade);
    this.#bars?.add(trade, trade.tsEvent);
    if (trade.tsEvent > this.#lastTime) this.#lastTime = trade.tsEvent;
  }

  /** A bar built from ticks: the engine saw its trades already. */
  async #builtBar(bar: Bar): Promise<void> {
    await this.#marketEvent(bar.end, 'onBar', bar, () => this.#handlers.onBar?.(bar));
  }

  async #clockEvent(tick: ClockEvent): Promise<void> {
    this.engine.advance(tick.time);
    await this.#marketEvent(tick.time, 'onClock', tick, () => this.#handlers.onClock?.(tick));
  }

  async #marketEvent(time: number, handler: keyof StrategyHandlers, what: unknown, call: () => unknown): Promise<void> {
    await this.#deliverUpdates();
    this.#context.time = Math.max(time, this.engine.now);
    this.#context.invalidate();
    await this.#call(handler, what, call);
    await this.#deliverUpdates();
  }

  async #deliverUpdates(): Promise<void> {
    const updates = this.engine.takeEvents();
    if (updates.length === 0) return;
    this.recorder.updates(updates);
    for (const update of updates) if (update.fill) this.traded.add(update.order.symbol);
    const onOrderUpdate = this.#handlers.onOrderUpdate;
    if (!onOrderUpdate) return;
    this.#context.invalidate();
    for (const update of updates) await this.#call('onOrderUpdate', update, () => onOrderUpdate(update));
    // Orders placed in onOrderUpdate have events of their own.
    await this.#deliverUpdates();
  }

  #call(handler: string, what: unknown, call: () => unknown): Promise<void> | void {
    return callHandler(this.options.strategy, handler, call, what) as Promise<void> | void;
  }

  #price(symbol: string, price: number, bar: Bar | null, trade?: Trade): void {
    this.prices.set(symbol, price);
    if (bar) this.priceMinutes.bar(symbol, { time: bar.start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });
    else if (trade) this.priceMinutes.trade(symbol, trade.tsEvent, price, trade.size);
    if (symbol === this.options.benchmark && this.#benchmarkFirst === null) this.#benchmarkFirst = bar ? bar.open : price;
  }

  #sampleOnNewMinute(time: number): void {
    const minute = Math.floor(time / MINUTE);
    if (minute !== this.#minute && !Number.isNaN(this.#minute)) this.#sample(this.#lastTime);
    this.#minute = minute;
  }

  #sample(time: number): void {
    const benchmark = this.options.benchmark;
    const price = benchmark === null ? null : (this.prices.get(benchmark) ?? null);
    this.recorder.sample(time, this.engine.account(this.accountId)!, benchmark === null ? null : (price ?? this.#benchmarkFirst ?? 1), benchmark === null ? null : (this.#benchmarkFirst ?? 1));
  }

  get benchmarkSeen(): boolean {
    return this.#benchmarkFirst !== null;
  }
}
