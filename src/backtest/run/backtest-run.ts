import type { AccountConfig } from '../../model/account.ts';
import type { Bar } from '../../model/bar.ts';
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
import { RunRecorder } from './run-recorder.ts';
import type { SharedMarket } from './shared-market.ts';
import type { Print } from '../../trading/fills/print.ts';

export interface RunOptions {
  readonly strategy: LoadedStrategy;
  readonly params: Readonly<Record<string, unknown>>;
  readonly account: AccountConfig;
  readonly seed: number;
  /** Held buy-and-hold alongside (default SPY); its market's time zone counts the trading days. */
  readonly benchmark: string | null;
  readonly timeZone: string;
  readonly log: (time: number, level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /** What the data means for every run alike (shared by the runs of a sweep). */
  readonly market: SharedMarket;
}

const MINUTE = 60_000;

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
  readonly prices = new Map<string, number>();
  readonly traded = new Set<string>();
  #context!: EngineContext;
  #handlers: StrategyHandlers = {};
  #minute = Number.NaN;
  #lastTime = Number.NaN;

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
    this.#lastTime = time;
  }

  /** Whether the strategy takes bars (so ticks must be built into bars). */
  get wantsBars(): boolean {
    return this.#handlers.onBar !== undefined;
  }

  /**
   * Feeds one event. Returns a promise only when a handler made one (the caller awaits it before the
   * next event): synchronous strategies and prints that only mark the tape cost no promise.
   */
  event(event: MarketEvent): Step {
    const time = event.tsEvent;
    this.#sampleOnNewMinute(time);
    const { ticks, closed, print } = this.options.market.step(event);
    const step =
      ticks.length === 0 && closed.length === 0
        ? this.#marketData(event, print)
        : this.#each(ticks, (tick) => this.#clockEvent(tick), () => this.#each(closed, (bar) => this.#builtBar(bar), () => this.#marketData(event, print)));
    if (time > this.#lastTime) this.#lastTime = time;
    return step;
  }

  /** After the last event: the bars still open, a last sample, `onStop`. */
  async finish(): Promise<void> {
    await this.#each(this.options.market.flush(this.#lastTime), (bar) => this.#builtBar(bar));
    // A bar leaves the engine at its start; what falls due by the last event's time (a close) happens now.
    this.engine.advance(this.#lastTime);
    this.#context.time = this.#lastTime;
    await this.#call('onStop', null, () => this.#handlers.onStop?.());
    await this.#deliverUpdates();
    this.#sample(this.#lastTime);
    this.recorder.finish();
  }

  #marketData(event: MarketEvent, print: Print | null): Step {
    const time = event.tsEvent;
    switch (event.type) {
      case 'trade':
        this.engine.print(print!);
        this.prices.set(event.symbol, event.price);
        return this.#marketEvent(time, 'onTrade', event, this.#handlers.onTrade);
      case 'bar':
        this.engine.bar(event);
        this.prices.set(event.symbol, event.close);
        return this.#marketEvent(time, 'onBar', event, this.#handlers.onBar);
      case 'quote':
        this.engine.advance(time);
        return this.#marketEvent(time, 'onQuote', event, this.#handlers.onQuote);
      case 'quote-bar':
        this.engine.advance(time);
        return this.#marketEvent(time, 'onQuoteBar', event, this.#handlers.onQuoteBar);
    }
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

  #sampleOnNewMinute(time: number): void {
    const minute = Math.floor(time / MINUTE);
    if (minute !== this.#minute && !Number.isNaN(this.#minute)) this.#sample(this.#lastTime);
    this.#minute = minute;
  }

  #sample(time: number): void {
    const benchmark = this.options.benchmark;
    const price = benchmark === null ? null : (this.prices.get(benchmark) ?? null);
    const first = this.options.market.benchmarkFirst;
    this.recorder.sample(time, this.engine.valuation(this.accountId)!, benchmark === null ? null : (price ?? first ?? 1), benchmark === null ? null : (first ?? 1));
  }
}
