import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { TOPIC_DEFAULTS, type Bus, type BusConsumer, type BusProducer, type ConsumerOptions, type OutgoingRecord, type TopicSpec } from '../bus.ts';
import { partitionForKey } from '../partitioner.ts';
import { ConsumerGroup, type GroupMember } from './consumer-group.ts';
import { MemoryConsumer, type MemoryConsumerHost } from './memory-consumer.ts';
import { PartitionLog } from './partition-log.ts';
import { Signal } from '../signal.ts';

export interface MemoryBusOptions {
  /** Partitions of a topic created on first use rather than by `ensureTopics`. */
  readonly defaultPartitions?: number;
  /**
   * Producers wait while a partition holds this many records that an active group has not yet
   * committed: memory stays bounded and a slow consumer slows the source instead of growing.
   */
  readonly maxUncommittedPerPartition?: number;
  /** Records kept per partition for groups that are not connected (or join later). */
  readonly retainPerPartition?: number;
  readonly maxBatchSize?: number;
}

export const MEMORY_BUS_DEFAULTS = {
  defaultPartitions: TOPIC_DEFAULTS.partitions,
  maxUncommittedPerPartition: 20_000,
  retainPerPartition: 1_000,
  maxBatchSize: 500,
} as const satisfies Required<MemoryBusOptions>;

/** The embedded bus: Kafka's semantics (partitions, groups, committed offsets) inside one process. */
export class MemoryBus implements Bus, MemoryConsumerHost {
  readonly kind = 'memory';
  readonly dataArrived = new Signal();
  readonly #spaceFreed = new Signal();
  readonly #options: Required<MemoryBusOptions>;
  readonly #topics = new Map<string, PartitionLog[]>();
  readonly #groups = new Map<string, ConsumerGroup>();
  readonly #consumers = new Set<BusConsumer>();
  #closed = false;

  constructor(options: MemoryBusOptions = {}) {
    this.#options = { ...MEMORY_BUS_DEFAULTS, ...options };
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) this.#topic(spec.name, spec.partitions);
  }

  partitionsOf(topic: string): readonly PartitionLog[] {
    return this.#topic(topic);
  }

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  partitionFor(topic: string, key: string): number {
    return partitionForKey(key, this.#topic(topic).length);
  }

  producer(): BusProducer {
    return {
      send: (topic, records) => this.#send(topic, records),
      close: async () => {},
    };
  }

  async consumer(options: ConsumerOptions): Promise<BusConsumer> {
    this.#assertOpen();
    let group = this.#groups.get(options.groupId);
    if (!group) {
      group = new ConsumerGroup(options.groupId, options.startFrom ?? 'earliest');
      this.#groups.set(options.groupId, group);
    }
    for (const topic of options.topics) this.#topic(topic);
    const consumer = new MemoryConsumer(group, options.topics, this, options.maxBatchSize ?? this.#options.maxBatchSize, options.background ?? false);
    this.#consumers.add(consumer);
    group.join(consumer, (topic) => this.partitionsOf(topic));
    return consumer;
  }

  leave(group: ConsumerGroup, member: GroupMember): void {
    group.leave(member, (topic) => this.partitionsOf(topic));
    this.#consumers.delete(member as unknown as BusConsumer);
    this.released();
  }

  released(): void {
    for (const [topic, logs] of this.#topics) {
      const groups = [...this.#groups.values()].filter((group) => group.active && group.subscribes(topic));
      for (const log of logs) {
        const slowest = Math.min(log.endOffset, ...groups.map((group) => group.committed(log)));
        log.releaseBefore(Math.min(slowest, log.endOffset - this.#options.retainPerPartition));
      }
    }
    this.#spaceFreed.notify();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#consumers].map((consumer) => consumer.close()));
    this.#spaceFreed.notify();
    this.dataArrived.notify();
  }

  async #send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    this.#assertOpen();
    const logs = this.#topic(topic);
    const targets = records.map((record) => logs[partitionForKey(record.key, logs.length)]!);
    while (this.#anyFull(topic, new Set(targets))) {
      await this.#spaceFreed.wait();
      this.#assertOpen();
    }
    const now = Date.now();
    records.forEach((record, i) => targets[i]!.append(record.key, record.value, record.timestamp ?? now));
    if (!this.#hasActiveGroup(topic)) this.released();
    this.dataArrived.notify();
  }

  #anyFull(topic: string, targets: Iterable<PartitionLog>): boolean {
    const groups = [...this.#groups.values()].filter((group) => group.active && group.subscribes(topic));
    if (groups.length === 0) return false;
    for (const log of targets) {
      const slowest = Math.min(...groups.map((group) => group.committed(log)));
      if (log.endOffset - slowest >= this.#options.maxUncommittedPerPartition) return true;
    }
    return false;
  }

  #hasActiveGroup(topic: string): boolean {
    for (const group of this.#groups.values()) if (group.active && group.subscribes(topic)) return true;
    return false;
  }

  #topic(name: string, partitions = this.#options.defaultPartitions): PartitionLog[] {
    let logs = this.#topics.get(name);
    if (!logs) {
      logs = Array.from({ length: partitions }, (_, partition) => new PartitionLog(name, partition));
      this.#topics.set(name, logs);
    }
    return logs;
  }

  #assertOpen(): void {
    if (this.#closed) throw new TickflowError(ERROR_CODES.BUS_CLOSED, 'the bus is closed');
  }
}
