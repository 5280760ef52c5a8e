import type { BusProducer } from '../../bus/bus.ts';
import type { DeadLetter } from '../../model/dead-letter.ts';
import type { MarketRecord } from '../../model/market-record.ts';
import type { Topics } from '../../topics.ts';
import type { SourceSink } from '../source.ts';

export interface IngestCounters {
  trades: number;
  quotes: number;
  gaps: number;
  deadLetters: number;
  /** Latest trade price, exchange and receive time seen per symbol (quotes do not set a price). */
  readonly lastBySymbol: Map<string, { price: number; tsEvent: number; tsRecv: number }>;
}

/** What the ingest sink reports. */
export interface IngestMetrics {
  /** After the bus acknowledged `records` on `topic`. */
  published(topic: string, records: readonly MarketRecord[]): void;
  /** After the bus acknowledged a dead letter on `topic`. */
  deadLettered(topic: string, origin: string): void;
}

/** Publishes a source's records to the raw topic keyed by symbol, and its rejects to the dead-letter topic. */
export class BusSink implements SourceSink {
  readonly counters: IngestCounters = { trades: 0, quotes: 0, gaps: 0, deadLetters: 0, lastBySymbol: new Map() };
  readonly #producer: BusProducer;
  readonly #topics: Pick<Topics, 'raw' | 'deadLetter'>;
  readonly #metrics: IngestMetrics | null;

  constructor(producer: BusProducer, topics: Pick<Topics, 'raw' | 'deadLetter'>, metrics?: IngestMetrics) {
    this.#producer = producer;
    this.#topics = topics;
    this.#metrics = metrics ?? null;
  }

  async records(batch: readonly MarketRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await this.#producer.send(
      this.#topics.raw,
      batch.map((record) => ({ key: record.symbol, value: record, timestamp: record.tsRecv })),
    );
    this.#metrics?.published(this.#topics.raw, batch);
    for (const record of batch) {
      if (record.type === 'trade') {
        this.counters.trades++;
        this.counters.lastBySymbol.set(record.symbol, { price: record.price, tsEvent: record.tsEvent, tsRecv: record.tsRecv });
      } else if (record.type === 'quote') this.counters.quotes++;
      else this.counters.gaps++;
    }
  }

  async deadLetter(letter: DeadLetter): Promise<void> {
    await this.#producer.send(this.#topics.deadLetter, [{ key: letter.origin, value: letter, timestamp: letter.tsRecv }]);
    this.counters.deadLetters++;
    this.#metrics?.deadLettered(this.#topics.deadLetter, letter.origin);
  }
}
