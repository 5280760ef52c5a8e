import type { FeedStatus } from '../../sources/websocket/reconnecting-feed.ts';

/** How often the banner's feed line is checked again after start-up, until the feed connects. */
const RECHECK_MS = 250;

/** The banner's `feed` line: connected, or not and why, so a live key with no connection is never silent. */
export function feedLine(status: FeedStatus): string {
  if (status.fatalError) return `  feed     NOT connected to ${status.url}: ${status.fatalError}`;
  if (!status.connected) return `  feed     NOT connected to ${status.url} yet${status.lastConnectError ? `: ${status.lastConnectError}` : ''}; retrying, /readyz stays 503 until it connects`;
  return `  feed     connected to ${status.url}`;
}

/**
 * After a banner that said the feed is not connected, writes one line when it connects (or stops
 * for good). Returns a stop function.
 */
export function announceWhenConnected(feed: { status(): FeedStatus }, write: (line: string) => void): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    const status = feed.status();
    if (status.connected) write(`feed connected to ${status.url} after ${((performance.now() - started) / 1000).toFixed(1)} s more`);
    if (status.connected || status.fatalError) clearInterval(timer);
  }, RECHECK_MS);
  return () => clearInterval(timer);
}
