import type { TickflowError, ErrorCode } from '../../errors.ts';
import type { DeadLetter } from '../../model/dead-letter.ts';
import type { MarketRecord } from '../../model/market-record.ts';

/** What the venue made of one frame. Every frame, whatever it holds, counts as liveness. */
export interface FrameOutcome {
  readonly records: readonly MarketRecord[];
  readonly deadLetters: readonly DeadLetter[];
  /** Something the operator should know about (e.g. a refused subscription); never stops the feed. */
  readonly notice?: VenueNotice;
}

export interface VenueNotice {
  readonly message: string;
  readonly code: ErrorCode | null;
}

export interface FrameContext {
  /** Symbols the feed has asked the venue for, to put numbers into notices. */
  readonly subscribed: number;
}

/**
 * The venue-specific part of a WebSocket feed. `ReconnectingFeed` owns connecting, backoff,
 * resubscribing, stale detection, backpressure and gaps; a venue supplies only this.
 */
export interface FeedVenue {
  /** `Trade.source` / `Gap.source` of what this feed emits. */
  readonly source: string;
  /** The URL to connect to, secret included. Never logged: the feed logs `redactedUrl`. */
  connectUrl(): string;
  /** `connectUrl()` with its secrets masked. */
  readonly redactedUrl: string;
  /** Literal secrets to mask in any text the feed logs or raises (the URL may not be their only carrier). */
  readonly secrets: readonly string[];
  subscribeMessages(symbols: readonly string[]): readonly string[];
  unsubscribeMessages(symbols: readonly string[]): readonly string[];
  mapFrame(raw: string, tsRecv: number, context: FrameContext): FrameOutcome;
  /**
   * The fatal error for an HTTP status that refused the WebSocket upgrade (e.g. 401 for a rejected
   * key), or `null` when retrying may help (429, 5xx).
   */
  upgradeFailure(statusCode: number): TickflowError | null;
}
