import { KeyedQueue } from './keyed-queue.ts';
import type { DeliveryChannel, NotifyRecord } from './protocol.ts';
import { TextFrame } from './text-frame.ts';

/** One message waiting for a client's socket: a record (with its channel) or a control message. */
export interface OutboxEntry {
  message: TextFrame;
  /** The record, for the delivery observer; `null` for control messages. */
  record: NotifyRecord | null;
  readonly channel: DeliveryChannel | null;
  /** Conflation key of a bar or window metrics; `null` for everything else. */
  readonly key: string | null;
}

/**
 * A client's FIFO of messages its socket could not take yet. An entry with a conflation key is
 * replaced in place by a newer one with the same key (it keeps its place in the queue, carries the
 * newest value). At most one `lagging` notice waits at a time; drops until it is sent add to it.
 */
export class Outbox {
  readonly #queue = new KeyedQueue<OutboxEntry>();
  /** The `lagging` notice still waiting to be sent, if any, and the drops it reports. */
  #notice: OutboxEntry | null = null;
  #noticeDropped = 0;
  #bytes = 0;

  get size(): number {
    return this.#queue.size;
  }

  /** The payload bytes waiting, frame headers not counted (a pending `lagging` notice counts as nothing until it is sent). */
  get bytes(): number {
    return this.#bytes;
  }

  push(entry: OutboxEntry): void {
    this.#queue.push(entry);
    this.#bytes += entry.message.payload.length;
  }

  /** Replaces the queued entry with `key` by this newer record; false when none is queued. */
  conflate(key: string, message: TextFrame, record: NotifyRecord): boolean {
    const queued = this.#queue.get(key);
    if (!queued) return false;
    this.#bytes += message.payload.length - queued.message.payload.length;
    queued.message = message;
    queued.record = record;
    return true;
  }

  /** Counts `count` dropped trades on the pending `lagging` notice, queueing one when none is pending. */
  noteDropped(count = 1): void {
    this.#noticeDropped += count;
    if (this.#notice) return;
    this.#notice = { message: EMPTY, record: null, channel: null, key: null };
    this.#queue.push(this.#notice);
  }

  shift(): OutboxEntry | undefined {
    const entry = this.#queue.shift();
    if (entry !== undefined) this.#bytes -= entry.message.payload.length;
    if (entry !== undefined && entry === this.#notice) {
      entry.message = TextFrame.json({ type: 'lagging', dropped: this.#noticeDropped });
      this.#notice = null;
      this.#noticeDropped = 0;
    }
    return entry;
  }

  clear(): void {
    this.#queue.clear();
    this.#notice = null;
    this.#noticeDropped = 0;
    this.#bytes = 0;
  }
}

/** The pending `lagging` notice's placeholder until it is sent. */
const EMPTY = TextFrame.of('');
