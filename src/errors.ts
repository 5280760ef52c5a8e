/** Every error tickflow raises on purpose carries one of these codes; callers branch on the code. */
export const ERROR_CODES = {
  CONFIG_INVALID: 'TICKFLOW_CONFIG_INVALID',
  FEED_UNAUTHORIZED: 'TICKFLOW_FEED_UNAUTHORIZED',
  FEED_SYMBOL_LIMIT: 'TICKFLOW_FEED_SYMBOL_LIMIT',
  BUS_CLOSED: 'TICKFLOW_BUS_CLOSED',
  BUS_UNKNOWN_TOPIC: 'TICKFLOW_BUS_UNKNOWN_TOPIC',
  REPLAY_INPUT: 'TICKFLOW_REPLAY_INPUT',
  USAGE: 'TICKFLOW_USAGE',
  /** A store query argument is wrong (unknown interval, bad limit or cursor): the caller's fault. */
  STORE_INVALID_QUERY: 'TICKFLOW_STORE_INVALID_QUERY',
  /** A value to write cannot be stored (NUL in a string, a non-integer time, …). */
  STORE_INVALID_RECORD: 'TICKFLOW_STORE_INVALID_RECORD',
  /** The database cannot be reached. */
  STORE_UNAVAILABLE: 'TICKFLOW_STORE_UNAVAILABLE',
  /** A migration failed, or one already applied was changed afterwards. */
  STORE_MIGRATION: 'TICKFLOW_STORE_MIGRATION',
  /** The embedded store's directory is open in another process (or twice in this one). */
  STORE_LOCKED: 'TICKFLOW_STORE_LOCKED',
  STORE_CLOSED: 'TICKFLOW_STORE_CLOSED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export class TickflowError extends Error {
  readonly code: ErrorCode;
  /** Whether trying the same operation again may succeed. */
  readonly canRetry: boolean;

  constructor(code: ErrorCode, message: string, options: { canRetry?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TickflowError';
    this.code = code;
    this.canRetry = options.canRetry ?? false;
  }
}

export class ConfigError extends TickflowError {
  constructor(message: string) {
    super(ERROR_CODES.CONFIG_INVALID, message);
    this.name = 'ConfigError';
  }
}
