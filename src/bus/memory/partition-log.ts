import type { BusRecord } from '../bus.ts';

/**
 * The records of one partition still held in memory. Offsets grow forever; records below
 * `startOffset` have been released (every subscribed group committed past them, or retention
 * dropped them).
 */
export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  #records: BusRecord[] = [];
  #head = 0;
  #startOffset = 0;

  constructor(topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
  }

  get startOffset(): number {
    return this.#startOffset;
  }

  get endOffset(): number {
    return this.#startOffset + this.#records.length - this.#head;
  }

  get size(): number {
    return this.#records.length - this.#head;
  }

  append(key: string, value: unknown, timestamp: number): void {
    this.#records.push({ topic: this.topic, partition: this.partition, offset: this.endOffset, key, value, timestamp });
  }

  /** Records from `offset` (clamped to what is still held), at most `max`. */
  read(offset: number, max: number): BusRecord[] {
    const from = Math.max(offset, this.#startOffset) - this.#startOffset + this.#head;
    return this.#records.slice(from, Math.min(from + max, this.#records.length));
  }

  /** Drops records below `offset`. */
  releaseBefore(offset: number): void {
    const drop = Math.min(offset, this.endOffset) - this.#startOffset;
    if (drop <= 0) return;
    this.#head += drop;
    this.#startOffset += drop;
    // Compact once the dead prefix dominates, so memory stays proportional to held records.
    if (this.#head > 1024 && this.#head * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#head = 0;
    }
  }
}
