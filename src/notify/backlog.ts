import type { DeliveryChannel, NotifyRecord } from './protocol.ts';

/** A record the hub could not fan out within its turn yet. */
export interface BacklogEntry {
  record: NotifyRecord;
  readonly channel: DeliveryChannel;
  /** Conflation key of a bar or window metrics; `null` for everything else. */
  readonly key: string | null;
  /** `performance.now()` when the record was handed to the hub. */
  readonly at: number;
}

/**
 * The hub's FIFO of records handed to it while it was still fanning out earlier ones (overload
 * only: in normal operation a batch is fanned out in the turn it arrives and this stays empty).
 * A bar or window metrics replaces a queued one with the same key in place, as in a client's
 * outbox. O(1) amortised per operation.
 */
export class Backlog {
  #entries: (BacklogEntry | undefined)[] = [];
  #head = 0;
  readonly #byKey = new Map<string, BacklogEntry>();

  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** Queues the record; returns false when it replaced a queued one with the same key instead. */
  push(record: NotifyRecord, channel: DeliveryChannel, key: string | null, at: number): boolean {
    if (key !== null) {
      const queued = this.#byKey.get(key);
      if (queued) {
        queued.record = record;
        return false;
      }
    }
    const entry: BacklogEntry = { record, channel, key, at };
    this.#entries.push(entry);
    if (key !== null) this.#byKey.set(key, entry);
    return true;
  }

  shift(): BacklogEntry | undefined {
    if (this.#head >= this.#entries.length) return undefined;
    const entry = this.#entries[this.#head];
    this.#entries[this.#head++] = undefined;
    if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    if (entry?.key != null) this.#byKey.delete(entry.key);
    return entry;
  }
}
