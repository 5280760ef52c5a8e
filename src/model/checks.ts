import { isFiniteNumber, isNonEmptyString } from './guards.ts';

/**
 * The pieces every record validator is built from. A validator is `validateX(value: unknown): X |
 * string`, in the file of its type: the record when it is one, else the first reason it is not,
 * naming the field. Each check below returns that reason or `undefined`, so a validator reads as
 * one `??` chain of its rules:
 *
 *   const record = recordOf(value, 'bar');
 *   if (typeof record === 'string') return record;
 *   return text('symbol', record.symbol) ?? times(record) ?? … ?? (value as Bar);
 */
export type Problem = string | undefined;

/** The value as a record of the expected `type`, or why it is not one. */
export function recordOf(value: unknown, type: string): Record<string, unknown> | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const record = value as Record<string, unknown>;
  return record.type === type ? record : `type must be ${JSON.stringify(type)} (got ${JSON.stringify(record.type)})`;
}

export const text = (name: string, value: unknown): Problem => (isNonEmptyString(value) ? undefined : `${name} missing`);

export const string = (name: string, value: unknown): Problem => (typeof value === 'string' ? undefined : `${name} must be a string`);

export const finite = (name: string, value: unknown): Problem => (isFiniteNumber(value) ? undefined : `${name} must be a number`);

export const positive = (name: string, value: unknown): Problem => (isFiniteNumber(value) && value > 0 ? undefined : `${name} must be a positive number`);

export const nonNegative = (name: string, value: unknown): Problem => (isFiniteNumber(value) && value >= 0 ? undefined : `${name} must be a number ≥ 0`);

export const nullOrPositive = (name: string, value: unknown): Problem =>
  value === null || (isFiniteNumber(value) && value > 0) ? undefined : `${name} must be null or a positive number`;

export const integer = (name: string, value: unknown, min: number): Problem =>
  Number.isSafeInteger(value) && (value as number) >= min ? undefined : `${name} must be an integer ≥ ${min}`;

export const oneOf = (name: string, value: unknown, allowed: readonly string[]): Problem =>
  typeof value === 'string' && allowed.includes(value) ? undefined : `${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`;

/** Both clocks of a record (see `Trade`): exchange time and receive time, Unix ms. */
export const times = (record: Record<string, unknown>): Problem =>
  isFiniteNumber(record.tsEvent) && isFiniteNumber(record.tsRecv) ? undefined : 'tsEvent/tsRecv must be numbers';

/** `value` (already checked to be a number) lies within [low, high], the range named by `range`. */
export const within = (name: string, value: number, low: number, high: number, range: string): Problem =>
  value >= low && value <= high ? undefined : `${name} must lie within ${range}`;

/**
 * For a union of record types (what travels on one topic): dispatches on `type` to the validator
 * of that type. `validators` maps each type tag to its validator.
 */
export function validateOneOf<T>(value: unknown, validators: { readonly [type: string]: (value: unknown) => T | string }): T | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const { type } = value as { type?: unknown };
  if (typeof type === 'string' && Object.hasOwn(validators, type)) return validators[type]!(value);
  return `unknown record type ${JSON.stringify(type)} (expected ${Object.keys(validators).join(' or ')})`;
}
