import type { BusProducer, BusRecord, OutgoingRecord } from '../../bus/bus.ts';
import { validateMarketRecord } from '../../model/validate.ts';
import type { Processor } from '../runner/processor.ts';
import { AggregatorCore, type AggregatorOutput } from './aggregator-core.ts';
import type { AggregatorSettings } from './aggregator-settings.ts';
import { rejectedRecord } from '../runner/rejected-record.ts';

export interface AggregatorOptions extends AggregatorSettings {
  readonly producer: BusProducer;
}

/**
 * Rolling window metrics and time bars per symbol, published to the metrics topic keyed by symbol.
 * A batch is reported done once everything it produced was acknowledged by the bus. State lives in
 * memory only: this is the embedded (at-least-once) aggregator; StatefulAggregator with the
 * TransactionalRunner is the exactly-once one on Kafka.
 */
export class AggregatorProcessor implements Processor {
  readonly name = 'aggregator';
  readonly topics: readonly string[];
  readonly #options: AggregatorOptions;
  readonly #core: AggregatorCore;
  #eventTime = 0;
  #metricsPublished = 0;
  #barsPublished = 0;
  #rejected = 0;

  constructor(options: AggregatorOptions) {
    this.#options = options;
    this.topics = [options.input];
    this.#core = new AggregatorCore({
      windowSize: options.windowSize,
      publishEvery: options.publishEvery,
      barLatenessMs: options.barLatenessMs,
      ...(options.eligibility ? { eligibility: options.eligibility } : {}),
    });
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const out: AggregatorOutput[] = [];
    const rejects: OutgoingRecord[] = [];
    const now = this.#options.clock.now();
    for (const busRecord of batch) {
      const record = validateMarketRecord(busRecord.value);
      if (typeof record === 'string') {
        this.#rejected++;
        rejects.push(rejectedRecord('aggregator', busRecord, record));
        continue;
      }
      if (record.type === 'trade' && record.tsEvent > this.#eventTime) this.#eventTime = record.tsEvent;
      out.push(...this.#core.add(record, now));
    }
    // One event time across every partition, advanced per batch (see StatefulAggregator for the alternative).
    if (this.#options.closeBarsOnEventTime) out.push(...this.#core.advanceTo(this.#eventTime, now));
    if (rejects.length > 0) await this.#options.producer.send(this.#options.deadLetters, rejects);
    await this.#publish(out);
    return batch;
  }

  async tick(now: number): Promise<readonly BusRecord[]> {
    if (!this.#options.closeBarsOnEventTime) await this.#publish(this.#core.advanceTo(now, now));
    return [];
  }

  /** At the end of a replay every open bar is complete; a live feed's open bars are not, and are left out. */
  async close(): Promise<readonly BusRecord[]> {
    if (this.#options.closeBarsOnEventTime) await this.#publish(this.#core.flush(this.#options.clock.now()));
    return [];
  }

  stats(): Readonly<Record<string, number>> {
    return { metrics: this.#metricsPublished, bars: this.#barsPublished, lateTrades: this.#core.stats().lateTrades, rejected: this.#rejected };
  }

  async #publish(records: readonly AggregatorOutput[]): Promise<void> {
    if (records.length === 0) return;
    await this.#options.producer.send(
      this.#options.output,
      records.map((value) => ({ key: value.symbol, value, timestamp: value.tsRecv })),
    );
    for (const record of records) {
      if (record.type !== 'window-metrics') this.#barsPublished++;
      else this.#metricsPublished++;
    }
  }
}
