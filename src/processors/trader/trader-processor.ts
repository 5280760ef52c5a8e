import type { BusRecord } from '../../bus/bus.ts';
import type { Clock } from '../../clock.ts';
import { ConfigError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import { parseFixed } from '../../model/fixed-point.ts';
import { validateTradingSignal, type TradingSignal } from '../../model/signal.ts';
import type { TradingGateway } from '../../trading/gateway.ts';
import { signalOrderId } from '../../trading/trader/signal-order-id.ts';
import { decideTrade } from '../../trading/trader/trade-decision.ts';
import type { Processor } from '../runner/processor.ts';
import type { TraderConfig } from './trader-config.ts';

export interface TraderProcessorOptions {
  /** `trading-signals`. */
  readonly input: string;
  readonly traders: readonly TraderConfig[];
  /** The trading service, in process: the same gateway the API uses. */
  readonly gateway: TradingGateway;
  /** An account id for a trader's `account` (`default` included); `null` while there is none. */
  readonly resolveAccount: (account: string) => Promise<string | null>;
  /**
   * Live: signals older than `maxSignalAgeMs` by the clock are not traded (a new consumer group
   * starts at the topic's beginning, and yesterday's signals are no reason to trade today).
   * Replays trade every signal.
   */
  readonly live: boolean;
  readonly clock: Clock;
  readonly maxSignalAgeMs?: number;
  readonly logger?: Logger;
}

export const TRADER_DEFAULTS = { maxSignalAgeMs: 60_000 } as const;

/**
 * Turns the configured strategies' signals into paper orders, per trader (trading/trader/ decides).
 * Signals are handled one at a time, in order, each decision reading the account as the previous
 * order left it. A batch is reported done only once every order it made is durable (the gateway's
 * promise resolved), so the runner's commit trails the orders. A signal delivered again makes the
 * same client order id, which the engine refuses as a duplicate: counted, never a second order.
 */
export class TraderProcessor implements Processor {
  readonly name = 'trader';
  readonly topics: readonly string[];
  readonly #options: TraderProcessorOptions;
  readonly #log: Logger;
  readonly #counters = { signals: 0, invalid: 0, stale: 0, submitted: 0, refused: 0, duplicate: 0, skipped: 0, noAccount: 0 };
  readonly #perTrader = new Map<string, number>();

  constructor(options: TraderProcessorOptions) {
    if (typeof options.input !== 'string' || options.input === '') throw new ConfigError('trader: input topic is required');
    if (!options.gateway) throw new ConfigError('trader: the trading service is required');
    this.#options = options;
    this.topics = [options.input];
    this.#log = (options.logger ?? silentLogger()).child({ component: this.name });
    for (const trader of options.traders) this.#perTrader.set(trader.id, 0);
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    for (const record of batch) {
      const signal = validateTradingSignal(record.value);
      if (typeof signal === 'string') {
        this.#counters.invalid++;
        this.#log.warn({ topic: record.topic, partition: record.partition, offset: record.offset, reason: signal }, 'not a trading signal; skipped');
        continue;
      }
      this.#counters.signals++;
      if (this.#isStale(signal)) {
        this.#counters.stale++;
        continue;
      }
      for (const trader of this.#options.traders) {
        if (trader.strategies.includes(signal.strategy) && (!trader.symbols || trader.symbols.includes(signal.symbol))) await this.#trade(trader, signal);
      }
    }
    return batch;
  }

  stats(): Readonly<Record<string, number>> {
    const out: Record<string, number> = { ...this.#counters };
    for (const [id, count] of this.#perTrader) out[`orders_${id}`] = count;
    return out;
  }

  #isStale(signal: TradingSignal): boolean {
    return this.#options.live && signal.tsEvent < this.#options.clock.now() - (this.#options.maxSignalAgeMs ?? TRADER_DEFAULTS.maxSignalAgeMs);
  }

  async #trade(trader: TraderConfig, signal: TradingSignal): Promise<void> {
    const { gateway } = this.#options;
    const accountId = await this.#options.resolveAccount(trader.account);
    const account = accountId === null ? null : await gateway.account(accountId);
    if (accountId === null || account === null) {
      this.#counters.noAccount++;
      this.#log.warn({ trader: trader.id, account: trader.account }, 'no such paper account; signal not traded');
      return;
    }
    const [position, open] = await Promise.all([gateway.position(accountId, signal.symbol), gateway.orders(accountId, { status: 'open', limit: 1, direction: 'asc', symbols: [signal.symbol] })]);
    const decision = decideTrade({
      signal,
      instrument: gateway.instruments().find((instrument) => instrument.symbol === signal.symbol) ?? null,
      position: position ? (parseFixed(position.qty) ?? 0n) : 0n,
      equity: parseFixed(account.equity) ?? 0n,
      openOrders: open.length,
      sizing: trader.sizing,
      positionRule: trader.position,
      clientOrderId: signalOrderId(trader.id, signal),
    });
    const context = { trader: trader.id, strategy: signal.strategy, symbol: signal.symbol, reason: decision.reason };
    if (decision.kind === 'none') {
      this.#counters.skipped++;
      this.#log.debug(context, 'signal makes no order');
      return;
    }
    const result = await gateway.submitOrder(accountId, decision.request);
    if (result.ok) {
      this.#counters.submitted++;
      this.#perTrader.set(trader.id, (this.#perTrader.get(trader.id) ?? 0) + 1);
      this.#log.info({ ...context, order: result.value.id, clientOrderId: result.value.client_order_id }, 'order submitted');
    } else if (result.code === 'duplicate') {
      this.#counters.duplicate++;
      this.#log.debug({ ...context, clientOrderId: decision.request.client_order_id }, 'signal already traded');
    } else {
      this.#counters.refused++;
      this.#log.info({ ...context, code: result.code, refusal: result.message }, 'order refused');
    }
  }
}
