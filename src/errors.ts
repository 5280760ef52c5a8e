/**
 * Every error tickflow raises on purpose is a `TickflowError` (or a subclass) carrying one of these
 * codes; callers branch on the code and on `canRetry`, never on the message. The value of each code
 * is `TICKFLOW_` + its name (test/errors.test.ts checks this, and that every code is used).
 */
export const ERROR_CODES = {
  /** A setting or an option is wrong: found at start-up, before anything connects. */
  CONFIG_INVALID: 'TICKFLOW_CONFIG_INVALID',
  FEED_UNAUTHORIZED: 'TICKFLOW_FEED_UNAUTHORIZED',
  FEED_SYMBOL_LIMIT: 'TICKFLOW_FEED_SYMBOL_LIMIT',
  BUS_CLOSED: 'TICKFLOW_BUS_CLOSED',
  BUS_UNKNOWN_TOPIC: 'TICKFLOW_BUS_UNKNOWN_TOPIC',
  /** A newer transactional producer with the same id took over: this one must stop for good. */
  BUS_FENCED: 'TICKFLOW_BUS_FENCED',
  /** The broker's authorizer refused this client's principal an operation on a topic, group, transactional id or the cluster: an ACL is missing. */
  BUS_ACCESS_DENIED: 'TICKFLOW_BUS_ACCESS_DENIED',
  /** The broker or the consumer group did not answer or settle in time (offsets, a rebalance, an open transaction). */
  BUS_TIMEOUT: 'TICKFLOW_BUS_TIMEOUT',
  /** A transaction outlived its timeout and the broker aborted it: nothing of it was committed. */
  BUS_TRANSACTION_ABORTED: 'TICKFLOW_BUS_TRANSACTION_ABORTED',
  /**
   * The connection's security failed: the broker rejected the SASL credentials or the client
   * certificate, its own certificate is not trusted (unknown CA, expired, another host), or only one
   * end speaks TLS. The message names the setting to fix; retrying does not help.
   */
  BUS_AUTHENTICATION: 'TICKFLOW_BUS_AUTHENTICATION',
  REPLAY_INPUT: 'TICKFLOW_REPLAY_INPUT',
  /** The command line, or a component's API, was used wrongly (a start called twice, …). */
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
  /** A processor's saved state (the aggregator's state topic, the archive's checkpoint) cannot be read. */
  STATE_UNREADABLE: 'TICKFLOW_STATE_UNREADABLE',
  /** Kinesis did not accept every record of a PutRecords batch. */
  KINESIS_PUT_FAILED: 'TICKFLOW_KINESIS_PUT_FAILED',
  /** An HTTP request answered with an error status (`HttpProblem`). */
  HTTP_PROBLEM: 'TICKFLOW_HTTP_PROBLEM',
  /** No tickflow serving the trading service answers, and its store cannot be opened here instead (in use, or not embedded). */
  TRADING_UNREACHABLE: 'TICKFLOW_TRADING_UNREACHABLE',
  /** A user's strategy failed: its module does not load, its definition is wrong, a handler threw. */
  STRATEGY: 'TICKFLOW_STRATEGY',
  /** A bug in tickflow: an invariant broke, or the composition root wired a part without what it needs. */
  INTERNAL: 'TICKFLOW_INTERNAL',
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

/**
 * A bug, not a condition to handle: the message says which invariant broke. `canRetry` when starting
 * the part over (fresh state) may get past it.
 */
export class InternalError extends TickflowError {
  constructor(message: string, options: { canRetry?: boolean } = {}) {
    super(ERROR_CODES.INTERNAL, message, options);
    this.name = 'InternalError';
  }
}
