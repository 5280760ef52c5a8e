/** Why four prices are no bar's open, high, low and close (each positive, low and high bounding the others), or null. */
export function ohlcProblem(open: number, high: number, low: number, close: number): string | null {
  if (!(open > 0 && high > 0 && low > 0 && close > 0) || !Number.isFinite(open + high + low + close)) return 'open, high, low and close must be positive numbers';
  return low <= Math.min(open, close) && high >= Math.max(open, close) ? null : 'low and high must bound open and close';
}

/** The fields of a CSV line as numbers, or null when there are not `count` of them or one is not a finite number. */
export function numericFields(line: string, count: number): number[] | null {
  const fields = line.split(',');
  if (fields.length !== count) return null;
  const numbers = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const text = fields[i]!;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) return null;
    numbers[i] = value;
  }
  return numbers;
}
