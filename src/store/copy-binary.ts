import type { Bar } from '../model/bar.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import type { TradingSignal } from '../model/signal.ts';
import type { Trade } from '../model/trade.ts';
import { metricsFingerprint } from './metrics-fingerprint.ts';

/**
 * Rows in COPY's binary format (PostgreSQL docs, "COPY — Binary Format"): no number is printed or
 * parsed on either side: ~1.4× the text format's rate on PGlite, ~1.1× on PostgreSQL into the
 * indexed trades table (bench/README.md, Storage throughput). Values must have passed
 * `record-checks.ts`: integers safe, strings without NUL.
 */
export const TRADE_COLUMNS = ['source', 'seq', 'symbol', 'ts_event', 'ts_recv', 'price', 'size', 'conditions'] as const;
export const BAR_COLUMNS = ['symbol', 'bar_interval', 'start', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trade_count', 'ts_event', 'ts_recv'] as const;
export const METRICS_COLUMNS = [
  'symbol',
  'ts_event',
  'fingerprint',
  'window_size',
  'trade_count',
  'vwap',
  'avg_price',
  'min_price',
  'max_price',
  'first_price',
  'last_price',
  'change_pct',
  'volume',
  'ts_start',
  'ts_recv',
] as const;
export const SIGNAL_COLUMNS = ['symbol', 'ts_event', 'strategy', 'side', 'strength', 'price', 'ts_recv', 'reason', 'lineage'] as const;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** pg_type OID of `text`: the element type a `text[]` value must declare. */
const TEXT_OID = 25;
const TWO_32 = 4_294_967_296;
const JSONB_VERSION = 1;

/** Appends one COPY binary stream: header, tuples, trailer. */
export class BinaryCopyWriter {
  #buffer: Buffer;
  #at = 0;

  constructor(expectedRows: number, bytesPerRow = 128) {
    this.#buffer = Buffer.allocUnsafe(SIGNATURE.length + 10 + expectedRows * bytesPerRow);
    SIGNATURE.copy(this.#buffer, 0);
    this.#at = SIGNATURE.length;
    this.#int32(0); // flags: no OIDs
    this.#int32(0); // header extension length
  }

  row(fields: number): this {
    this.#ensure(2);
    this.#buffer.writeInt16BE(fields, this.#at);
    this.#at += 2;
    return this;
  }

  text(value: string): this {
    this.#ensure(4 + value.length * 3);
    const length = this.#buffer.write(value, this.#at + 4, 'utf8');
    this.#buffer.writeInt32BE(length, this.#at);
    this.#at += 4 + length;
    return this;
  }

  /** A safe integer as `bigint`: two 32-bit halves, no BigInt on the way. */
  int8(value: number): this {
    this.#ensure(12);
    const high = Math.floor(value / TWO_32);
    this.#buffer.writeInt32BE(8, this.#at);
    this.#buffer.writeInt32BE(high, this.#at + 4);
    this.#buffer.writeUInt32BE(value - high * TWO_32, this.#at + 8);
    this.#at += 12;
    return this;
  }

  int4(value: number): this {
    this.#ensure(8);
    this.#buffer.writeInt32BE(4, this.#at);
    this.#buffer.writeInt32BE(value, this.#at + 4);
    this.#at += 8;
    return this;
  }

  float8(value: number | null): this {
    if (value === null) return this.null();
    this.#ensure(12);
    this.#buffer.writeInt32BE(8, this.#at);
    this.#buffer.writeDoubleBE(value, this.#at + 4);
    this.#at += 12;
    return this;
  }

  /** `jsonb` from JSON text: jsonb's binary form is a version byte (1) and the text (jsonb_send). */
  jsonb(json: string): this {
    this.#ensure(5 + json.length * 3);
    const length = this.#buffer.write(json, this.#at + 5, 'utf8');
    this.#buffer.writeInt32BE(length + 1, this.#at);
    this.#buffer.writeUInt8(JSONB_VERSION, this.#at + 4);
    this.#at += 5 + length;
    return this;
  }

  /** A one-dimensional `text[]` without NULL elements (or NULL). */
  textArray(values: readonly string[] | null): this {
    if (values === null) return this.null();
    this.#ensure(24);
    const start = this.#at;
    this.#at += 4;
    this.#int32(values.length > 0 ? 1 : 0); // dimensions (an empty array has none)
    this.#int32(0); // has NULL elements
    this.#int32(TEXT_OID);
    if (values.length > 0) {
      this.#int32(values.length);
      this.#int32(1); // lower bound
    }
    for (const value of values) this.text(value);
    this.#buffer.writeInt32BE(this.#at - start - 4, start);
    return this;
  }

  null(): this {
    this.#int32(-1);
    return this;
  }

  /** The stream, ended by the trailer. The writer is spent. */
  finish(): Buffer {
    this.#ensure(2);
    this.#buffer.writeInt16BE(-1, this.#at);
    this.#at += 2;
    return this.#buffer.subarray(0, this.#at);
  }

  #int32(value: number): void {
    this.#ensure(4);
    this.#buffer.writeInt32BE(value, this.#at);
    this.#at += 4;
  }

  #ensure(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes));
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }
}

export function tradeCopyRows(trades: readonly Trade[]): Buffer {
  const out = new BinaryCopyWriter(trades.length, 112);
  for (const t of trades) {
    out.row(TRADE_COLUMNS.length).text(t.source).int8(t.seq).text(t.symbol).int8(t.tsEvent).int8(t.tsRecv).float8(t.price).float8(t.size).textArray(t.conditions);
  }
  return out.finish();
}

export function barCopyRows(bars: readonly Bar[]): Buffer {
  const out = new BinaryCopyWriter(bars.length, 140);
  for (const b of bars) {
    out
      .row(BAR_COLUMNS.length)
      .text(b.symbol)
      .text(b.interval)
      .int8(b.start)
      .float8(b.open)
      .float8(b.high)
      .float8(b.low)
      .float8(b.close)
      .float8(b.volume)
      .float8(b.vwap)
      .int4(b.count)
      .int8(b.tsEvent)
      .int8(b.tsRecv);
  }
  return out.finish();
}

export function metricsCopyRows(metrics: readonly WindowMetrics[]): Buffer {
  const out = new BinaryCopyWriter(metrics.length, 200);
  for (const m of metrics) {
    out
      .row(METRICS_COLUMNS.length)
      .text(m.symbol)
      .int8(m.tsEvent)
      .text(metricsFingerprint(m))
      .int4(m.window)
      .int4(m.count)
      .float8(m.vwap)
      .float8(m.avg)
      .float8(m.min)
      .float8(m.max)
      .float8(m.first)
      .float8(m.last)
      .float8(m.changePct)
      .float8(m.volume)
      .int8(m.tsStart)
      .int8(m.tsRecv);
  }
  return out.finish();
}

/** Lineage as stored: each input's known fields only, in a fixed order. */
export function lineageJson(signal: TradingSignal): string {
  return JSON.stringify(signal.lineage.map(({ topic, partition, offset, recordType, tsEvent }) => ({ topic, partition, offset, recordType, tsEvent })));
}

export function signalCopyRows(signals: readonly TradingSignal[]): Buffer {
  const out = new BinaryCopyWriter(signals.length, 320);
  for (const s of signals) {
    out
      .row(SIGNAL_COLUMNS.length)
      .text(s.symbol)
      .int8(s.tsEvent)
      .text(s.strategy)
      .text(s.side)
      .float8(s.strength)
      .float8(s.price)
      .int8(s.tsRecv)
      .text(s.reason)
      .jsonb(lineageJson(s));
  }
  return out.finish();
}
