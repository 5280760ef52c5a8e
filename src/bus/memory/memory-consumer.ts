import { setImmediate as nextTurn } from 'node:timers/promises';
import { highestOffsets, type BusConsumer, type BusRecord, type PartitionLag } from '../bus.ts';
import type { ConsumerGroup, GroupMember } from './consumer-group.ts';
import type { PartitionLog } from './partition-log.ts';
import type { Signal } from '../signal.ts';

export interface MemoryConsumerHost {
  readonly dataArrived: Signal;
  partitionsOf(topic: string): readonly PartitionLog[];
  /** Called after commits and departures so the bus can release records and wake producers. */
  released(): void;
  leave(group: ConsumerGroup, member: GroupMember): void;
}

export class MemoryConsumer implements BusConsumer, GroupMember {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly #group: ConsumerGroup;
  readonly #host: MemoryConsumerHost;
  readonly #maxBatchSize: number;
  readonly #background: boolean;
  /** Next offset to hand out, per owned partition. */
  #positions = new Map<PartitionLog, number>();
  #nextPartition = 0;
  #closed = false;

  constructor(group: ConsumerGroup, topics: readonly string[], host: MemoryConsumerHost, maxBatchSize: number, background: boolean) {
    this.groupId = group.id;
    this.topics = topics;
    this.#group = group;
    this.#host = host;
    this.#maxBatchSize = maxBatchSize;
    this.#background = background;
  }

  assign(partitions: readonly PartitionLog[]): void {
    const positions = new Map<PartitionLog, number>();
    for (const log of partitions) positions.set(log, this.#positions.get(log) ?? this.#group.committed(log));
    this.#positions = positions;
    this.#host.dataArrived.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly BusRecord[]> {
    while (!this.#closed) {
      // Records are published and handed out in promise callbacks, which run before any timer or I/O:
      // waiting for setImmediate lets every other consumer's chain (and the socket's next frame) go first.
      if (this.#background) {
        await nextTurn();
        if (this.#closed) return;
      }
      const batch = this.#poll();
      if (batch.length > 0) yield batch;
      else await this.#host.dataArrived.wait();
    }
  }

  #poll(): BusRecord[] {
    const logs = [...this.#positions.keys()];
    const batch: BusRecord[] = [];
    for (let i = 0; i < logs.length && batch.length < this.#maxBatchSize; i++) {
      const log = logs[(this.#nextPartition + i) % logs.length]!;
      const position = Math.max(this.#positions.get(log)!, log.startOffset);
      const records = log.read(position, this.#maxBatchSize - batch.length);
      if (records.length === 0) continue;
      batch.push(...records);
      this.#positions.set(log, position + records.length);
    }
    this.#nextPartition++;
    return batch;
  }

  async commit(records: readonly BusRecord[]): Promise<void> {
    for (const { topic, partition, offset } of highestOffsets(records)) {
      const log = this.#host.partitionsOf(topic)[partition];
      if (log) this.#group.commit(this, log, offset + 1);
    }
    this.#host.released();
  }

  async lag(): Promise<readonly PartitionLag[]> {
    return this.topics.flatMap((topic) =>
      this.#host.partitionsOf(topic).map((log) => {
        const committedOffset = this.#group.committed(log);
        return { topic, partition: log.partition, endOffset: log.endOffset, committedOffset, lag: log.endOffset - committedOffset };
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#positions.clear();
    this.#host.leave(this.#group, this);
    this.#host.dataArrived.notify();
  }
}
