/** Input tickflow could not use, kept for inspection instead of being silently dropped. */
export interface DeadLetter {
  readonly type: 'dead-letter';
  /** Which component rejected it: `finnhub`, `aggregator`, … */
  readonly origin: string;
  readonly reason: string;
  /** The raw input, truncated to `DEAD_LETTER_MAX_RAW` characters. */
  readonly raw: string;
  readonly tsRecv: number;
}

export const DEAD_LETTER_MAX_RAW = 4096;

export function deadLetter(origin: string, reason: string, raw: unknown, tsRecv = Date.now()): DeadLetter {
  const text = typeof raw === 'string' ? raw : safeStringify(raw);
  return { type: 'dead-letter', origin, reason, raw: text.slice(0, DEAD_LETTER_MAX_RAW), tsRecv };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
