import type { DeliveryChannel, NotifyRecord } from './protocol.ts';

/** One message waiting for a client's socket: a record (with its channel) or a control message. */
export interface OutboxEntry {
  payload: Buffer;
  /** The record, for the delivery observer; `null` for control messages. */
  record: NotifyRecord | null;
  readonly channel: DeliveryChannel | null;
  /** Conflation key of a bar or window metrics; `null` for everything else. */
  readonly key: string | null;
  /** Trades dropped that this `lagging` notice reports; `null` for anything else. */
  dropped: number | null;
}

/**
 * A client's FIFO of messages its socket could not take yet. An entry with a conflation key is
 * replaced in place by a newer one with the same key (it keeps its place in the queue, carries the
 * newest value). Every method is O(1) amortised.
 */
export class Outbox {
  #entries: (OutboxEntry | undefined)[] = [];
  #head = 0;
  readonly #byKey = new Map<string, OutboxEntry>();
  /** The `lagging` notice still waiting to be sent, if any: further drops add to it. */
  #notice: OutboxEntry | null = null;

  get size(): number {
    return this.#entries.length - this.#head;
  }

  push(entry: OutboxEntry): void {
    this.#entries.push(entry);
    if (entry.key !== null) this.#byKey.set(entry.key, entry);
  }

  /** Replaces the queued entry with `key` by this newer record; false when none is queued. */
  conflate(key: string, payload: Buffer, record: NotifyRecord): boolean {
    const queued = this.#byKey.get(key);
    if (!queued) return false;
    queued.payload = payload;
    queued.record = record;
    return true;
  }

  /** Counts `count` dropped trades on the pending `lagging` notice, queueing one when none is pending. */
  noteDropped(count = 1): void {
    if (this.#notice) {
      this.#notice.dropped! += count;
      return;
    }
    this.#notice = { payload: Buffer.alloc(0), record: null, channel: null, key: null, dropped: count };
    this.push(this.#notice);
  }

  shift(): OutboxEntry | undefined {
    if (this.#head >= this.#entries.length) return undefined;
    const entry = this.#entries[this.#head];
    this.#entries[this.#head++] = undefined;
    // Compact once the consumed prefix dominates, so the array does not grow without bound.
    if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    if (!entry) return undefined;
    if (entry.key !== null) this.#byKey.delete(entry.key);
    if (entry === this.#notice) {
      this.#notice = null;
      entry.payload = Buffer.from(JSON.stringify({ type: 'lagging', dropped: entry.dropped }));
    }
    return entry;
  }

  clear(): void {
    this.#entries = [];
    this.#head = 0;
    this.#byKey.clear();
    this.#notice = null;
  }
}
