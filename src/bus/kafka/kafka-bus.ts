import { Admin, NetworkError } from '@platformatic/kafka';
import { ConfigError, ERROR_CODES, TickflowError } from '../../errors.ts';
import type { Bus, ConsumerOptions } from '../bus.ts';
import { partitionForKey } from '../partitioner.ts';
import { KafkaAccessDenied } from '../access-denied.ts';
import { deniedOr } from './authorization-failures.ts';
import { absorbConnectionErrors } from './connection-errors.ts';
import { probeSecurity } from './security-probe.ts';
import { busClosed, isTopicExistsError, isUnknownTopicError, unknownTopic } from './kafka-errors.ts';
import { KafkaCommittedReader } from './committed-reader.ts';
import { KafkaConsumer } from './kafka-consumer.ts';
import { KafkaProducer } from './kafka-producer.ts';
import { resolveKafkaBusOptions, type KafkaBusOptions, type ResolvedKafkaBusOptions } from './options.ts';
import { topicConfigs, type KafkaTopicSpec } from './topic-configs.ts';
import { KafkaTransactionalProducer, type TransactionalProducerOptions } from './transactions.ts';

export { KAFKA_BUS_DEFAULTS, KAFKA_COMPRESSIONS, type KafkaBusOptions, type KafkaCompression } from './options.ts';
export type { KafkaTopicSpec } from './topic-configs.ts';

// Kafka's own rule for topic names (Topic.validate): at most 249 of these characters, not "." or "..".
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * The distributed bus: topics, groups and committed offsets live in a Kafka cluster. Options are
 * checked here, before anything connects; clients connect on first use.
 */
export class KafkaBus implements Bus {
  readonly kind = 'kafka';
  readonly options: ResolvedKafkaBusOptions;
  readonly #admin: Admin;
  /** Partition counts as the cluster reports them (an existing topic keeps its own count). */
  readonly #partitions = new Map<string, number>();
  readonly #producers = new Set<KafkaProducer>();
  readonly #consumers = new Set<KafkaConsumer>();
  readonly #transactional = new Set<KafkaTransactionalProducer>();
  readonly #readers = new Set<KafkaCommittedReader>();
  #closing: Promise<void> | undefined;
  #securityChecked: Promise<void> | undefined;

  constructor(options: KafkaBusOptions) {
    this.options = resolveKafkaBusOptions(options);
    this.#admin = new Admin({
      clientId: `${this.options.clientId}-admin`,
      ...this.options.connection,
      retries: this.options.retries,
      retryDelay: this.options.retryDelayMs,
    });
    absorbConnectionErrors(this.#admin);
  }

  /**
   * Creates the missing topics (replication factor: the broker's default.replication.factor) and
   * waits until each has a leader on every partition. Existing topics are left as they are,
   * including their partition count, which is the one `partitionFor` then uses.
   */
  async ensureTopics(specs: readonly KafkaTopicSpec[]): Promise<void> {
    this.#assertOpen('ensureTopics');
    for (const spec of specs) validateSpec(spec);
    await (this.#securityChecked ??= probeSecurity(this.#admin, this.options.brokers, this.options.security));
    await Promise.all(specs.map((spec) => this.#create(spec)));
    await this.#awaitLeaders(specs.map((spec) => spec.name));
  }

  /**
   * A principal without CREATE on a topic is refused even when the topic exists (Kafka answers
   * TOPIC_AUTHORIZATION_FAILED before looking): then the topic only has to be there already, made by
   * `tickflow topics create` (or an administrator) under a principal that may create topics.
   */
  async #create(spec: KafkaTopicSpec): Promise<void> {
    try {
      await this.#admin.createTopics({ topics: [spec.name], partitions: spec.partitions, replicas: -1, configs: topicConfigs(spec) });
    } catch (error) {
      if (isTopicExistsError(error)) return;
      const denied = deniedOr(error, { operation: 'CREATE', topics: [spec.name] });
      if (!(denied instanceof KafkaAccessDenied)) throw error;
      if (!(await this.#exists(spec.name))) throw denied;
    }
  }

  async #exists(topic: string): Promise<boolean> {
    try {
      await this.#admin.metadata({ topics: [topic], forceUpdate: true, retries: 0 });
      return true;
    } catch (error) {
      if (isUnknownTopicError(error)) return false;
      throw deniedOr(error, { operation: 'DESCRIBE', topics: [topic] });
    }
  }

  /** Polls metadata until every topic has all its partitions led: a new topic is announced asynchronously. */
  async #awaitLeaders(topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    const deadline = Date.now() + this.options.topicReadyTimeoutMs;
    for (;;) {
      let pending: string[];
      try {
        const metadata = await this.#admin.metadata({ topics: [...topics], forceUpdate: true, retries: 0 });
        pending = topics.filter((topic) => {
          const info = metadata.topics.get(topic);
          if (!info || info.partitions.length < info.partitionsCount || info.partitions.some((partition) => partition.leader < 0)) return true;
          this.#partitions.set(topic, info.partitionsCount);
          return false;
        });
      } catch (error) {
        if (!isUnknownTopicError(error) && !NetworkError.isRetryable(error as Error)) throw deniedOr(error, { operation: 'DESCRIBE', topics });
        pending = [...topics];
      }
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new TickflowError(ERROR_CODES.BUS_UNKNOWN_TOPIC, `Kafka topics not ready within ${this.options.topicReadyTimeoutMs} ms: ${pending.join(', ')}`, { canRetry: true });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Partition count of `topic`, from the cluster on first use; BUS_UNKNOWN_TOPIC when it does not exist. */
  async partitionsOf(topic: string): Promise<number> {
    const known = this.#partitions.get(topic);
    if (known !== undefined) return known;
    let count: number | undefined;
    try {
      // Without retries first: the client retries "unknown topic" as if it were transient.
      const metadata = await this.#admin.metadata({ topics: [topic], retries: 0 }).catch((error: Error) => {
        if (isUnknownTopicError(error)) throw error;
        return this.#admin.metadata({ topics: [topic] });
      });
      count = metadata.topics.get(topic)?.partitionsCount;
    } catch (error) {
      if (isUnknownTopicError(error)) throw unknownTopic(topic, error);
      throw error;
    }
    if (!count) throw unknownTopic(topic);
    this.#partitions.set(topic, count);
    return count;
  }

  producer(): KafkaProducer {
    this.#assertOpen('producer');
    const producer: KafkaProducer = new KafkaProducer(this.options, {
      partitionsOf: (topic) => this.partitionsOf(topic),
      closed: (closed) => this.#producers.delete(closed),
    });
    this.#producers.add(producer);
    return producer;
  }

  /** A transactional producer (see KafkaTransactionalProducer); closed with the bus. */
  transactionalProducer(options: TransactionalProducerOptions): KafkaTransactionalProducer {
    this.#assertOpen('transactionalProducer');
    const producer: KafkaTransactionalProducer = new KafkaTransactionalProducer(this.options, options, {
      partitionsOf: (topic) => this.partitionsOf(topic),
      closed: (closed) => this.#transactional.delete(closed),
    });
    this.#transactional.add(producer);
    return producer;
  }

  /** A read_committed reader of whole partitions, without a group (see KafkaCommittedReader); closed with the bus. */
  committedReader(): KafkaCommittedReader {
    this.#assertOpen('committedReader');
    const reader: KafkaCommittedReader = new KafkaCommittedReader(this.options, { closed: (closed) => this.#readers.delete(closed) });
    this.#readers.add(reader);
    return reader;
  }

  async consumer(options: ConsumerOptions): Promise<KafkaConsumer> {
    this.#assertOpen('consumer');
    validateConsumerOptions(options);
    await Promise.all(
      options.topics.map((topic) =>
        this.partitionsOf(topic).catch((error: unknown) => {
          throw deniedOr(error, { operation: 'READ', topics: [topic] });
        }),
      ),
    );
    const consumer = await KafkaConsumer.open(
      this.options,
      {
        groupId: options.groupId,
        topics: options.topics,
        startFrom: options.startFrom ?? 'earliest',
        maxBatchSize: options.maxBatchSize ?? this.options.maxBatchSize,
      },
      { closed: (closed) => this.#consumers.delete(closed) },
    ).catch((error: unknown) => {
      throw deniedOr(error, { operation: 'READ', topics: options.topics, group: options.groupId });
    });
    if (this.#closing) {
      await consumer.close();
      throw busClosed('consumer');
    }
    this.#consumers.add(consumer);
    return consumer;
  }

  /**
   * The partition the producer's compatibilityPartitioner picks: murmur2 & 0x7fffffff modulo the
   * partition count, as the Java client does. The topic must be known: created or looked up by
   * `ensureTopics`, or used by a producer or consumer of this bus.
   */
  partitionFor(topic: string, key: string): number {
    const partitions = this.#partitions.get(topic);
    if (partitions === undefined) {
      throw new TickflowError(ERROR_CODES.BUS_UNKNOWN_TOPIC, `partition count of Kafka topic "${topic}" unknown: call ensureTopics first`);
    }
    return partitionForKey(key, partitions);
  }

  /** Closes consumers (leaving their groups), then producers (after their sends in flight), then the admin client. Idempotent. */
  async ping(): Promise<void> {
    this.#assertOpen('ping');
    await this.#admin.metadata({ topics: [], forceUpdate: true, retries: 0 });
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await Promise.allSettled([...this.#consumers].map((consumer) => consumer.close()));
    await Promise.allSettled([...this.#producers, ...this.#transactional, ...this.#readers].map((client) => client.close()));
    await this.#admin.close();
  }

  #assertOpen(what: string): void {
    if (this.#closing) throw busClosed(what);
  }
}

function validateSpec(spec: KafkaTopicSpec): void {
  const problems: string[] = [];
  if (!TOPIC_NAME.test(spec.name) || spec.name === '.' || spec.name === '..') problems.push(`name ${JSON.stringify(spec.name)} must be 1 to 249 of A-Z a-z 0-9 . _ -`);
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1) problems.push(`partitions must be an integer ≥ 1, got ${spec.partitions}`);
  if (spec.retentionMs !== undefined && (!Number.isInteger(spec.retentionMs) || spec.retentionMs < -1)) {
    problems.push(`retentionMs must be an integer ≥ -1 (-1: keep forever), got ${spec.retentionMs}`);
  }
  for (const [name, value] of Object.entries(spec.configs ?? {})) {
    if (!/^[a-z0-9._-]+$/.test(name) || typeof value !== 'string') problems.push(`config ${JSON.stringify(name)} must be a Kafka topic setting with a string value`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid topic spec: ${problems.join('; ')}`);
}

function validateConsumerOptions(options: ConsumerOptions): void {
  const problems: string[] = [];
  if (typeof options.groupId !== 'string' || options.groupId === '') problems.push('groupId must be a non-empty string');
  if (!Array.isArray(options.topics) || options.topics.length === 0 || options.topics.some((topic) => typeof topic !== 'string' || topic === '')) {
    problems.push('topics must be a non-empty list of topic names');
  }
  if (options.startFrom !== undefined && options.startFrom !== 'earliest' && options.startFrom !== 'latest') problems.push(`startFrom must be 'earliest' or 'latest'`);
  if (options.maxBatchSize !== undefined && (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1)) problems.push('maxBatchSize must be an integer ≥ 1');
  if (problems.length > 0) throw new ConfigError(`invalid consumer options: ${problems.join('; ')}`);
}
