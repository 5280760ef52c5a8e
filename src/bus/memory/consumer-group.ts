import type { PartitionLog } from './partition-log.ts';

export interface GroupMember {
  readonly topics: readonly string[];
  /** Replaces the member's partitions; called on every rebalance. */
  assign(partitions: readonly PartitionLog[]): void;
}

/**
 * A consumer group: committed offsets that outlive members, and the split of partitions among the
 * members present (round-robin per topic, in join order).
 */
export class ConsumerGroup {
  readonly id: string;
  readonly #startFrom: 'earliest' | 'latest';
  readonly #committed = new Map<PartitionLog, number>();
  readonly #members: GroupMember[] = [];
  readonly #owner = new Map<PartitionLog, GroupMember>();

  constructor(id: string, startFrom: 'earliest' | 'latest') {
    this.id = id;
    this.#startFrom = startFrom;
  }

  get active(): boolean {
    return this.#members.length > 0;
  }

  subscribes(topic: string): boolean {
    return this.#members.some((member) => member.topics.includes(topic));
  }

  committed(log: PartitionLog): number {
    let offset = this.#committed.get(log);
    if (offset === undefined) {
      offset = this.#startFrom === 'latest' ? log.endOffset : log.startOffset;
      this.#committed.set(log, offset);
    }
    // Records below the log's start were released by retention: the group cannot read them anymore.
    return Math.max(offset, log.startOffset);
  }

  /** Returns false (and changes nothing) when `member` does not own the partition. */
  commit(member: GroupMember, log: PartitionLog, nextOffset: number): boolean {
    if (this.#owner.get(log) !== member) return false;
    if (nextOffset > this.committed(log)) this.#committed.set(log, nextOffset);
    return true;
  }

  owns(member: GroupMember, log: PartitionLog): boolean {
    return this.#owner.get(log) === member;
  }

  join(member: GroupMember, partitionsOf: (topic: string) => readonly PartitionLog[]): void {
    this.#members.push(member);
    this.rebalance(partitionsOf);
  }

  leave(member: GroupMember, partitionsOf: (topic: string) => readonly PartitionLog[]): void {
    const index = this.#members.indexOf(member);
    if (index < 0) return;
    this.#members.splice(index, 1);
    this.rebalance(partitionsOf);
  }

  rebalance(partitionsOf: (topic: string) => readonly PartitionLog[]): void {
    this.#owner.clear();
    const shares = new Map<GroupMember, PartitionLog[]>(this.#members.map((member) => [member, []]));
    const topics = new Set(this.#members.flatMap((member) => member.topics));
    for (const topic of topics) {
      const candidates = this.#members.filter((member) => member.topics.includes(topic));
      partitionsOf(topic).forEach((log, index) => {
        const member = candidates[index % candidates.length]!;
        this.#owner.set(log, member);
        shares.get(member)!.push(log);
        this.committed(log);
      });
    }
    for (const [member, logs] of shares) member.assign(logs);
  }
}
