import { deadLetter, type DeadLetter } from '../../model/dead-letter.ts';
import type { Trade } from '../../model/trade.ts';
import type { IngestSequence } from '../ingest-sequence.ts';

/** Frames that carry no trades but matter to the feed: liveness, venue errors, ignored news. */
export type FinnhubControl =
  | { readonly type: 'ping' }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'news'; readonly items: number };

export interface FinnhubMapResult {
  readonly records: Trade[];
  readonly deadLetters: DeadLetter[];
  readonly control?: FinnhubControl;
}

/**
 * Turns one raw Finnhub frame into trades. Pure apart from drawing sequence numbers.
 *
 * Finnhub's WebSocket streams trades only: forex arrives as price updates with volume 0 and no bid or
 * ask, so it stays a trade of size 0 here, never a Quote (quotes come from sources that carry both
 * sides, such as Lean's forex tick files).
 *
 * A bad entry is dead-lettered on its own and the rest of the frame kept: a frame batches trades of
 * many symbols, and one broken entry must not cost the others. A frame that is not JSON, not an
 * object or of an unknown type is dead-lettered whole. Every dead letter's `origin` is `source`.
 */
export function mapFinnhubFrame(raw: string, tsRecv: number, seq: IngestSequence, source: string): FinnhubMapResult {
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    return rejectFrame(source, 'unparseable JSON', raw, tsRecv);
  }
  if (!isObject(frame)) return rejectFrame(source, 'frame is not a JSON object', raw, tsRecv);

  switch (frame.type) {
    case 'trade':
      return mapTrades(frame.data, raw, tsRecv, seq, source);
    case 'ping':
      return { records: [], deadLetters: [], control: { type: 'ping' } };
    case 'error': {
      const message = typeof frame.msg === 'string' ? frame.msg : JSON.stringify(frame.msg ?? null);
      return { records: [], deadLetters: [], control: { type: 'error', message } };
    }
    case 'news':
      // tickflow does not subscribe to news (premium); a news frame is valid but carries nothing we keep.
      return { records: [], deadLetters: [], control: { type: 'news', items: Array.isArray(frame.data) ? frame.data.length : 0 } };
    default:
      return rejectFrame(source, `unknown frame type ${JSON.stringify(frame.type ?? null)}`, raw, tsRecv);
  }
}

function mapTrades(data: unknown, raw: string, tsRecv: number, seq: IngestSequence, source: string): FinnhubMapResult {
  if (!Array.isArray(data)) return rejectFrame(source, 'trade frame without a data array', raw, tsRecv);
  const records: Trade[] = [];
  const deadLetters: DeadLetter[] = [];
  data.forEach((entry: unknown, index) => {
    const problem = entryProblem(entry);
    if (problem !== null) {
      deadLetters.push(deadLetter(source, `trade entry ${index}: ${problem}`, entry, tsRecv));
      return;
    }
    const valid = entry as ValidEntry;
    records.push({
      type: 'trade',
      source,
      symbol: valid.s,
      price: valid.p,
      size: valid.v,
      conditions: valid.c == null ? null : valid.c.map(String),
      tsEvent: valid.t,
      tsRecv,
      seq: seq.next(),
    });
  });
  return { records, deadLetters };
}

interface ValidEntry {
  s: string;
  p: number;
  t: number;
  v: number;
  c?: ReadonlyArray<string | number> | null;
}

/** Why `entry` is not a usable trade, or `null` when it is. */
function entryProblem(entry: unknown): string | null {
  if (!isObject(entry)) return 'not an object';
  const { s, p, t, v, c } = entry;
  if (typeof s !== 'string' || s.length === 0) return 'symbol (s) missing or not a string';
  if (!isFiniteNumber(p) || p <= 0) return `price (p) must be a positive finite number, got ${JSON.stringify(p ?? null)}`;
  if (!isFiniteNumber(t) || t <= 0) return `time (t) must be Unix milliseconds, got ${JSON.stringify(t ?? null)}`;
  if (!isFiniteNumber(v) || v < 0) return `volume (v) must be a finite number ≥ 0, got ${JSON.stringify(v ?? null)}`;
  if (c != null && !(Array.isArray(c) && c.every((code) => typeof code === 'string' || isFiniteNumber(code)))) {
    return 'conditions (c) must be null, absent or an array of codes';
  }
  return null;
}

function rejectFrame(source: string, reason: string, raw: string, tsRecv: number): FinnhubMapResult {
  return { records: [], deadLetters: [deadLetter(source, reason, raw, tsRecv)] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
