import { open } from 'node:fs/promises';
import { validateMarketRecord, type MarketRecord } from '../../model/market-record.ts';
import { readLines, type ByteCounter } from './line-reader.ts';
import type { ReplayInput } from './replay-input.ts';

export interface JsonlInputOptions {
  /**
   * Give every record this `source` and its line number as `seq`. Default: keep the archived
   * identity (`source`, `seq`) when the line has one, so replaying an archive of the raw topic
   * reproduces the original trade ids (and a store deduplicates a second replay).
   */
  readonly source?: string;
}

/**
 * JSON Lines of market records: archive lines of the raw topic
 * `{"partition","offset","key","timestamp","value":{Trade, Quote or Gap}}`, or bare Trade/Quote/Gap
 * objects. A bare trade or quote may leave out `source` (→ `replay`), `seq` (→ its line number) and
 * `tsRecv` (→ its `tsEvent`); a trade `conditions` (→ `null`), a quote `bidSize`/`askSize` (→ `null`).
 */
export async function openJsonlInput(path: string, options: JsonlInputOptions = {}): Promise<ReplayInput> {
  const file = await open(path, 'r');
  const { size } = await file.stat();
  const counter: ByteCounter = { bytes: 0 };
  let closed = false;
  return {
    origin: 'replay',
    totalBytes: size,
    lines: () => readLines(file.createReadStream({ autoClose: false }), counter),
    bytesRead: () => counter.bytes,
    parse: (line, lineNumber) => parseJsonLine(line, lineNumber, options.source),
    close: async () => {
      if (closed) return;
      closed = true;
      await file.close();
    },
  };
}

export function parseJsonLine(line: string, lineNumber: number, source?: string): MarketRecord | string {
  const value = archivedValue(line);
  return typeof value === 'string' ? value : marketRecordOf(value, lineNumber, source);
}

/** The record object of a JSON line: the archive envelope's `value`, or the line's object itself; or why there is none. */
export function archivedValue(line: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const object = parsed as Record<string, unknown>;
  const isEnvelope = 'value' in object && 'offset' in object;
  const value = isEnvelope ? object.value : object;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'archive line without a record object in `value`';
  return value as Record<string, unknown>;
}

/** A trade, quote or gap object of line `lineNumber` with the defaults above, checked; or why it is not one. */
export function marketRecordOf(value: Record<string, unknown>, lineNumber: number, source?: string): MarketRecord | string {
  const checked = validateMarketRecord(withDefaults(value, lineNumber, source));
  if (typeof checked === 'string') return checked;
  return pick(checked);
}

function withDefaults(value: Record<string, unknown>, lineNumber: number, source: string | undefined): Record<string, unknown> {
  const record = { ...value };
  if (source !== undefined) record.source = source;
  else if (record.source === undefined) record.source = 'replay';
  if (record.type === 'trade' || record.type === 'quote') {
    if (source !== undefined || record.seq === undefined) record.seq = lineNumber;
  }
  if (record.type === 'trade' && record.conditions === undefined) record.conditions = null;
  if (record.type === 'quote') {
    if (record.bidSize === undefined) record.bidSize = null;
    if (record.askSize === undefined) record.askSize = null;
  }
  if (record.tsRecv === undefined) record.tsRecv = record.tsEvent;
  return record;
}

/** Only the model's fields: archives may carry extra ones, which would otherwise travel on. */
function pick(record: MarketRecord): MarketRecord {
  if (record.type === 'gap') {
    const { source, symbol, reason, tsEvent, tsRecv } = record;
    return { type: 'gap', source, symbol, reason, tsEvent, tsRecv };
  }
  if (record.type === 'quote') {
    const { source, symbol, bid, ask, bidSize, askSize, tsEvent, tsRecv, seq } = record;
    return { type: 'quote', source, symbol, bid, ask, bidSize, askSize, tsEvent, tsRecv, seq };
  }
  const { source, symbol, price, size, conditions, tsEvent, tsRecv, seq } = record;
  return { type: 'trade', source, symbol, price, size, conditions: conditions === null ? null : [...conditions], tsEvent, tsRecv, seq };
}
