/**
 * One symbol's signals for its markers: the live ones from /ws/notifications and the stored ones
 * from /v1/signals, each once. A signal is identified as the store does (strategy, event time,
 * side; the symbol is the list's): one that arrived live and is then fetched again is one marker.
 */
export function signalKey(signal) {
  return `${signal.strategy}\u0000${signal.tsEvent}\u0000${signal.side}`;
}

/** `list` (oldest first) with those of `more` it lacks, by event time, the newest `max` kept; `list` itself when nothing is new. */
export function mergeSignals(list, more, max) {
  const seen = new Set(list.map(signalKey));
  const added = [];
  for (const signal of more) {
    const key = signalKey(signal);
    if (seen.has(key)) continue;
    seen.add(key);
    added.push(signal);
  }
  if (added.length === 0) return list;
  const merged = [...list, ...added].sort((a, b) => a.tsEvent - b.tsEvent);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}
