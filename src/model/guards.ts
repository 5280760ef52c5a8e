/** Type guards for checking records read from the bus, which in distributed mode anyone may have written. */
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
