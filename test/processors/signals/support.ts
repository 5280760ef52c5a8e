import type { BusProducer, BusRecord, OutgoingRecord } from '../../../src/bus/bus.ts';
import { BAR_INTERVALS, type Bar, type BarInterval } from '../../../src/model/bar.ts';
import type { Gap } from '../../../src/model/gap.ts';
import type { WindowMetrics } from '../../../src/model/metrics.ts';
import type { SignalInput } from '../../../src/model/signal.ts';

export const T0 = 1_700_000_000_000;

/** A closed bar number `n` (0-based) of `symbol`: period [T0 + n·interval, T0 + (n + 1)·interval). */
export function bar(n: number, close: number, fields: Partial<Omit<Bar, 'interval'>> & { interval?: BarInterval } = {}): Bar {
  const interval: BarInterval = fields.interval ?? '1s';
  const ms = BAR_INTERVALS[interval];
  const start = T0 + n * ms;
  const open = fields.open ?? close;
  return {
    type: 'bar',
    symbol: 'AAPL',
    interval,
    start,
    end: start + ms,
    open,
    high: Math.max(open, close),
    low: Math.min(open, close),
    close,
    volume: 100,
    vwap: close,
    count: 5,
    tsEvent: start + ms,
    tsRecv: start + ms + 7,
    ...fields,
  };
}

/** Window metrics number `n` whose prices range from `last` to `vwap` (a VWAP lies within the window's prices). */
export function metrics(n: number, last: number, vwap: number | null, fields: Partial<WindowMetrics> = {}): WindowMetrics {
  const [min, max] = [Math.min(last, vwap ?? last), Math.max(last, vwap ?? last)];
  return { type: 'window-metrics', symbol: 'AAPL', window: 20, count: 20, vwap, avg: last, min, max, first: last, last, changePct: 0, volume: vwap === null ? 0 : 1_000, tsStart: T0 + n * 1_000 - 500, tsEvent: T0 + n * 1_000, tsRecv: T0 + n * 1_000 + 3, ...fields };
}

export function gap(symbol = 'AAPL', tsEvent = T0): Gap {
  return { type: 'gap', source: 'test', symbol, reason: 'disconnect', tsEvent, tsRecv: tsEvent };
}

/** Lineage entry for a record at `offset` of a test topic. */
export function inputOf(value: { type: string; tsEvent: number }, offset: number, topic = 'metrics'): SignalInput {
  return { topic, partition: 0, offset, recordType: value.type, tsEvent: value.tsEvent };
}

/** Bus records with consecutive offsets on one partition, as a consumer would hand them over. */
export class Partition {
  readonly topic: string;
  readonly partition: number;
  #next = 0;

  constructor(topic: string, partition = 0) {
    this.topic = topic;
    this.partition = partition;
  }

  record(value: unknown, key = (value as { symbol?: string } | null)?.symbol ?? 'x'): BusRecord {
    return { topic: this.topic, partition: this.partition, offset: this.#next++, key, value, timestamp: 0 };
  }
}

export class RecordingProducer implements BusProducer {
  readonly sent: Array<{ topic: string; records: readonly OutgoingRecord[] }> = [];
  failures = 0;
  gate: Promise<void> | null = null;

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('broker unavailable');
    }
    this.sent.push({ topic, records });
  }

  async close(): Promise<void> {}

  values(topic: string): unknown[] {
    return this.sent.filter((batch) => batch.topic === topic).flatMap((batch) => batch.records.map((record) => record.value));
  }
}
