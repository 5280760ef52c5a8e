import type { Writable } from 'node:stream';
import type { BusRecord } from '../../bus/bus.ts';
import type { Processor } from '../runner/processor.ts';

interface Timed {
  readonly type?: string;
  readonly tsEvent?: number;
  readonly tsRecv?: number;
}

/** One line per record: where it sits on the bus, its two clocks, and the record itself. */
export function formatRecord(record: BusRecord): string {
  const value = (record.value ?? {}) as Timed;
  const event = typeof value.tsEvent === 'number' ? new Date(value.tsEvent).toISOString() : '-';
  const recvLag = typeof value.tsRecv === 'number' && typeof value.tsEvent === 'number' ? `+${value.tsRecv - value.tsEvent}ms` : '-';
  return `${record.topic}[${record.partition}]@${record.offset} ${record.key} ${value.type ?? '?'} event=${event} recv=${recvLag} ${JSON.stringify(record.value)}`;
}

/** Prints every record it reads. Its effect (a line written) is immediate, so every batch commits. */
export class RecordLogger implements Processor {
  readonly name = 'logger';
  readonly topics: readonly string[];
  readonly #out: Writable;
  #lines = 0;

  constructor(topics: readonly string[], out: Writable = process.stdout) {
    this.topics = topics;
    this.#out = out;
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const text = batch.map(formatRecord).join('\n') + '\n';
    this.#lines += batch.length;
    if (!this.#out.write(text)) await new Promise((resolve) => this.#out.once('drain', resolve));
    return batch;
  }

  stats(): Readonly<Record<string, number>> {
    return { lines: this.#lines };
  }
}
