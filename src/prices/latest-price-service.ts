import type { BusProducer } from '../bus/bus.ts';
import { ConfigError } from '../errors.ts';
import { isoUtc, type PriceEvent, type PriceSource } from '../model/price-event.ts';
import type { QuoteFailure, QuoteFound, QuoteOutcome, QuoteProvider } from '../providers/quote-provider.ts';
import { systemClock, type Clock } from '../clock.ts';
import { redactSecrets, silentLogger, type Logger } from '../logger.ts';

/** What the pipeline last saw of a symbol: a trade's price and its two clocks. */
export interface StreamPrice {
  readonly price: number;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

/** The pipeline's counters or the store; `null` when the stream never saw the symbol. */
export type StreamLatest = (symbol: string) => StreamPrice | null | undefined | Promise<StreamPrice | null | undefined>;

export interface RawProviderResponse {
  readonly provider: string;
  readonly symbol: string;
  readonly status: number;
  readonly body: string;
  readonly fetchedAt: number;
}

/** Stores a provider's raw answer; resolves to its id, a UUID. */
export type SaveRawResponse = (raw: RawProviderResponse) => Promise<string>;

export interface LatestPrice {
  readonly symbol: string;
  /** Always > 0. */
  readonly price: number;
  /** When the price was valid, Unix ms: the trade's exchange time, or the provider's quote time. */
  readonly timestamp: number;
  /** `stream`, or the provider's name (`finnhub`, `alpha_vantage`). */
  readonly source: string;
  /** The stored raw provider answer's UUID (the price event's `raw_response_id`); only for provider prices. */
  readonly rawResponseId?: string;
}

/** What one provider said, without its key. */
export interface ProviderAttempt {
  readonly provider: string;
  readonly kind: QuoteFailure['kind'];
  readonly reason: string;
  readonly retryAfterSeconds?: number;
}

/**
 * Why there is no price. For the HTTP layer: `PRICE_FAILURE_STATUS` (400 / 404 / 503 with
 * `Retry-After: retryAfterSeconds` / 502); `reason` is safe to show (no keys).
 */
export type LatestPriceFailure =
  | { readonly kind: 'invalid-symbol'; readonly symbol: string; readonly reason: string }
  | { readonly kind: 'not-found'; readonly symbol: string; readonly reason: string; readonly attempts: readonly ProviderAttempt[] }
  | { readonly kind: 'rate-limited'; readonly symbol: string; readonly reason: string; readonly retryAfterSeconds: number; readonly attempts: readonly ProviderAttempt[] }
  | { readonly kind: 'unavailable'; readonly symbol: string; readonly reason: string; readonly attempts: readonly ProviderAttempt[] };

export type LatestPriceResult = { readonly ok: true; readonly price: LatestPrice } | { readonly ok: false; readonly failure: LatestPriceFailure };

export const PRICE_FAILURE_STATUS = { 'invalid-symbol': 400, 'not-found': 404, 'rate-limited': 503, unavailable: 502 } as const satisfies Record<LatestPriceFailure['kind'], number>;

export interface LatestPriceServiceOptions {
  /** Asked in this order; the first `found` wins. May be empty (then only the stream answers). */
  readonly providers: readonly QuoteProvider[];
  readonly streamLatest: StreamLatest;
  readonly saveRawResponse: SaveRawResponse;
  readonly producer: BusProducer;
  /** The `price-events` topic (`topicNames(prefix).priceEvents`). */
  readonly topic: string;
  /** A stream trade received within this many ms answers without asking a provider (default 60 000). */
  readonly freshMs?: number;
  /** How long a provider's answer (a price or "unknown symbol") is reused (default 5 000 ms; 0: never). */
  readonly cacheMs?: number;
  /** Symbols whose cached answer is kept at once (default 10 000). */
  readonly maxCachedSymbols?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export const LATEST_PRICE_DEFAULTS = { freshMs: 60_000, cacheMs: 5_000, maxCachedSymbols: 10_000 };

/** Printable ASCII without spaces, as Finnhub symbols are (`AAPL`, `OANDA:EUR_USD`, `BRK.B`). */
const SYMBOL = /^[\x21-\x7e]{1,64}$/;

interface Cached {
  readonly result: LatestPriceResult;
  readonly expiresAt: number;
}

/**
 * The latest price of a symbol: the stream's when it saw a trade within `freshMs`, else the first
 * provider (in the configured order) that has one. A provider price is stored raw, published on
 * `price-events` and reused for `cacheMs`; concurrent requests for one symbol share one provider
 * round, and a rate-limited provider is not asked again before its `Retry-After` has passed, so the
 * API cannot burn a provider's quota. A price of 0 is never returned, stored or published.
 *
 * `latest` resolves to a result for every provider answer; it rejects only when storing the raw
 * answer or publishing the event fails (an internal error, for a 500).
 */
export class LatestPriceService {
  readonly #providers: readonly QuoteProvider[];
  readonly #streamLatest: StreamLatest;
  readonly #saveRawResponse: SaveRawResponse;
  readonly #producer: BusProducer;
  readonly #topic: string;
  readonly #freshMs: number;
  readonly #cacheMs: number;
  readonly #maxCached: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #cache = new Map<string, Cached>();
  readonly #inFlight = new Map<string, Promise<LatestPriceResult>>();
  /** Provider name → Unix ms before which it is not asked (after a rate limit). */
  readonly #coolingUntil = new Map<string, number>();
  readonly #closer = new AbortController();
  readonly #counters = { streamAnswers: 0, cacheAnswers: 0, coalesced: 0, providerCalls: 0, providerPrices: 0, notFound: 0, rateLimited: 0, unavailable: 0 };

  constructor(options: LatestPriceServiceOptions) {
    const freshMs = options.freshMs ?? LATEST_PRICE_DEFAULTS.freshMs;
    const cacheMs = options.cacheMs ?? LATEST_PRICE_DEFAULTS.cacheMs;
    const maxCached = options.maxCachedSymbols ?? LATEST_PRICE_DEFAULTS.maxCachedSymbols;
    const problems: string[] = [];
    if (!(Number.isFinite(freshMs) && freshMs >= 0)) problems.push(`freshMs must be ≥ 0, got ${freshMs}`);
    if (!(Number.isFinite(cacheMs) && cacheMs >= 0)) problems.push(`cacheMs must be ≥ 0, got ${cacheMs}`);
    if (!(Number.isInteger(maxCached) && maxCached >= 1)) problems.push(`maxCachedSymbols must be an integer ≥ 1, got ${maxCached}`);
    if (typeof options.topic !== 'string' || options.topic === '') problems.push('topic is required');
    const names = options.providers.map((provider) => provider.name);
    if (new Set(names).size !== names.length) problems.push(`provider names repeat: ${names.join(', ')}`);
    if (names.includes('stream')) problems.push('no provider may be named "stream"');
    if (problems.length > 0) throw new ConfigError(`latest prices: ${problems.join('; ')}`);
    this.#providers = options.providers;
    this.#streamLatest = options.streamLatest;
    this.#saveRawResponse = options.saveRawResponse;
    this.#producer = options.producer;
    this.#topic = options.topic;
    this.#freshMs = freshMs;
    this.#cacheMs = cacheMs;
    this.#maxCached = maxCached;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger()).child({ component: 'latest-prices' });
  }

  async latest(symbol: string): Promise<LatestPriceResult> {
    const wanted = typeof symbol === 'string' ? symbol.trim() : '';
    if (!SYMBOL.test(wanted)) return fail({ kind: 'invalid-symbol', symbol: wanted.slice(0, 64), reason: 'a symbol is 1–64 printable characters without spaces' });
    if (this.#closer.signal.aborted) return fail({ kind: 'unavailable', symbol: wanted, reason: 'the price service is closed', attempts: [] });

    const stream = await this.#fresh(wanted);
    if (stream) {
      this.#counters.streamAnswers++;
      return { ok: true, price: { symbol: wanted, price: stream.price, timestamp: stream.tsEvent, source: 'stream' } };
    }
    const cached = this.#cache.get(wanted);
    if (cached && cached.expiresAt > this.#clock.now()) {
      this.#counters.cacheAnswers++;
      return cached.result;
    }
    const pending = this.#inFlight.get(wanted);
    if (pending) {
      this.#counters.coalesced++;
      return pending;
    }
    const round = this.#askProviders(wanted).finally(() => this.#inFlight.delete(wanted));
    this.#inFlight.set(wanted, round);
    return round;
  }

  /** Aborts provider calls in flight (they end as `unavailable`) and refuses new lookups. Idempotent. */
  close(): void {
    this.#closer.abort();
    this.#cache.clear();
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#counters, cachedSymbols: this.#cache.size, inFlight: this.#inFlight.size };
  }

  async #fresh(symbol: string): Promise<StreamPrice | null> {
    let seen: StreamPrice | null | undefined;
    try {
      seen = await this.#streamLatest(symbol);
    } catch (error) {
      this.#log.warn({ symbol, err: redactSecrets(String(error)) }, 'stream lookup failed; asking the providers');
      return null;
    }
    if (!seen || !(Number.isFinite(seen.price) && seen.price > 0) || !Number.isFinite(seen.tsRecv)) return null;
    return this.#clock.now() - seen.tsRecv <= this.#freshMs ? seen : null;
  }

  async #askProviders(symbol: string): Promise<LatestPriceResult> {
    const attempts: ProviderAttempt[] = [];
    for (const provider of this.#providers) {
      const coolingUntil = this.#coolingUntil.get(provider.name) ?? 0;
      const now = this.#clock.now();
      if (coolingUntil > now) {
        attempts.push({ provider: provider.name, kind: 'rate-limited', reason: `${provider.name} is rate limited; not asked again yet`, retryAfterSeconds: Math.ceil((coolingUntil - now) / 1000) });
        continue;
      }
      this.#counters.providerCalls++;
      let outcome: QuoteOutcome;
      try {
        outcome = await provider.quote(symbol, { signal: this.#closer.signal });
      } catch (error) {
        // The port says providers never reject; one that does still only costs its own turn.
        outcome = { kind: 'unavailable', provider: provider.name, reason: `${provider.name} failed: ${redactSecrets(String(error))}` };
      }
      if (outcome.kind === 'found') {
        if (Number.isFinite(outcome.price) && outcome.price > 0 && Number.isFinite(outcome.timestamp)) return this.#accept(symbol, outcome);
        outcome = { kind: 'unavailable', provider: provider.name, reason: `${provider.name} answered without a positive price` };
      }
      const attempt: ProviderAttempt =
        outcome.kind === 'rate-limited'
          ? { provider: provider.name, kind: outcome.kind, reason: outcome.reason, retryAfterSeconds: outcome.retryAfterSeconds }
          : { provider: provider.name, kind: outcome.kind, reason: outcome.reason };
      if (outcome.kind === 'rate-limited') this.#coolingUntil.set(provider.name, this.#clock.now() + outcome.retryAfterSeconds * 1000);
      if (outcome.kind === 'unauthorized' || outcome.kind === 'unavailable') this.#log.warn({ symbol, provider: provider.name, outcome: outcome.kind, reason: outcome.reason }, 'quote provider failed');
      attempts.push(attempt);
    }
    return this.#failure(symbol, attempts);
  }

  async #accept(symbol: string, found: QuoteFound): Promise<LatestPriceResult> {
    // createQuoteProviders builds only the providers named in QUOTE_PROVIDER_NAMES, the price sources.
    const source = found.provider as PriceSource;
    const rawResponseId = await this.#saveRawResponse({ provider: source, symbol, status: found.status, body: found.body, fetchedAt: found.fetchedAt });
    const event: PriceEvent = {
      type: 'price-event',
      symbol,
      price: found.price,
      timestamp: isoUtc(found.timestamp),
      source,
      raw_response_id: rawResponseId,
      tsEvent: found.timestamp,
      tsRecv: found.fetchedAt,
    };
    await this.#producer.send(this.#topic, [{ key: symbol, value: event }]);
    this.#counters.providerPrices++;
    this.#log.debug({ symbol, provider: source, price: found.price, rawResponseId }, 'price from provider');
    const result: LatestPriceResult = { ok: true, price: { symbol, price: found.price, timestamp: found.timestamp, source, rawResponseId } };
    this.#remember(symbol, result);
    return result;
  }

  /**
   * No provider had a price. Every provider said "unknown symbol" → not found (cached like a price).
   * Else, any rate limit → rate limited, with the shortest wait. Else → unavailable: a refused key or
   * a failed call means the symbol may exist, so no "not found" is claimed.
   */
  #failure(symbol: string, attempts: readonly ProviderAttempt[]): LatestPriceResult {
    const summary = attempts.map((attempt) => `${attempt.provider}: ${attempt.kind} (${attempt.reason})`).join('; ');
    if (attempts.length > 0 && attempts.every((attempt) => attempt.kind === 'not-found')) {
      this.#counters.notFound++;
      const result = fail({ kind: 'not-found', symbol, reason: `no provider knows ${symbol}: ${summary}`, attempts });
      this.#remember(symbol, result);
      return result;
    }
    const waits = attempts.flatMap((attempt) => (attempt.kind === 'rate-limited' && attempt.retryAfterSeconds !== undefined ? [attempt.retryAfterSeconds] : []));
    if (waits.length > 0) {
      this.#counters.rateLimited++;
      return fail({ kind: 'rate-limited', symbol, reason: `quote providers are rate limited: ${summary}`, retryAfterSeconds: Math.max(1, Math.min(...waits)), attempts });
    }
    this.#counters.unavailable++;
    const reason = attempts.length === 0 ? `no fresh stream price for ${symbol} and no quote provider configured` : `no quote provider could answer: ${summary}`;
    return fail({ kind: 'unavailable', symbol, reason, attempts });
  }

  #remember(symbol: string, result: LatestPriceResult): void {
    if (this.#cacheMs === 0 || this.#closer.signal.aborted) return;
    const now = this.#clock.now();
    this.#cache.delete(symbol);
    if (this.#cache.size >= this.#maxCached) {
      for (const [key, entry] of this.#cache) if (entry.expiresAt <= now) this.#cache.delete(key);
      // Still full: drop the oldest entries (a Map iterates in insertion order).
      for (const key of this.#cache.keys()) {
        if (this.#cache.size < this.#maxCached) break;
        this.#cache.delete(key);
      }
    }
    this.#cache.set(symbol, { result, expiresAt: now + this.#cacheMs });
  }
}

function fail(failure: LatestPriceFailure): LatestPriceResult {
  return { ok: false, failure };
}
