import { finite, recordOf, string, text } from './checks.ts';

/** Input tickflow could not use, kept for inspection instead of being silently dropped. */
export interface DeadLetter {
  readonly type: 'dead-letter';
  /** Which component rejected it: `finnhub`, `aggregator`, … */
  readonly origin: string;
  readonly reason: string;
  /**
   * The raw input, truncated to `DEAD_LETTER_MAX_RAW` characters.
   * @maxLength 4096
   */
  readonly raw: string;
  readonly tsRecv: number;
}

export const DEAD_LETTER_MAX_RAW = 4096;

export function deadLetter(origin: string, reason: string, raw: unknown, tsRecv = Date.now()): DeadLetter {
  const text = typeof raw === 'string' ? raw : safeStringify(raw);
  return { type: 'dead-letter', origin, reason, raw: text.slice(0, DEAD_LETTER_MAX_RAW), tsRecv };
}

/** Checks a value read from the dead-letter topic before it is trusted as a dead letter. */
export function validateDeadLetter(value: unknown): DeadLetter | string {
  const record = recordOf(value, 'dead-letter');
  if (typeof record === 'string') return record;
  return (
    text('origin', record.origin) ??
    string('reason', record.reason) ??
    string('raw', record.raw) ??
    ((record.raw as string).length <= DEAD_LETTER_MAX_RAW ? undefined : `raw must be at most ${DEAD_LETTER_MAX_RAW} characters`) ??
    finite('tsRecv', record.tsRecv) ??
    (value as DeadLetter)
  );
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
