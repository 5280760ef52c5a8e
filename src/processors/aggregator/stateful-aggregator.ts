import type { BusRecord, OutgoingRecord } from '../../bus/bus.ts';
import { validateMarketRecord } from '../../model/market-record.ts';
import { rejectedRecord } from '../runner/rejected-record.ts';
import { EMPTY_STEP, OFFSET_KEY, type StateRecord, type StatefulProcessor, type StepResult, type TopicRecords } from '../runner/stateful-processor.ts';
import { AggregatorCore, type AggregatorOutput } from './aggregator-core.ts';
import type { AggregatorSettings } from './aggregator-settings.ts';
import { CLOCK_KEY, decodeAggregatorState, encodeClockState, encodeSymbolState } from './aggregator-state.ts';

/**
 * On event time the output is a function of each input partition's records alone (not of batching,
 * timing or restarts), and a bar's `tsRecv` is the receive time of the trade whose event time closed it.
 */
export type StatefulAggregatorOptions = AggregatorSettings;

/**
 * The aggregator: rolling window metrics and time bars per symbol, as a stateful processor with one
 * AggregatorCore per input partition (a symbol's records all come through its partition), whose
 * state moves with the partition. The same rules run on both buses: on Kafka through the
 * TransactionalRunner (exactly once, state in a compacted topic), on the embedded bus through
 * PlainStatefulProcessor (outputs published plainly, state in memory).
 *
 * On event time, each partition's bars close on that partition's own event time, advanced after every
 * record, so where a trade falls is independent of batch boundaries and of which partitions a member
 * owns: a restart or rebalance cannot change the output. At the end of the input (`flush`, a replay's
 * end) every open bar is complete and is closed.
 *
 * On the clock, `tick` closes bars on the wall clock: each bar is still published exactly once (its
 * closing is saved with its publication) but, as live, which trades make it into a bar depends on
 * timing, and open bars are not complete at a stop, so `flush` leaves them out.
 */
export class StatefulAggregator implements StatefulProcessor {
  readonly name = 'aggregator';
  readonly input: string;
  readonly #options: StatefulAggregatorOptions;
  readonly #cores = new Map<number, AggregatorCore>();
  /** Receive time of the last record of each partition since the start: the time a flush closes its bars at. */
  readonly #lastRecv = new Map<number, number>();
  #metrics = 0;
  #bars = 0;
  #rejected = 0;

  constructor(options: StatefulAggregatorOptions) {
    this.#options = options;
    this.input = options.input;
  }

  reset(): void {
    this.#cores.clear();
    this.#lastRecv.clear();
  }

  restore(partition: number, state: ReadonlyMap<string, unknown>): void {
    const core = this.#newCore();
    for (const [key, value] of state) {
      const saved = decodeAggregatorState(key, value);
      if (saved.kind === 'clock') core.restoreClock(saved.state);
      else core.restoreSymbol(saved.state);
    }
    // Restoring is not a change to save again.
    core.takeChangedSymbols();
    this.#cores.set(partition, core);
  }

  process(batch: readonly BusRecord[]): StepResult {
    const { closeBarsOnEventTime, clock } = this.#options;
    const out: AggregatorOutput[] = [];
    const rejects: OutgoingRecord[] = [];
    const touched = new Set<number>();
    const now = clock.now();
    for (const busRecord of batch) {
      const core = this.#core(busRecord.partition);
      touched.add(busRecord.partition);
      const valid = validateMarketRecord(busRecord.value);
      // A symbol named like a reserved state key would overwrite that key's state.
      const record = typeof valid !== 'string' && (valid.symbol === CLOCK_KEY || valid.symbol === OFFSET_KEY) ? `symbol ${valid.symbol} is reserved` : valid;
      if (typeof record === 'string') {
        this.#rejected++;
        // Stamped with the record's bus time, not the wall clock: the output stays a function of the input.
        rejects.push(rejectedRecord('aggregator', busRecord, record, busRecord.timestamp));
        continue;
      }
      this.#lastRecv.set(busRecord.partition, record.tsRecv);
      const closedAt = closeBarsOnEventTime ? record.tsRecv : now;
      out.push(...core.add(record, closedAt));
      if (closeBarsOnEventTime && record.type !== 'gap') out.push(...core.advanceTo(core.eventTime, closedAt));
    }
    return this.#step(out, rejects, touched);
  }

  tick(now: number): StepResult {
    if (this.#options.closeBarsOnEventTime) return EMPTY_STEP;
    const out: AggregatorOutput[] = [];
    const touched = new Set<number>();
    for (const [partition, core] of this.#cores) {
      const closed = core.advanceTo(now, now);
      if (closed.length === 0) continue;
      out.push(...closed);
      touched.add(partition);
    }
    return touched.size === 0 ? EMPTY_STEP : this.#step(out, [], touched);
  }

  /** On event time, closes every open bar of every partition at the receive time of the partition's last record. */
  flush(): StepResult {
    if (!this.#options.closeBarsOnEventTime) return EMPTY_STEP;
    const out: AggregatorOutput[] = [];
    const touched = new Set<number>();
    for (const [partition, core] of this.#cores) {
      const closed = core.flush(this.#lastRecv.get(partition) ?? core.eventTime);
      if (closed.length === 0) continue;
      out.push(...closed);
      touched.add(partition);
    }
    return touched.size === 0 ? EMPTY_STEP : this.#step(out, [], touched);
  }

  stats(): Readonly<Record<string, number>> {
    let lateTrades = 0;
    for (const core of this.#cores.values()) lateTrades += core.stats().lateTrades;
    return { metrics: this.#metrics, bars: this.#bars, lateTrades, rejected: this.#rejected, partitions: this.#cores.size };
  }

  /** Outputs, and the state of every touched partition that changed: its symbols and its clocks. */
  #step(out: readonly AggregatorOutput[], rejects: readonly OutgoingRecord[], touched: ReadonlySet<number>): StepResult {
    const outputs: TopicRecords[] = [];
    if (out.length > 0) outputs.push({ topic: this.#options.output, records: out.map((value) => ({ key: value.symbol, value, timestamp: value.tsRecv })) });
    if (rejects.length > 0) outputs.push({ topic: this.#options.deadLetters, records: rejects });
    for (const value of out) {
      if (value.type !== 'window-metrics') this.#bars++;
      else this.#metrics++;
    }
    const state: StateRecord[] = [];
    for (const partition of touched) {
      const core = this.#cores.get(partition)!;
      for (const symbol of core.takeChangedSymbols()) {
        const symbolState = core.symbolState(symbol);
        if (symbolState) state.push({ partition, key: symbol, value: encodeSymbolState(symbolState) });
      }
      state.push({ partition, key: CLOCK_KEY, value: encodeClockState(core.clockState()) });
    }
    return { outputs, state };
  }

  #core(partition: number): AggregatorCore {
    let core = this.#cores.get(partition);
    if (!core) {
      core = this.#newCore();
      this.#cores.set(partition, core);
    }
    return core;
  }

  #newCore(): AggregatorCore {
    const { windowSize, publishEvery, barLatenessMs, eligibility } = this.#options;
    return new AggregatorCore({ windowSize, publishEvery, barLatenessMs, ...(eligibility ? { eligibility } : {}) });
  }
}
