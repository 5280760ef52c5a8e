/**
 * `GET /v2/account/portfolio/history` as a line series' points: seconds and equity, by time, each
 * time once (the library refuses repeats), points without an equity left out.
 */
export function equityPoints(history) {
  const points = new Map();
  const times = history?.timestamp ?? [];
  const equity = history?.equity ?? [];
  for (let i = 0; i < times.length; i++) {
    const value = equity[i];
    if (!Number.isFinite(times[i]) || value === null || value === undefined || !Number.isFinite(Number(value))) continue;
    points.set(times[i], Number(value));
  }
  return [...points].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time, value }));
}
