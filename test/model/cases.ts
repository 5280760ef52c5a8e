import assert from 'node:assert/strict';

type Validator = (value: unknown) => unknown;

/** Each value comes back as itself (the same object, not a copy). */
export function assertAccepts(validate: Validator, values: readonly unknown[]): void {
  for (const value of values) assert.equal(validate(value), value, JSON.stringify(value));
}

/** Each value is refused with exactly its reason. */
export function assertReasons(validate: Validator, cases: ReadonlyArray<readonly [unknown, string]>): void {
  for (const [value, reason] of cases) assert.equal(validate(value), reason, JSON.stringify(value));
}

/** `record` without `field`. */
export function without<T extends object>(record: T, field: keyof T): Omit<T, typeof field> {
  const copy = { ...record };
  delete copy[field];
  return copy;
}
