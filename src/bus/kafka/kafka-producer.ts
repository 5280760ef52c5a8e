import { compatibilityPartitioner, jsonSerializer, ProduceAcks, Producer, stringSerializer } from '@platformatic/kafka';
import type { BusProducer, OutgoingRecord } from '../bus.ts';
import { busClosed, isUnknownTopicError, unknownTopic } from './kafka-errors.ts';
import type { ResolvedKafkaBusOptions } from './options.ts';
import { settledWithin } from './settle.ts';

export interface KafkaProducerHost {
  /** Partition count of `topic`; rejects with BUS_UNKNOWN_TOPIC when it does not exist. */
  partitionsOf(topic: string): Promise<number>;
  closed(producer: KafkaProducer): void;
}

/**
 * One idempotent producer session: acks=all, retried sends are deduplicated by the broker, and
 * records of one partition keep their order. Keys are partitioned by the Java client's murmur2
 * (`compatibilityPartitioner`), which is `partitionForKey` in src/bus/partitioner.ts.
 */
export class KafkaProducer implements BusProducer {
  readonly #client: Producer<string, unknown, string, string>;
  readonly #host: KafkaProducerHost;
  readonly #closeTimeoutMs: number;
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedKafkaBusOptions, host: KafkaProducerHost) {
    this.#host = host;
    this.#closeTimeoutMs = options.closeTimeoutMs;
    this.#client = new Producer<string, unknown, string, string>({
      clientId: `${options.clientId}-producer`,
      bootstrapBrokers: [...options.brokers],
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: options.compression,
      partitioner: compatibilityPartitioner,
      serializers: { key: stringSerializer, value: jsonSerializer },
      autocreateTopics: false,
      // The client turns `retries` <= 1 into "forever" for idempotent producers: keep a real bound.
      retries: Math.max(options.retries, 2),
      retryDelay: options.retryDelayMs,
    });
  }

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.#closing) throw busClosed('send');
    if (records.length === 0) return;
    const sending = this.#send(topic, records);
    this.#inFlight.add(sending);
    try {
      await sending;
    } finally {
      this.#inFlight.delete(sending);
    }
  }

  async #send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    // Fails fast (BUS_UNKNOWN_TOPIC) instead of retrying a produce to a topic that is not there.
    await this.#host.partitionsOf(topic);
    const now = BigInt(Date.now());
    const messages = records.map((record) => ({
      topic,
      key: record.key,
      value: record.value,
      timestamp: record.timestamp === undefined ? now : BigInt(record.timestamp),
    }));
    try {
      // Resolves once the partition leader has the records and every in-sync replica has them (acks=all).
      await this.#client.send({ messages });
    } catch (error) {
      if (this.#closing) throw busClosed('send', error);
      if (isUnknownTopicError(error)) throw unknownTopic(topic, error);
      throw error;
    }
  }

  /** Waits (up to closeTimeoutMs) for sends in flight, then ends the session. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await settledWithin([...this.#inFlight], this.#closeTimeoutMs);
    await this.#client.close(true);
    this.#host.closed(this);
  }
}
