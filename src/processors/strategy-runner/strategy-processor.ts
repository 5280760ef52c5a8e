import type { BusRecord } from '../../bus/bus.ts';
import { callHandler } from '../../strategy/call-handler.ts';
import { SessionClock } from '../../strategy/session-clock.ts';
import type { Clock } from '../../clock.ts';
import { ConfigError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import { DEFAULT_FILL_MODEL } from '../../model/account.ts';
import { validateAggregatedRecord } from '../../model/aggregated-record.ts';
import type { BarPeriod } from '../../model/bar.ts';
import { validateMarketRecord } from '../../model/market-record.ts';
import { validateTradeUpdate } from '../../model/trade-update.ts';
import { handlersProblem, type LoadedStrategy } from '../../strategy/load-strategy.ts';
import { seededRandom } from '../../strategy/seeded-random.ts';
import type { StrategyHandlers, StrategyLog } from '../../strategy/strategy-api.ts';
import { StrategyError } from '../../strategy/strategy-error.ts';
import type { TradingGateway } from '../../trading/gateway.ts';
import type { Processor } from '../runner/processor.ts';
import { GatewayContext } from './gateway-context.ts';

/** What `tickflow up --strategy --account --param` asks for: a loaded module, its resolved parameters, and the account (an id or `default`). */
export interface LiveStrategy {
  readonly strategy: LoadedStrategy;
  readonly params: Readonly<Record<string, unknown>>;
  readonly account: string;
}

export interface StrategyProcessorOptions {
  readonly topics: { readonly raw: string; readonly metrics: string; readonly executions: string };
  readonly strategy: LoadedStrategy;
  readonly params: Readonly<Record<string, unknown>>;
  /** The trading service, in process. */
  readonly gateway: TradingGateway;
  /** The account id the strategy trades (`default` resolved); `null` while there is none. */
  readonly resolveAccount: () => Promise<string | null>;
  readonly clock: Clock;
  /** Seed of `ctx.random()`; default the clock's time at start. */
  readonly seed?: number;
  readonly logger?: Logger;
}

type Handler = keyof StrategyHandlers;

/**
 * Runs a user's strategy module live on a paper account: trades and quotes from the raw topic, the
 * aggregator's bars (of the intervals the strategy declares, default 1m) and quote bars from the
 * aggregated topic, the account's trade updates from the executions topic, and the session clock on
 * event time. Handlers are called one at a time in the order records arrive, each awaited; a batch is
 * done once its handlers returned, so every order they placed is durable.
 *
 * Unlike a backtest, a handler that throws does not stop the run: the error (the strategy's file and
 * line) is logged and counted, and the next event reaches the strategy as usual. `setup` runs at the
 * first batch, with the account as it is then.
 */
export class StrategyProcessor implements Processor {
  readonly name = 'strategy';
  readonly topics: readonly string[];
  readonly #options: StrategyProcessorOptions;
  readonly #log: Logger;
  readonly #intervals: ReadonlySet<BarPeriod>;
  readonly #prices = new Map<string, number>();
  readonly #sessions = new SessionClock();
  readonly #counters = { trades: 0, quotes: 0, bars: 0, quoteBars: 0, clock: 0, orderUpdates: 0, invalid: 0, errors: 0, noAccount: 0 };
  #context: GatewayContext | null = null;
  #accountId: string | null = null;
  #handlers: StrategyHandlers | null = null;

  constructor(options: StrategyProcessorOptions) {
    if (!options.gateway) throw new ConfigError('strategy: the trading service is required');
    this.#options = options;
    this.topics = [options.topics.raw, options.topics.metrics, options.topics.executions];
    this.#intervals = new Set(options.strategy.definition.bars ?? ['1m']);
    this.#log = (options.logger ?? silentLogger()).child({ component: this.name, strategy: options.strategy.definition.name });
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    if (!(await this.#started())) {
      this.#counters.noAccount += batch.length;
      return batch;
    }
    for (const record of batch) await this.#record(record);
    return batch;
  }

  async close(): Promise<readonly BusRecord[]> {
    if (this.#handlers?.onStop) await this.#call('onStop', null, this.#options.clock.now(), () => this.#handlers?.onStop?.());
    return [];
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#counters };
  }

  async #started(): Promise<boolean> {
    if (this.#handlers) return true;
    const accountId = await this.#options.resolveAccount();
    if (accountId === null) {
      this.#log.warn('no paper account yet; the strategy waits for one');
      return false;
    }
    const { strategy } = this.#options;
    const log = (level: 'info' | 'warn'): StrategyLog[typeof level] => (message, fields) => this.#log[level]({ ...fields, time: this.#context?.time }, message);
    const context = new GatewayContext({
      gateway: this.#options.gateway,
      accountId,
      params: this.#options.params,
      prices: this.#prices,
      marketReserveBps: DEFAULT_FILL_MODEL.marketReserveBps,
      log: { info: log('info'), warn: log('warn') },
      random: seededRandom(this.#options.seed ?? this.#options.clock.now()),
    });
    if (!(await context.refresh())) return false;
    this.#context = context;
    this.#accountId = accountId;
    context.time = this.#options.clock.now();
    const handlers = await this.#guarded(() => callHandler(strategy, 'setup', () => strategy.definition.setup(context as never), null));
    const problem = handlers === undefined ? 'setup failed' : handlersProblem(handlers);
    if (problem) {
      if (handlers !== undefined) this.#failed(new StrategyError(`strategy ${strategy.path}: ${problem}`));
      this.#handlers = {};
      this.#log.error('the strategy has no handlers; it sees no events until tickflow restarts');
    } else this.#handlers = handlers!;
    this.#log.info({ account: accountId }, 'strategy started');
    return true;
  }

  async #record(record: BusRecord): Promise<void> {
    const { raw, metrics } = this.#options.topics;
    if (record.topic === raw) return this.#market(record);
    if (record.topic === metrics) return this.#aggregated(record);
    return this.#execution(record);
  }

  async #market(record: BusRecord): Promise<void> {
    const event = validateMarketRecord(record.value);
    if (typeof event === 'string') return this.#invalid(record, event);
    if (event.type === 'gap') return;
    await this.#clockTo(event.symbol, event.tsEvent);
    if (event.type === 'trade') {
      this.#counters.trades++;
      this.#price(event.symbol, event.price);
      await this.#call('onTrade', event, event.tsEvent, () => this.#handlers?.onTrade?.(event));
    } else {
      this.#counters.quotes++;
      await this.#call('onQuote', event, event.tsEvent, () => this.#handlers?.onQuote?.(event));
    }
  }

  async #aggregated(record: BusRecord): Promise<void> {
    const event = validateAggregatedRecord(record.value);
    if (typeof event === 'string') return this.#invalid(record, event);
    if (event.type === 'window-metrics' || !this.#intervals.has(event.interval)) return;
    await this.#clockTo(event.symbol, event.tsEvent);
    if (event.type === 'bar') {
      this.#counters.bars++;
      this.#price(event.symbol, event.close);
      await this.#call('onBar', event, event.tsEvent, () => this.#handlers?.onBar?.(event));
    } else {
      this.#counters.quoteBars++;
      await this.#call('onQuoteBar', event, event.tsEvent, () => this.#handlers?.onQuoteBar?.(event));
    }
  }

  async #execution(record: BusRecord): Promise<void> {
    const update = validateTradeUpdate(record.value);
    if (typeof update === 'string') return this.#invalid(record, update);
    if (update.account_id !== this.#accountId) return;
    this.#counters.orderUpdates++;
    this.#context?.markStale();
    await this.#call('onOrderUpdate', update, update.timestamp, () => this.#handlers?.onOrderUpdate?.(update));
  }

  async #clockTo(symbol: string, time: number): Promise<void> {
    this.#sessions.follow(symbol, time);
    for (const tick of this.#sessions.passTo(time)) {
      this.#counters.clock++;
      await this.#call('onClock', tick, tick.time, () => this.#handlers?.onClock?.(tick));
    }
  }

  #price(symbol: string, price: number): void {
    this.#prices.set(symbol, price);
    this.#context?.markStale();
  }

  /** Calls a handler the strategy has, with the account view fresh and the clock at the event. */
  async #call(handler: Handler, what: unknown, time: number, call: () => unknown): Promise<void> {
    const context = this.#context;
    if (!context || !this.#handlers?.[handler]) return;
    if (!(await context.refreshIfStale())) return;
    context.time = time;
    await this.#guarded(() => callHandler(this.#options.strategy, handler, call, what));
  }

  /** A live process must not die on one bad event: a strategy's error is logged and counted, then the run goes on. */
  async #guarded<T>(call: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StrategyError)) throw error;
      this.#failed(error);
      return undefined;
    }
  }

  #failed(error: StrategyError): void {
    this.#counters.errors++;
    this.#log.error({ location: error.location }, error.message);
  }

  #invalid(record: BusRecord, reason: string): void {
    this.#counters.invalid++;
    this.#log.warn({ topic: record.topic, partition: record.partition, offset: record.offset, reason }, 'not a record the strategy reads; skipped');
  }
}
