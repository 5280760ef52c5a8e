import type { BusRecord, OutgoingRecord } from '../../bus/bus.ts';
import { deadLetter, type DeadLetter } from '../../model/dead-letter.ts';

/** Where a bus record came from, as dead letters and log lines name it: `topic[partition]@offset`. */
export function recordLocation(record: Pick<BusRecord, 'topic' | 'partition' | 'offset'>): string {
  return `${record.topic}[${record.partition}]@${record.offset}`;
}

/**
 * The dead letter for a bus record `origin` could not use, keyed by its origin, naming where it came
 * from and why; its bus timestamp is its `tsRecv` (default now).
 */
export function rejectedRecord(origin: string, record: BusRecord, reason: string, tsRecv?: number): OutgoingRecord<DeadLetter> {
  const value = deadLetter(origin, `${recordLocation(record)}: ${reason}`, record.value, tsRecv);
  return { key: origin, value, timestamp: value.tsRecv };
}
