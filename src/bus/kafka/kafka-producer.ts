import { jsonSerializer, ProduceAcks, Producer } from '@platformatic/kafka';
import type { BusProducer, OutgoingRecord } from '../bus.ts';
import { murmur2 } from '../partitioner.ts';
import { busClosed, isUnknownTopicError, unknownTopic } from './kafka-errors.ts';
import type { ResolvedKafkaBusOptions } from './options.ts';
import { settledWithin } from './settle.ts';

export interface KafkaProducerHost {
  /** Partition count of `topic`; rejects with BUS_UNKNOWN_TOPIC when it does not exist. */
  partitionsOf(topic: string): Promise<number>;
  closed(producer: KafkaProducer): void;
}

/** Past this many distinct keys the key cache starts over: it stays bounded whatever the keys. */
const KEY_CACHE_LIMIT = 10_000;

interface KeyEntry {
  readonly bytes: Buffer;
  /** murmur2 & 0x7fffffff, as the Java client (and the client's `compatibilityPartitioner`); the client takes it modulo the partition count. */
  readonly hash: number;
}

/**
 * Keys are symbols: a few hundred strings sent millions of times. Their UTF-8 bytes and hash are
 * computed once here, not per record: the client's own murmur2 works on BigInts and was ~8% of a
 * send's CPU (bench/README.md, "Kafka producer throughput"). The hash is `partitionForKey`'s, so the
 * bus and `Bus.partitionFor` keep agreeing.
 */
class KeyCache {
  readonly #entries = new Map<string, KeyEntry>();

  entry(key: string): KeyEntry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= KEY_CACHE_LIMIT) this.#entries.clear();
      const bytes = Buffer.from(key, 'utf8');
      entry = { bytes, hash: murmur2(bytes) & 0x7fffffff };
      this.#entries.set(key, entry);
    }
    return entry;
  }
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
    const keys = new KeyCache();
    this.#client = new Producer<string, unknown, string, string>({
      clientId: `${options.clientId}-producer`,
      bootstrapBrokers: [...options.brokers],
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: options.compression,
      // The client serializes the key, then asks the partitioner (with the original message) for a partition.
      partitioner: (message) => (typeof message.key === 'string' ? keys.entry(message.key).hash : 0),
      serializers: { key: (key) => (typeof key === 'string' ? keys.entry(key).bytes : undefined), value: jsonSerializer },
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
