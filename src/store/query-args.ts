import { invalidQuery } from './store-error.ts';
import { MOVING_AVERAGE_KINDS, QUERY_INTERVALS, type MovingAverageKind, type QueryInterval, type TimeRange } from './store.ts';

/**
 * Checks of what callers (the REST API) pass to the store's reads. A wrong argument is a
 * StoreError with code INVALID_QUERY and a message fit to show the caller.
 */
export const MAX_LIMIT = 10_000;

export function symbolArg(symbol: unknown): string {
  return textArg('symbol', symbol);
}

/** A strategy instance's id, as the signals' `strategy` field carries it. */
export function strategyArg(strategy: unknown): string {
  return textArg('strategy', strategy);
}

function textArg(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 100 || value.includes('\0')) {
    throw invalidQuery(`${name} must be a non-empty string of at most 100 characters (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function limitArg(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalidQuery(`limit must be an integer from 1 to ${MAX_LIMIT} (got ${JSON.stringify(limit)})`);
  return limit;
}

/** [from, to) with open ends filled in. */
export function rangeArg(range: TimeRange): { from: number; to: number } {
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!Number.isSafeInteger(value)) throw invalidQuery(`${name} must be an integer time in Unix ms (got ${JSON.stringify(value)})`);
  }
  if (from > to) throw invalidQuery(`from (${from}) is after to (${to})`);
  return { from, to };
}

export function intervalArg(interval: unknown): QueryInterval {
  if (typeof interval !== 'string' || !Object.hasOwn(QUERY_INTERVALS, interval)) {
    throw invalidQuery(`interval must be one of ${Object.keys(QUERY_INTERVALS).join(', ')} (got ${JSON.stringify(interval)})`);
  }
  return interval as QueryInterval;
}

export function kindArg(kind: unknown): MovingAverageKind {
  if (!MOVING_AVERAGE_KINDS.includes(kind as MovingAverageKind)) {
    throw invalidQuery(`kind must be one of ${MOVING_AVERAGE_KINDS.join(', ')} (got ${JSON.stringify(kind)})`);
  }
  return kind as MovingAverageKind;
}

export function windowArg(window: unknown): number {
  if (!Number.isInteger(window) || (window as number) < 1 || (window as number) > 2_147_483_647) {
    throw invalidQuery(`window must be a positive integer (got ${JSON.stringify(window)})`);
  }
  return window as number;
}

/** Where a trade page ended: the last trade's position in (ts_event, source, seq) order. */
export interface TradeCursor {
  readonly order: 'asc' | 'desc';
  readonly tsEvent: number;
  readonly source: string;
  readonly seq: number;
}

export function encodeCursor(cursor: TradeCursor): string {
  return Buffer.from(JSON.stringify([cursor.order === 'asc' ? 'a' : 'd', cursor.tsEvent, cursor.source, cursor.seq])).toString('base64url');
}

export function decodeCursor(text: string, order: 'asc' | 'desc'): TradeCursor {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    fields = null;
  }
  if (!Array.isArray(fields) || fields.length !== 4) throw invalidQuery('cursor is not one the store issued');
  const [direction, tsEvent, source, seq] = fields as unknown[];
  if ((direction !== 'a' && direction !== 'd') || !Number.isSafeInteger(tsEvent) || typeof source !== 'string' || source.includes('\0') || !Number.isSafeInteger(seq)) {
    throw invalidQuery('cursor is not one the store issued');
  }
  const cursorOrder = direction === 'a' ? 'asc' : 'desc';
  if (cursorOrder !== order) throw invalidQuery(`cursor was issued for order ${cursorOrder}, not ${order}`);
  return { order, tsEvent: tsEvent as number, source, seq: seq as number };
}

export function orderArg(order: unknown): 'asc' | 'desc' {
  if (order === undefined) return 'asc';
  if (order !== 'asc' && order !== 'desc') throw invalidQuery(`order must be asc or desc (got ${JSON.stringify(order)})`);
  return order;
}
