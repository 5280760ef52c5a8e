import { ConfigError, ERROR_CODES, TickflowError } from '../../errors.ts';
import type { Clock } from '../../clock.ts';
import { redactSecrets, type Logger } from '../../logger.ts';
import { IngestSequence } from '../ingest-sequence.ts';
import type { FeedVenue, FrameContext, FrameOutcome, VenueNotice } from '../websocket/feed-venue.ts';
import { ReconnectingFeed, type ReconnectTuning } from '../websocket/reconnecting-feed.ts';
import { mapFinnhubFrame } from './mapper.ts';
import { clientFrame, FINNHUB_DEFAULT_WS_URL, FINNHUB_FREE_SYMBOL_LIMIT, FINNHUB_SYMBOL_LIMIT_MSG } from './messages.ts';

export interface FinnhubFeedOptions extends ReconnectTuning {
  readonly apiKey: string;
  /** WebSocket base URL; default `FINNHUB_DEFAULT_WS_URL`. Point it at the simulator's `url` to test. */
  readonly url?: string;
  readonly symbols: readonly string[];
  readonly logger?: Logger;
  /** `Trade.source` of every trade: `finnhub` (default), or `simulator` when fed by the simulator. */
  readonly source?: string;
  /** `Source.name`; defaults to `source`. */
  readonly name?: string;
  readonly sequence?: IngestSequence;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/**
 * The Finnhub trade stream as a `Source`: one socket per key (Finnhub drops the older of two
 * connections with the same key), everything else from `ReconnectingFeed`.
 */
export class FinnhubFeed extends ReconnectingFeed {
  constructor(options: FinnhubFeedOptions) {
    const source = options.source ?? 'finnhub';
    const venue = new FinnhubVenue({
      apiKey: options.apiKey,
      url: options.url ?? FINNHUB_DEFAULT_WS_URL,
      source,
      sequence: options.sequence ?? new IngestSequence(),
    });
    const symbols = [...new Set(options.symbols)];
    if (symbols.some((symbol) => typeof symbol !== 'string' || symbol.trim() === '')) {
      throw new ConfigError('Finnhub feed: symbols must be non-empty strings');
    }
    // Only the tuning goes to the base: the key stays inside the venue.
    super({
      name: options.name ?? source,
      venue,
      symbols,
      logger: options.logger,
      clock: options.clock,
      random: options.random,
      backoffBaseMs: options.backoffBaseMs,
      backoffMaxMs: options.backoffMaxMs,
      healthyAfterMs: options.healthyAfterMs,
      staleAfterMs: options.staleAfterMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      closeTimeoutMs: options.closeTimeoutMs,
    });
  }
}

export interface FinnhubVenueOptions {
  readonly apiKey: string;
  readonly url: string;
  readonly source: string;
  readonly sequence: IngestSequence;
}

/** What is specific to Finnhub: token in the query, JSON subscribe frames, the mapper, 401 = bad key. */
export class FinnhubVenue implements FeedVenue {
  readonly source: string;
  readonly redactedUrl: string;
  readonly secrets: readonly string[];
  readonly #url: string;
  readonly #sequence: IngestSequence;

  constructor(options: FinnhubVenueOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new ConfigError('Finnhub feed: an API key is required (FINNHUB_API_KEY)');
    }
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ConfigError(`Finnhub feed: invalid WebSocket URL ${JSON.stringify(redactSecrets(options.url))}`);
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new ConfigError(`Finnhub feed: the URL must be ws:// or wss://, got ${url.protocol}//`);
    }
    url.searchParams.set('token', options.apiKey);
    this.#url = url.toString();
    this.redactedUrl = redactSecrets(this.#url);
    this.secrets = [...new Set([options.apiKey, encodeURIComponent(options.apiKey), formEncoded(options.apiKey)].filter(Boolean))];
    this.source = options.source;
    this.#sequence = options.sequence;
  }

  connectUrl(): string {
    return this.#url;
  }

  subscribeMessages(symbols: readonly string[]): readonly string[] {
    return symbols.map((symbol) => clientFrame('subscribe', symbol));
  }

  unsubscribeMessages(symbols: readonly string[]): readonly string[] {
    return symbols.map((symbol) => clientFrame('unsubscribe', symbol));
  }

  mapFrame(raw: string, tsRecv: number, context: FrameContext): FrameOutcome {
    const { records, deadLetters, control } = mapFinnhubFrame(raw, tsRecv, this.#sequence, this.source);
    if (control?.type !== 'error') return { records, deadLetters };
    return { records, deadLetters, notice: errorNotice(control.message, context.subscribed) };
  }

  upgradeFailure(statusCode: number): TickflowError | null {
    // 401 is Finnhub's answer to a bad or sandbox key; some report 403 for keys without access.
    // Retrying cannot help either, and a retry storm with a bad key only gets the key throttled.
    if (statusCode !== 401 && statusCode !== 403) return null;
    return new TickflowError(
      ERROR_CODES.FEED_UNAUTHORIZED,
      `Finnhub rejected the API key (HTTP ${statusCode} on the WebSocket upgrade); check FINNHUB_API_KEY ` +
        '(sandbox keys cannot stream). Not retrying.',
    );
  }
}

/** How `URLSearchParams` writes the key into the URL (spaces as `+`), which `encodeURIComponent` does not match. */
function formEncoded(secret: string): string {
  return new URLSearchParams({ k: secret }).toString().slice(2);
}

function errorNotice(message: string, subscribed: number): VenueNotice {
  if (message.includes(FINNHUB_SYMBOL_LIMIT_MSG)) {
    return {
      code: ERROR_CODES.FEED_SYMBOL_LIMIT,
      message:
        `Finnhub refused a subscription ("${FINNHUB_SYMBOL_LIMIT_MSG}") with ${subscribed} symbols subscribed; ` +
        `a free key streams about ${FINNHUB_FREE_SYMBOL_LIMIT}. The accepted symbols keep streaming; ` +
        'Finnhub does not say which symbol it refused. Subscribe to fewer symbols.',
    };
  }
  return { code: null, message: `Finnhub reported an error: ${message}` };
}
