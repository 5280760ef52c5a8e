/**
 * The bus port: partitioned topics, keyed records, consumer groups with committed offsets,
 * at-least-once delivery. Implemented in memory (embedded mode) and on Kafka (distributed mode);
 * both must pass `test/contract/bus-contract.ts`.
 */
export interface OutgoingRecord<V = unknown> {
  /** Partitioning key (the symbol for market data): records with one key keep their order. */
  readonly key: string;
  /** Must survive a JSON round trip: the Kafka bus serializes it. */
  readonly value: V;
  /** Record time, Unix ms; defaults to the send time. */
  readonly timestamp?: number;
}

export interface BusRecord<V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: V;
  readonly timestamp: number;
}

/** What a topic gets unless told otherwise: its partitions, and a week of retention where the bus retains. */
export const TOPIC_DEFAULTS = { partitions: 4, retentionMs: 7 * 24 * 60 * 60 * 1000 } as const;

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** How long the broker keeps records; ignored where the bus keeps them only until consumed. */
  readonly retentionMs?: number;
}

export interface BusProducer {
  /**
   * Resolves once the bus has acknowledged every record (for Kafka: acks=all). While the bus is
   * full it does not resolve: callers must await it, which is how backpressure reaches the source.
   */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group without a committed offset starts reading. */
  readonly startFrom?: 'earliest' | 'latest';
  readonly maxBatchSize?: number;
  /**
   * Hands this consumer its records after the consumers that are not in the background have had
   * theirs. On the memory bus, whose consumers share the process's one thread, each batch waits for
   * the event loop's next turn, so work that is durable or periodic (storage, archive, paper trading)
   * never holds the live path (trade → metrics → clients). Kafka consumers fetch on their own sockets
   * and ignore it.
   */
  readonly background?: boolean;
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the next record to be written. */
  readonly endOffset: number;
  /** Offset of the next record the group will read after a restart. */
  readonly committedOffset: number;
  readonly lag: number;
}

/**
 * Iterating yields batches of records from the partitions this member owns, in offset order per
 * partition. Iteration ends when the consumer is closed.
 */
export interface BusConsumer extends AsyncIterable<readonly BusRecord[]> {
  readonly groupId: string;
  /**
   * Marks everything up to and including each partition's highest offset among `records` as done
   * for the group. Call only once the records' effect is durable. Commits for partitions this member
   * no longer owns (after a rebalance) are ignored: the new owner will see those records again.
   */
  commit(records: readonly BusRecord[]): Promise<void>;
  lag(): Promise<readonly PartitionLag[]>;
  /** Stops iteration and leaves the group; uncommitted records go to the next member. Idempotent. */
  close(): Promise<void>;
}

export interface Bus {
  readonly kind: 'memory' | 'kafka';
  /** Creates missing topics; existing ones are left as they are. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<void>;
  producer(): BusProducer;
  /** Resolves once the consumer has joined its group. */
  consumer(options: ConsumerOptions): Promise<BusConsumer>;
  /** Resolves when the bus answers (the brokers, for Kafka); for readiness checks. */
  ping(): Promise<void>;
  /** Which partition a key lands in, the same way the producer chooses it. */
  partitionFor(topic: string, key: string): number;
  close(): Promise<void>;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Highest offset per topic-partition among `records`. */
export function highestOffsets(records: readonly BusRecord[]): TopicPartitionOffset[] {
  const highest = new Map<string, TopicPartitionOffset[]>();
  for (const { topic, partition, offset } of records) {
    let byPartition = highest.get(topic);
    if (!byPartition) highest.set(topic, (byPartition = []));
    const seen = byPartition[partition];
    if (!seen || offset > seen.offset) byPartition[partition] = { topic, partition, offset };
  }
  return [...highest.values()].flatMap((byPartition) => byPartition.filter(Boolean));
}
