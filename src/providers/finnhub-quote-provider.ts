import { ConfigError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { httpGet, type HttpExchange } from './http-get.ts';
import { QUOTE_DEFAULTS, type QuoteOptions, type QuoteOutcome, type QuoteProvider } from './quote-provider.ts';
import { scrub } from './redact.ts';
import { parseRetryAfter } from './retry-after.ts';

export const FINNHUB_DEFAULT_REST_URL = 'https://finnhub.io/api/v1';

export interface FinnhubQuoteProviderOptions {
  readonly apiKey: string;
  /** Default `FINNHUB_DEFAULT_REST_URL`; the simulator's `restUrl` in development and tests. */
  readonly baseUrl?: string;
  /** Whole request, body included (default `QUOTE_DEFAULTS.timeoutMs`). */
  readonly timeoutMs?: number;
  /**
   * Wait after a 429 without `Retry-After` (default 60 s: the free plan counts 60 calls per sliding
   * minute, so a full minute is the wait that surely frees a slot).
   */
  readonly defaultRetryAfterSeconds?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export const FINNHUB_QUOTE_DEFAULTS = { baseUrl: FINNHUB_DEFAULT_REST_URL, timeoutMs: QUOTE_DEFAULTS.timeoutMs, defaultRetryAfterSeconds: 60 };

/**
 * Finnhub `GET /quote?symbol=` with the key in the `X-Finnhub-Token` header, so no URL we build
 * or log ever holds it.
 */
export class FinnhubQuoteProvider implements QuoteProvider {
  readonly name = 'finnhub';
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #defaultRetryAfterSeconds: number;
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(options: FinnhubQuoteProviderOptions) {
    const timeoutMs = options.timeoutMs ?? FINNHUB_QUOTE_DEFAULTS.timeoutMs;
    const retryAfter = options.defaultRetryAfterSeconds ?? FINNHUB_QUOTE_DEFAULTS.defaultRetryAfterSeconds;
    const baseUrl = (options.baseUrl ?? FINNHUB_QUOTE_DEFAULTS.baseUrl).replace(/\/+$/, '');
    const problems: string[] = [];
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') problems.push('apiKey is required');
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) problems.push(`baseUrl must be an http(s) URL, got ${JSON.stringify(scrub(baseUrl, options.apiKey ?? ''))}`);
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 1)) problems.push(`timeoutMs must be ≥ 1, got ${timeoutMs}`);
    if (!(Number.isInteger(retryAfter) && retryAfter >= 1)) problems.push(`defaultRetryAfterSeconds must be an integer ≥ 1, got ${retryAfter}`);
    if (problems.length > 0) throw new ConfigError(`Finnhub quote provider: ${problems.join('; ')}`);
    this.#apiKey = options.apiKey;
    this.#baseUrl = baseUrl;
    this.#timeoutMs = timeoutMs;
    this.#defaultRetryAfterSeconds = retryAfter;
    this.#log = (options.logger ?? silentLogger()).child({ component: 'quote-provider', provider: this.name });
    this.#now = options.now ?? Date.now;
  }

  async quote(symbol: string, options: QuoteOptions = {}): Promise<QuoteOutcome> {
    const url = new URL(`${this.#baseUrl}/quote`);
    url.searchParams.set('symbol', symbol);
    const started = this.#now();
    const answer = await httpGet(url, { headers: { 'X-Finnhub-Token': this.#apiKey, accept: 'application/json' }, timeoutMs: this.#timeoutMs, signal: options.signal });
    const fetchedAt = this.#now();
    const outcome: QuoteOutcome = answer.ok
      ? classifyFinnhubQuote(answer, symbol, fetchedAt, this.#defaultRetryAfterSeconds)
      : { kind: 'unavailable', provider: this.name, reason: `finnhub: ${answer.reason}` };
    const safe = outcome.kind === 'found' ? outcome : { ...outcome, reason: scrub(outcome.reason, this.#apiKey) };
    this.#log.debug({ url: url.href, symbol, outcome: safe.kind, status: answer.ok ? answer.status : null, ms: fetchedAt - started }, 'quote');
    return safe;
  }
}

/**
 * Reads Finnhub's answer to `/quote` (see /work/shared/notes/finnhub-protocol.md): 200 with `c > 0`
 * is a price; 200 with `c = 0` is Finnhub's all-zero answer for an unknown symbol; 401/403 a refused
 * key; 429 (text body) the rate limit; anything else, or a body that is not a quote, unavailable.
 * A quote without a positive `t` (Unix seconds) is unavailable too: a price of unknown age is no
 * "latest" price.
 */
export function classifyFinnhubQuote(answer: HttpExchange, symbol: string, fetchedAt: number, defaultRetryAfterSeconds: number): QuoteOutcome {
  const provider = 'finnhub';
  const { status, body } = answer;
  if (status === 401 || status === 403) return { kind: 'unauthorized', provider, reason: `finnhub refused the API key (HTTP ${status}): ${errorText(body)}` };
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(answer.headers.get('retry-after'), fetchedAt) ?? defaultRetryAfterSeconds;
    return { kind: 'rate-limited', provider, retryAfterSeconds, reason: `finnhub rate limit (HTTP 429): ${errorText(body)}` };
  }
  if (status !== 200) return { kind: 'unavailable', provider, reason: `finnhub answered HTTP ${status}${status >= 500 ? '' : ' (unexpected)'}` };
  let quote: unknown;
  try {
    quote = JSON.parse(body);
  } catch {
    return { kind: 'unavailable', provider, reason: `finnhub sent a body that is not JSON: ${body.slice(0, 60)}` };
  }
  if (typeof quote !== 'object' || quote === null || Array.isArray(quote)) return { kind: 'unavailable', provider, reason: 'finnhub sent JSON that is not a quote' };
  const { c, t } = quote as { c?: unknown; t?: unknown };
  if (c === 0) return { kind: 'not-found', provider, reason: `finnhub does not know ${symbol} (all-zero quote)` };
  if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) return { kind: 'unavailable', provider, reason: `finnhub sent a quote without a valid price (c = ${JSON.stringify(c)})` };
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) return { kind: 'unavailable', provider, reason: `finnhub sent a quote without a valid time (t = ${JSON.stringify(t)})` };
  return { kind: 'found', provider, symbol, price: c, timestamp: Math.round(t * 1000), status, body, fetchedAt };
}

/** Finnhub's `{"error": "..."}` or its plain-text body, short. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === 'string') return parsed.error;
  } catch {
    // a text body, as with 429
  }
  return body.slice(0, 120) || '(empty body)';
}
