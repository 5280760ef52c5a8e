import { validateBar, type Bar } from '../model/bar.ts';
import { validateWindowMetrics, type WindowMetrics } from '../model/metrics.ts';
import { validateTradingSignal, type TradingSignal } from '../model/signal.ts';
import { validateTrade, type Trade } from '../model/trade.ts';

/**
 * What the database can hold, on top of the model's validators (which say what a record is):
 * everything the database would refuse is refused here first, with a reason, so one bad record
 * cannot fail a whole batch again and again. Times and seq must be integers (bigint columns),
 * counts fit an `integer` column, and strings are free of NUL (PostgreSQL text cannot hold it).
 * Each returns the record, or why it cannot be stored.
 */
export function checkTrade(value: unknown): Trade | string {
  const trade = validateTrade(value);
  if (typeof trade === 'string') return trade;
  return (
    text('source', trade.source) ??
    text('symbol', trade.symbol) ??
    integer('seq', trade.seq) ??
    integer('tsEvent', trade.tsEvent) ??
    integer('tsRecv', trade.tsRecv) ??
    (trade.conditions?.some((code) => code.includes('\0')) ? 'conditions must not contain NUL characters' : undefined) ??
    trade
  );
}

export function checkBar(value: unknown): Bar | string {
  const bar = validateBar(value);
  if (typeof bar === 'string') return bar;
  return text('symbol', bar.symbol) ?? integer('start', bar.start) ?? integer('tsEvent', bar.tsEvent) ?? integer('tsRecv', bar.tsRecv) ?? count('count', bar.count, 0) ?? bar;
}

export function checkWindowMetrics(value: unknown): WindowMetrics | string {
  const metrics = validateWindowMetrics(value);
  if (typeof metrics === 'string') return metrics;
  return (
    text('symbol', metrics.symbol) ??
    count('window', metrics.window, 1) ??
    integer('tsStart', metrics.tsStart) ??
    integer('tsEvent', metrics.tsEvent) ??
    integer('tsRecv', metrics.tsRecv) ??
    metrics
  );
}

/** Also: lineage strings that jsonb accepts (no lone surrogate: JSON.stringify writes one as `\udXXX`, which jsonb refuses). */
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

/** A string the model's validator already found non-empty: without NUL. Also for the store's other record checks. */
export function text(name: string, value: string): string | undefined {
  return value.includes('\0') ? `${name} must not contain NUL characters` : undefined;
}

function jsonText(name: string, value: string): string | undefined {
  if (value.includes('\0')) return `${name} must not contain NUL characters`;
  return value.isWellFormed() ? undefined : `${name} must be well-formed Unicode (no lone surrogates)`;
}

export function integer(name: string, value: number): string | undefined {
  return Number.isSafeInteger(value) ? undefined : `${name} must be an integer (got ${JSON.stringify(value)})`;
}

/** A count: an integer ≥ `min` (as the model says) that fits an `integer` column. */
export function count(name: string, value: number, min: number): string | undefined {
  return Number.isInteger(value) && value >= min && value <= INT4_MAX ? undefined : `${name} must be an integer from ${min} to ${INT4_MAX}`;
}
