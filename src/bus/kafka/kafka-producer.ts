import { jsonSerializer, ProduceAcks, Producer } from '@platformatic/kafka';
import type { BusProducer, OutgoingRecord } from '../bus.ts';
import { partitionKey } from '../partitioner.ts';
import { deniedOr } from './authorization-failures.ts';
import { absorbConnectionErrors } from './connection-errors.ts';
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
 * records of one partition keep their order. Keys are partitioned by the Java client's murmur2,
 * which is `partitionForKey` in src/bus/partitioner.ts.
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
      ...options.connection,
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: options.compression,
      // The client serializes the key, then asks the partitioner (with the original message) for a partition.
      partitioner: (message) => (typeof message.key === 'string' ? partitionKey(message.key).hash : 0),
      serializers: { key: (key) => (typeof key === 'string' ? partitionKey(key).bytes : undefined), value: jsonSerializer },
      autocreateTopics: false,
      // The client turns `retries` <= 1 into "forever" for idempotent producers: keep a real bound.
      retries: Math.max(options.retries, 2),
      retryDelay: options.retryDelayMs,
    });
    absorbConnectionErrors(this.#client);
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
    await this.#host.partitionsOf(topic).catch((error: unknown) => {
      throw deniedOr(error, { operation: 'WRITE', topics: [topic] });
    });
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
      throw deniedOr(error, { operation: 'WRITE', topics: [topic] });
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
