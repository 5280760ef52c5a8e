import { BAR_INTERVALS, type Bar } from '../model/bar.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import { validateTradingSignal, type TradingSignal } from '../model/signal.ts';
import type { Trade } from '../model/trade.ts';
import { validateMarketRecord } from '../model/validate.ts';

/**
 * Checks that a record can be stored, beyond being well-formed: everything the database would
 * refuse is refused here first, with a reason, so one bad record cannot fail a whole batch again
 * and again. Times and seq must be integers (bigint columns) and strings free of NUL (PostgreSQL
 * text cannot hold it). Each returns the record, or why it cannot be stored.
 */
export function checkTrade(value: unknown): Trade | string {
  const record = validateMarketRecord(value);
  if (typeof record === 'string') return record;
  if (record.type !== 'trade') return `not a trade (${record.type})`;
  return (
    text('source', record.source) ??
    text('symbol', record.symbol) ??
    integer('seq', record.seq) ??
    integer('tsEvent', record.tsEvent) ??
    integer('tsRecv', record.tsRecv) ??
    (record.conditions?.some((code) => code.includes('\0')) ? 'conditions must not contain NUL characters' : undefined) ??
    record
  );
}

export function checkBar(value: unknown): Bar | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const bar = value as Record<string, unknown>;
  if (bar.type !== 'bar') return `not a bar (${JSON.stringify(bar.type)})`;
  if (typeof bar.interval !== 'string' || !Object.hasOwn(BAR_INTERVALS, bar.interval)) return `unknown bar interval ${JSON.stringify(bar.interval)}`;
  return (
    text('symbol', bar.symbol) ??
    integer('start', bar.start) ??
    integer('tsEvent', bar.tsEvent) ??
    integer('tsRecv', bar.tsRecv) ??
    numbers(bar, ['end', 'open', 'high', 'low', 'close', 'volume']) ??
    nullableNumber('vwap', bar.vwap) ??
    count('count', bar.count, 0) ??
    (value as Bar)
  );
}

export function checkWindowMetrics(value: unknown): WindowMetrics | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const metrics = value as Record<string, unknown>;
  if (metrics.type !== 'window-metrics') return `not window metrics (${JSON.stringify(metrics.type)})`;
  return (
    text('symbol', metrics.symbol) ??
    count('window', metrics.window, 1) ??
    count('count', metrics.count, 0) ??
    integer('tsStart', metrics.tsStart) ??
    integer('tsEvent', metrics.tsEvent) ??
    integer('tsRecv', metrics.tsRecv) ??
    numbers(metrics, ['avg', 'min', 'max', 'first', 'last', 'changePct', 'volume']) ??
    nullableNumber('vwap', metrics.vwap) ??
    (value as WindowMetrics)
  );
}

/**
 * Beyond `validateTradingSignal`: integer times, text without NUL, and lineage strings that jsonb
 * accepts (no NUL, no lone surrogate: JSON.stringify writes one as `\udXXX`, which jsonb refuses).
 */
export function checkSignal(value: unknown): TradingSignal | string {
  const signal = validateTradingSignal(value);
  if (typeof signal === 'string') return signal;
  return (
    text('symbol', signal.symbol) ??
    text('strategy', signal.strategy) ??
    integer('tsEvent', signal.tsEvent) ??
    integer('tsRecv', signal.tsRecv) ??
    (signal.reason.includes('\0') ? 'reason must not contain NUL characters' : undefined) ??
    signal.lineage.map((input, index) => jsonText(`lineage[${index}].topic`, input.topic) ?? jsonText(`lineage[${index}].recordType`, input.recordType)).find((problem) => problem !== undefined) ??
    signal
  );
}

/** PostgreSQL `integer`. */
const INT4_MAX = 2_147_483_647;

export function text(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${name} must be a non-empty string`;
  return value.includes('\0') ? `${name} must not contain NUL characters` : undefined;
}

function jsonText(name: string, value: string): string | undefined {
  if (value.includes('\0')) return `${name} must not contain NUL characters`;
  return value.isWellFormed() ? undefined : `${name} must be well-formed Unicode (no lone surrogates)`;
}

export function integer(name: string, value: unknown): string | undefined {
  return Number.isSafeInteger(value) ? undefined : `${name} must be an integer (got ${JSON.stringify(value)})`;
}

export function count(name: string, value: unknown, min: number): string | undefined {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= INT4_MAX ? undefined : `${name} must be an integer ≥ ${min}`;
}

export function numbers(record: Record<string, unknown>, names: readonly string[]): string | undefined {
  const bad = names.find((name) => !Number.isFinite(record[name]));
  return bad === undefined ? undefined : `${bad} must be a finite number`;
}

export function nullableNumber(name: string, value: unknown): string | undefined {
  return value === null || Number.isFinite(value) ? undefined : `${name} must be a finite number or null`;
}
