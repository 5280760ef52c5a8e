/** The span a benchmark measures in, Unix ms: what happens before `from` is warm-up. */
export interface MeasuringWindow {
  readonly from: number;
  readonly to: number;
}

/** Starts after `warmupMs` from now and lasts `seconds`. */
export function measuringWindow(seconds: number, warmupMs = 5_000): MeasuringWindow {
  const from = Date.now() + warmupMs;
  return { from, to: from + seconds * 1000 };
}

export const within = ({ from, to }: MeasuringWindow, at: number): boolean => at >= from && at <= to;
