/** Type guards for checking records read from the bus, which in distributed mode anyone may have written. */
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
/** A size a venue may leave out: `null`, or a finite number ≥ 0. */
export const isSizeOrNull = (value: unknown): value is number | null => value === null || (isFiniteNumber(value) && value >= 0);

/** A symbol as `TICKFLOW_SYMBOLS` (src/config/config.ts) and the API's SYMBOL_SCHEMA accept it. */
export const SYMBOL_PATTERN = /^[A-Za-z0-9.:_\-/^=]{1,40}$/;
