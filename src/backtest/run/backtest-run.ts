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

/** A step of the run: `undefined` when it finished synchronously, else its promise. */
type Step = Promise<void> | undefined;

function then(step: Step, next: () => Step): Step {
  return step ? step.then(next) : next();
}

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
   * Feeds one event. Returns a promise only when a handler made one (the caller awaits it before the
   * next event): synchronous strategies and prints that only mark the tape cost no promise.
   */
  event(event: MarketEvent): Step {
    const time = event.tsEvent;
    this.#sampleOnNewMinute(time);
    this.#clock.follow(event.symbol, time);
    const ticks = this.#clock.passTo(time);
    const step = ticks.length === 0 ? this.#marketData(event) : this.#each(ticks, (tick) => this.#clockEvent(tick), () => this.#marketData(event));
    if (time > this.#lastTime) this.#lastTime = time;
    return step;
  }

  /** After the last event: the bars still open, a last sample, `onStop`. */
  async finish(): Promise<void> {
    if (this.#bars) await this.#each(this.#bars.flush(this.#lastTime), (bar) => this.#builtBar(bar));
    // A bar leaves the engine at its start; what falls due by the last event's time (a close) happens now.
    this.engine.advance(this.#lastTime);
    this.#context.time = this.#lastTime;
    await this.#call('onStop', null, () => this.#handlers.onStop?.());
    await this.#deliverUpdates();
    this.#sample(this.#lastTime);
    this.recorder.finish();
  }

  #marketData(event: MarketEvent): Step {
    const time = event.tsEvent;
    switch (event.type) {
      case 'trade': {
        const closed = this.#bars ? this.#bars.advanceTo(time) : NO_BARS;
        return closed.length === 0 ? this.#trade(event) : this.#each(closed, (bar) => this.#builtBar(bar), () => this.#trade(event));
      }
      case 'bar':
        this.engine.bar(event);
        this.#price(event.symbol, event.close, event);
        return this.#marketEvent(time, 'onBar', event, this.#handlers.onBar);
      case 'quote':
        this.engine.advance(time);
        return this.#marketEvent(time, 'onQuote', event, this.#handlers.onQuote);
      case 'quote-bar':
        this.engine.advance(time);
        return this.#marketEvent(time, 'onQuoteBar', event, this.#handlers.onQuoteBar);
    }
  }

  #trade(trade: Trade): Step {
    this.engine.trade(trade);
    this.#price(trade.symbol, trade.price, null, trade);
    this.#bars?.add(trade, trade.tsEvent);
    return this.#marketEvent(trade.tsEvent, 'onTrade', trade, this.#handlers.onTrade);
  }

  /** A bar built from ticks: the engine saw its trades already. */
  #builtBar(bar: Bar): Step {
    return this.#marketEvent(bar.end, 'onBar', bar, this.#handlers.onBar);
  }

  #clockEvent(tick: ClockEvent): Step {
    this.engine.advance(tick.time);
    return this.#marketEvent(tick.time, 'onClock', tick, this.#handlers.onClock);
  }

  /** The engine's events so far go out first; then the handler, if the strategy has one; then what it caused. */
  #marketEvent<E>(time: number, name: keyof StrategyHandlers, event: E, handler: ((event: E) => unknown) | undefined): Step {
    if (!handler) return this.#deliverUpdates();
    return then(this.#deliverUpdates(), () => {
      this.#context.time = Math.max(time, this.engine.now);
      this.#context.invalidate();
      return then(this.#call(name, event, () => handler(event)), () => this.#deliverUpdates());
    });
  }

  #deliverUpdates(): Step {
    if (!this.engine.hasEvents()) return undefined;
    const updates = this.engine.takeEvents();
    this.recorder.updates(updates);
    for (const update of updates) if (update.fill) this.traded.add(update.order.symbol);
    const onOrderUpdate = this.#handlers.onOrderUpdate;
    if (!onOrderUpdate) return undefined;
    this.#context.invalidate();
    // Orders placed in onOrderUpdate have events of their own.
    return this.#each(updates, (update) => this.#call('onOrderUpdate', update, () => onOrderUpdate(update)), () => this.#deliverUpdates());
  }

  /** `step` for each item in order, then `after`; synchronous as long as every step is. */
  #each<T>(items: readonly T[], step: (item: T) => Step, after: () => Step = () => undefined, from = 0): Step {
    for (let at = from; at < items.length; at++) {
      const pending = step(items[at]!);
      if (pending) return pending.then(() => this.#each(items, step, after, at + 1));
    }
    return after();
  }

  #call(handler: string, what: unknown, call: () => unknown): Step {
    const result = callHandler(this.options.strategy, handler, call, what);
    return result instanceof Promise ? (result as Promise<void>) : undefined;
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
    this.recorder.sample(time, this.engine.valuation(this.accountId)!, benchmark === null ? null : (price ?? this.#benchmarkFirst ?? 1), benchmark === null ? null : (this.#benchmarkFirst ?? 1));
  }

  get benchmarkSeen(): boolean {
    return this.#benchmarkFirst !== null;
  }
}
