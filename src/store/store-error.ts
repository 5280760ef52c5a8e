import { ERROR_CODES, TickflowError } from '../errors.ts';

/** The store's own codes, from the one list in `src/errors.ts`. */
export const STORE_ERROR_CODES = {
  INVALID_QUERY: ERROR_CODES.STORE_INVALID_QUERY,
  INVALID_RECORD: ERROR_CODES.STORE_INVALID_RECORD,
  UNAVAILABLE: ERROR_CODES.STORE_UNAVAILABLE,
  MIGRATION: ERROR_CODES.STORE_MIGRATION,
  LOCKED: ERROR_CODES.STORE_LOCKED,
  CLOSED: ERROR_CODES.STORE_CLOSED,
} as const;

export type StoreErrorCode = (typeof STORE_ERROR_CODES)[keyof typeof STORE_ERROR_CODES];

export class StoreError extends TickflowError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { canRetry?: boolean; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}

export function invalidQuery(message: string): StoreError {
  return new StoreError(STORE_ERROR_CODES.INVALID_QUERY, message);
}

export function invalidRecord(message: string): StoreError {
  return new StoreError(STORE_ERROR_CODES.INVALID_RECORD, message);
}
