import { ConfigError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { zonedTimeToUtc } from '../time-zone.ts';
import { httpGet, type HttpExchange } from './http-get.ts';
import { QUOTE_DEFAULTS, type QuoteOptions, type QuoteOutcome, type QuoteProvider } from './quote-provider.ts';
import { scrub } from './redact.ts';
import { parseRetryAfter } from './retry-after.ts';

export const ALPHAVANTAGE_DEFAULT_URL = 'https://www.alphavantage.co';

export interface AlphaVantageQuoteProviderOptions {
  readonly apiKey: string;
  /** Default `ALPHAVANTAGE_DEFAULT_URL` (the provider appends `/query`); the simulator's base in tests. */
  readonly baseUrl?: string;
  /** Whole request, body included (default `QUOTE_DEFAULTS.timeoutMs`). */
  readonly timeoutMs?: number;
  /** Wait after a per-minute limit message (default 60 s). */
  readonly minuteRetryAfterSeconds?: number;
  /** Wait after a per-day limit message (default 3 600 s: Alpha Vantage does not say when its day resets, so probe hourly). */
  readonly dailyRetryAfterSeconds?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export const ALPHAVANTAGE_QUOTE_DEFAULTS = { baseUrl: ALPHAVANTAGE_DEFAULT_URL, timeoutMs: QUOTE_DEFAULTS.timeoutMs, minuteRetryAfterSeconds: 60, dailyRetryAfterSeconds: 3_600 };

export interface AlphaVantageRetryDefaults {
  readonly minuteRetryAfterSeconds: number;
  readonly dailyRetryAfterSeconds: number;
}

/**
 * Alpha Vantage `GET /query?function=GLOBAL_QUOTE&symbol=&apikey=`. The key can only travel in the
 * query string, so the URL is never logged or put in an outcome unredacted.
 */
export class AlphaVantageQuoteProvider implements QuoteProvider {
  readonly name = 'alpha_vantage';
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #retry: AlphaVantageRetryDefaults;
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(options: AlphaVantageQuoteProviderOptions) {
    const timeoutMs = options.timeoutMs ?? ALPHAVANTAGE_QUOTE_DEFAULTS.timeoutMs;
    const minute = options.minuteRetryAfterSeconds ?? ALPHAVANTAGE_QUOTE_DEFAULTS.minuteRetryAfterSeconds;
    const daily = options.dailyRetryAfterSeconds ?? ALPHAVANTAGE_QUOTE_DEFAULTS.dailyRetryAfterSeconds;
    const baseUrl = (options.baseUrl ?? ALPHAVANTAGE_QUOTE_DEFAULTS.baseUrl).replace(/\/+$/, '');
    const problems: string[] = [];
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') problems.push('apiKey is required');
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) problems.push(`baseUrl must be an http(s) URL, got ${JSON.stringify(scrub(baseUrl, options.apiKey ?? ''))}`);
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 1)) problems.push(`timeoutMs must be ≥ 1, got ${timeoutMs}`);
    for (const [name, value] of [['minuteRetryAfterSeconds', minute], ['dailyRetryAfterSeconds', daily]] as const) {
      if (!(Number.isInteger(value) && value >= 1)) problems.push(`${name} must be an integer ≥ 1, got ${value}`);
    }
    if (problems.length > 0) throw new ConfigError(`Alpha Vantage quote provider: ${problems.join('; ')}`);
    this.#apiKey = options.apiKey;
    this.#baseUrl = baseUrl;
    this.#timeoutMs = timeoutMs;
    this.#retry = { minuteRetryAfterSeconds: minute, dailyRetryAfterSeconds: daily };
    this.#log = (options.logger ?? silentLogger()).child({ component: 'quote-provider', provider: this.name });
    this.#now = options.now ?? Date.now;
  }

  async quote(symbol: string, options: QuoteOptions = {}): Promise<QuoteOutcome> {
    const url = new URL(`${this.#baseUrl}/query`);
    url.searchParams.set('function', 'GLOBAL_QUOTE');
    url.searchParams.set('symbol', symbol);
    url.searchParams.set('apikey', this.#apiKey);
    const started = this.#now();
    const answer = await httpGet(url, { headers: { accept: 'application/json' }, timeoutMs: this.#timeoutMs, signal: options.signal });
    const fetchedAt = this.#now();
    const outcome: QuoteOutcome = answer.ok
      ? classifyAlphaVantageQuote(answer, symbol, fetchedAt, this.#retry)
      : { kind: 'unavailable', provider: this.name, reason: `alphavantage: ${answer.reason}` };
    const safe = outcome.kind === 'found' ? outcome : { ...outcome, reason: scrub(outcome.reason, this.#apiKey) };
    this.#log.debug({ url: scrub(url.href, this.#apiKey), symbol, outcome: safe.kind, status: answer.ok ? answer.status : null, ms: fetchedAt - started }, 'quote');
    return safe;
  }
}

/** Rate-limit wording in `Note`/`Information` (per-minute "call frequency", "25 requests per day", "1 request per second"). */
const RATE_LIMIT_TEXT = /rate limit|call frequency|requests? per (?:second|minute|day)|calls? per (?:second|minute|day)|spreading out/i;
/** Per-minute wording wins: the old Note names both limits ("5 calls per minute and 500 calls per day"). */
const SHORT_TEXT = /per (?:second|minute)|call frequency|spreading out/i;
const DAILY_TEXT = /per day|daily/i;
/** Key trouble: missing or invalid `apikey`, the `demo` key, or a premium endpoint for a free key. */
const KEY_TEXT = /api ?key|premium endpoint/i;

/**
 * Reads Alpha Vantage's answer to GLOBAL_QUOTE (see /work/shared/notes/finnhub-protocol.md). Every
 * failure is HTTP 200, told apart by the body:
 * - `{"Global Quote": {...}}` with `05. price` > 0 → found; `{}` (or a zero price) → not found.
 * - `Note` / `Information`: rate limit wording → rate limited (a daily limit waits longer); otherwise
 *   key wording (the `demo` key, a premium endpoint) → unauthorized; anything else → rate limited,
 *   the meaning Alpha Vantage gives these fields in practice.
 * - `Error Message`: about the `apikey` → unauthorized. Any other (`Invalid API call ...`) is about the
 *   only other thing we vary, the symbol, so → not found.
 * - non-200, non-JSON (an HTML error page), or none of the above → unavailable.
 * The time of the price is the close (16:00 New York) of `07. latest trading day`, or the time of
 * the answer while that close is still ahead: GLOBAL_QUOTE carries a date, not a time.
 */
export function classifyAlphaVantageQuote(answer: HttpExchange, symbol: string, fetchedAt: number, retry: AlphaVantageRetryDefaults): QuoteOutcome {
  const provider = 'alpha_vantage';
  const { status, body } = answer;
  if (status === 401 || status === 403) return { kind: 'unauthorized', provider, reason: `alphavantage refused the request (HTTP ${status})` };
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(answer.headers.get('retry-after'), fetchedAt) ?? retry.minuteRetryAfterSeconds;
    return { kind: 'rate-limited', provider, retryAfterSeconds, reason: 'alphavantage rate limit (HTTP 429)' };
  }
  if (status !== 200) return { kind: 'unavailable', provider, reason: `alphavantage answered HTTP ${status}${status >= 500 ? '' : ' (unexpected)'}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unavailable', provider, reason: `alphavantage sent a body that is not JSON: ${body.slice(0, 60)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'unavailable', provider, reason: 'alphavantage sent JSON that is not an object' };
  const fields = parsed as Record<string, unknown>;

  const errorMessage = fields['Error Message'];
  if (typeof errorMessage === 'string') {
    if (KEY_TEXT.test(errorMessage)) return { kind: 'unauthorized', provider, reason: `alphavantage refused the API key: ${errorMessage}` };
    return { kind: 'not-found', provider, reason: `alphavantage cannot quote ${symbol}: ${errorMessage}` };
  }
  const notice = typeof fields.Note === 'string' ? fields.Note : typeof fields.Information === 'string' ? fields.Information : null;
  if (notice !== null) {
    if (RATE_LIMIT_TEXT.test(notice)) {
      const retryAfterSeconds = !SHORT_TEXT.test(notice) && DAILY_TEXT.test(notice) ? retry.dailyRetryAfterSeconds : retry.minuteRetryAfterSeconds;
      return { kind: 'rate-limited', provider, retryAfterSeconds, reason: `alphavantage rate limit: ${notice}` };
    }
    if (KEY_TEXT.test(notice)) return { kind: 'unauthorized', provider, reason: `alphavantage refused the API key: ${notice}` };
    return { kind: 'rate-limited', provider, retryAfterSeconds: retry.minuteRetryAfterSeconds, reason: `alphavantage: ${notice}` };
  }

  const quote = fields['Global Quote'];
  if (typeof quote !== 'object' || quote === null || Array.isArray(quote)) return { kind: 'unavailable', provider, reason: 'alphavantage sent an answer without "Global Quote"' };
  const values = quote as Record<string, unknown>;
  if (Object.keys(values).length === 0) return { kind: 'not-found', provider, reason: `alphavantage does not know ${symbol} (empty Global Quote)` };
  const priceText = values['05. price'];
  const price = typeof priceText === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(priceText) ? Number(priceText) : NaN;
  if (Number.isNaN(price)) return { kind: 'unavailable', provider, reason: `alphavantage sent a quote without a valid price (05. price = ${JSON.stringify(priceText)})` };
  if (price === 0) return { kind: 'not-found', provider, reason: `alphavantage has no price for ${symbol} (price 0)` };
  const close = closeOfTradingDay(values['07. latest trading day']);
  if (close === null) return { kind: 'unavailable', provider, reason: `alphavantage sent a quote without a valid trading day (${JSON.stringify(values['07. latest trading day'])})` };
  return { kind: 'found', provider, symbol, price, timestamp: Math.min(close, fetchedAt), status, body, fetchedAt };
}

const NEW_YORK_CLOSE_MS = 16 * 3_600_000;

/** 16:00 America/New_York on `day` (`YYYY-MM-DD`), Unix ms; `null` when `day` is no such date. */
function closeOfTradingDay(day: unknown): number | null {
  if (typeof day !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const midnight = Date.UTC(year, month - 1, date);
  const check = new Date(midnight);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return zonedTimeToUtc('America/New_York', midnight + NEW_YORK_CLOSE_MS);
}
