import type { BusProducer, BusRecord, OutgoingRecord } from '../../bus/bus.ts';
import { ConfigError } from '../../errors.ts';
import type { SignalInput, TradingSignal } from '../../model/signal.ts';
import { validateMarketRecord } from '../../model/market-record.ts';
import type { Clock } from '../../clock.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import type { Processor } from '../runner/processor.ts';
import { validateAggregatedRecord } from '../../model/aggregated-record.ts';
import { SignalEngine, type EngineRecord } from './signal-engine.ts';
import type { StrategyConfig } from './strategy-config.ts';
import { planFor, strategyIds } from './strategy-registry.ts';
import { rejectedRecord } from '../runner/rejected-record.ts';

export interface SignalsProcessorOptions {
  readonly inputs: {
    /** `raw-market-data`: trades and gaps. */
    readonly raw: string;
    /** `aggregated-metrics`: window metrics and closed bars. */
    readonly metrics: string;
  };
  /** `trading-signals`. */
  readonly output: string;
  readonly deadLetters: string;
  readonly producer: BusProducer;
  readonly strategies: StrategyConfig;
  /** Stamps `tsRecv` of signals and dead letters; decisions never read it. */
  readonly clock: Clock;
  /**
   * Stamp them with the receive time of the input record that caused them instead (a replay, where
   * time is the recording's): the same input then gives the same signals, byte for byte.
   */
  readonly stampWithInputTime?: boolean;
  readonly logger?: Logger;
}

/**
 * Runs the configured strategies per symbol over trades, gaps, bars and window metrics, and
 * publishes their signals to `output` keyed by symbol.
 *
 * Delivery: at-least-once. A batch is reported done only once every signal (and dead letter) it
 * produced was acknowledged by the bus. When a send fails, the signals stay pending and the
 * processor throws; the runner redelivers from the last commit, records already applied (offset at
 * or below the highest applied of their partition) are skipped, so no record moves a strategy twice,
 * and the pending signals are sent first. A send that failed after the broker took it can give a
 * duplicate signal; consumers identify a signal by its `strategy` + `lineage`.
 *
 * State lives in memory only: after a restart the strategies warm up again from the last committed
 * offset (the first `slow` bars of a crossover produce nothing). Strategies are deterministic, so the
 * same records in the same order give the same signals; only `tsRecv` comes from the clock (or, with
 * `stampWithInputTime`, from the input).
 * A symbol's raw and metrics partitions should go to one member (co-partitioned topics) for gaps to
 * reset the strategies that see its bars.
 *
 * Invalid records are counted as `rejected`, logged with topic/partition/offset, written to the
 * dead-letter topic, and committed: they never stop the stream.
 */
export class SignalsProcessor implements Processor {
  readonly name = 'signals';
  readonly topics: readonly string[];
  readonly #options: SignalsProcessorOptions;
  readonly #engine: SignalEngine;
  readonly #log: Logger;
  /** `${topic}\u0000${partition}` → highest offset applied to the engine. */
  readonly #applied = new Map<string, number>();
  #pendingSignals: TradingSignal[] = [];
  #pendingDeadLetters: OutgoingRecord[] = [];
  readonly #counters = { records: 0, signals: 0, rejected: 0, redelivered: 0 };
  readonly #perStrategy = new Map<string, number>();

  constructor(options: SignalsProcessorOptions) {
    const problems: string[] = [];
    for (const [name, topic] of [['inputs.raw', options.inputs?.raw], ['inputs.metrics', options.inputs?.metrics], ['output', options.output], ['deadLetters', options.deadLetters]] as const) {
      if (typeof topic !== 'string' || topic === '') problems.push(`${name} topic is required`);
    }
    if (options.inputs?.raw !== undefined && options.inputs.raw === options.inputs.metrics) problems.push('inputs.raw and inputs.metrics must differ');
    if (!options.producer) problems.push('producer is required');
    if (!options.clock) problems.push('clock is required');
    if (!options.strategies) problems.push('strategies are required');
    if (problems.length > 0) throw new ConfigError(`signals: ${problems.join('; ')}`);
    this.#options = options;
    this.topics = [options.inputs.raw, options.inputs.metrics];
    this.#engine = new SignalEngine(planFor(options.strategies));
    this.#log = (options.logger ?? silentLogger()).child({ component: this.name });
    for (const id of strategyIds(options.strategies)) this.#perStrategy.set(id, 0);
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const now = this.#options.clock.now();
    const onInputTime = this.#options.stampWithInputTime ?? false;
    for (const busRecord of batch) {
      const partitionKey = `${busRecord.topic}\u0000${busRecord.partition}`;
      const applied = this.#applied.get(partitionKey);
      if (applied !== undefined && busRecord.offset <= applied) {
        this.#counters.redelivered++;
        continue;
      }
      this.#applied.set(partitionKey, busRecord.offset);
      const record = this.#validate(busRecord);
      if (typeof record === 'string') {
        this.#counters.rejected++;
        this.#log.warn({ topic: busRecord.topic, partition: busRecord.partition, offset: busRecord.offset, reason: record }, 'invalid record sent to dead-letter');
        this.#pendingDeadLetters.push(rejectedRecord('signals', busRecord, record, onInputTime ? busRecord.timestamp : now));
        continue;
      }
      this.#counters.records++;
      const input: SignalInput = { topic: busRecord.topic, partition: busRecord.partition, offset: busRecord.offset, recordType: record.type, tsEvent: record.tsEvent };
      this.#pendingSignals.push(...this.#engine.apply(record, input, onInputTime ? record.tsRecv : now));
    }
    await this.#flush();
    return batch;
  }

  stats(): Readonly<Record<string, number>> {
    const { symbols, resets, duplicateBars } = this.#engine.stats();
    const out: Record<string, number> = { ...this.#counters, pending: this.#pendingSignals.length, symbols, resets, duplicateBars };
    for (const [id, count] of this.#perStrategy) out[`signals_${id}`] = count;
    return out;
  }

  #validate(busRecord: BusRecord): EngineRecord | string {
    if (busRecord.topic === this.#options.inputs.raw) return validateMarketRecord(busRecord.value);
    if (busRecord.topic === this.#options.inputs.metrics) return validateAggregatedRecord(busRecord.value);
    return `not an input topic of the signals processor`;
  }

  /**
   * Sends what is pending; on failure it stays pending for the redelivered batch and this throws.
   * The runner calls `process` serially, so nothing is added while a send is in flight.
   */
  async #flush(): Promise<void> {
    if (this.#pendingDeadLetters.length > 0) {
      const letters = this.#pendingDeadLetters;
      await this.#options.producer.send(this.#options.deadLetters, letters);
      this.#pendingDeadLetters = [];
    }
    if (this.#pendingSignals.length > 0) {
      const signals = this.#pendingSignals;
      await this.#options.producer.send(
        this.#options.output,
        signals.map((signal) => ({ key: signal.symbol, value: signal, timestamp: signal.tsEvent })),
      );
      this.#pendingSignals = [];
      this.#counters.signals += signals.length;
      for (const signal of signals) this.#perStrategy.set(signal.strategy, (this.#perStrategy.get(signal.strategy) ?? 0) + 1);
    }
  }
}
