import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../../errors.ts';
import type { FinnhubQuote } from '../finnhub/messages.ts';
import { hashSeed } from './random.ts';

/**
 * Alpha Vantage's GLOBAL_QUOTE as the simulator serves it at `GET /query`, priced from the same
 * market walk as the Finnhub quote. Alpha Vantage answers every failure with HTTP 200 and a body
 * telling what went wrong (see /work/shared/notes/finnhub-protocol.md), and so does this route.
 */
export interface AlphaVantageSimulatorOptions {
  /** Calls per key per sliding minute before a `Note` (default 5, Alpha Vantage's historical free rate). */
  readonly callsPerMinute?: number;
  /** Calls per key per UTC day before an `Information` (default 25, the free plan). */
  readonly callsPerDay?: number;
}

export const ALPHAVANTAGE_SIMULATOR_DEFAULTS = { callsPerMinute: 5, callsPerDay: 25 };

export interface AlphaVantageRouteDeps extends AlphaVantageSimulatorOptions {
  tokenAccepted(token: string): boolean;
  /** The Finnhub quote of `symbol` from the simulator's market: all zeros for an unknown symbol. */
  quote(symbol: string): FinnhubQuote;
  readonly now?: () => number;
}

export type AlphaVantageRoute = (request: IncomingMessage, url: URL, response: ServerResponse) => void;

export const ALPHAVANTAGE_INVALID_KEY_MESSAGE =
  'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.';
export const ALPHAVANTAGE_INVALID_CALL_MESSAGE =
  'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for GLOBAL_QUOTE.';

export function alphaVantageMinuteNote(perMinute: number, perDay: number): string {
  return `Thank you for using Alpha Vantage! Our standard API call frequency is ${perMinute} calls per minute and ${perDay} calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.`;
}

/** Alpha Vantage's daily-limit text echoes the key: a client must scrub it before logging the body. */
export function alphaVantageDailyInformation(key: string, perDay: number): string {
  return `We have detected your API key as ${key} and our standard API rate limit is ${perDay} requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.`;
}

const MINUTE_MS = 60_000;
const newYorkDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

export function alphaVantageRoute(deps: AlphaVantageRouteDeps): AlphaVantageRoute {
  const perMinute = deps.callsPerMinute ?? ALPHAVANTAGE_SIMULATOR_DEFAULTS.callsPerMinute;
  const perDay = deps.callsPerDay ?? ALPHAVANTAGE_SIMULATOR_DEFAULTS.callsPerDay;
  if (!(Number.isInteger(perMinute) && perMinute >= 1 && Number.isInteger(perDay) && perDay >= 1)) {
    throw new ConfigError(`Finnhub simulator: Alpha Vantage limits must be integers ≥ 1, got ${perMinute}/minute and ${perDay}/day`);
  }
  const now = deps.now ?? Date.now;
  const minuteCalls = new Map<string, number[]>();
  const dayCalls = new Map<string, { day: string; count: number }>();

  /** Whether `key` may make a call at `at`; counts it when it may. Otherwise which limit it hit. */
  const admit = (key: string, at: number): 'ok' | 'minute' | 'day' => {
    const day = new Date(at).toISOString().slice(0, 10);
    const daily = dayCalls.get(key);
    const today = daily && daily.day === day ? daily : { day, count: 0 };
    if (today.count >= perDay) return 'day';
    const recent = (minuteCalls.get(key) ?? []).filter((t) => t > at - MINUTE_MS);
    minuteCalls.set(key, recent);
    if (recent.length >= perMinute) return 'minute';
    recent.push(at);
    dayCalls.set(key, { day, count: today.count + 1 });
    return 'ok';
  };

  return (request, url, response) => {
    if (request.method !== 'GET') return json(response, 405, { 'Error Message': ALPHAVANTAGE_INVALID_CALL_MESSAGE });
    const key = url.searchParams.get('apikey') ?? '';
    if (!deps.tokenAccepted(key)) return json(response, 200, { 'Error Message': ALPHAVANTAGE_INVALID_KEY_MESSAGE });
    const symbol = url.searchParams.get('symbol') ?? '';
    if (url.searchParams.get('function') !== 'GLOBAL_QUOTE' || symbol === '') return json(response, 200, { 'Error Message': ALPHAVANTAGE_INVALID_CALL_MESSAGE });
    const at = now();
    const admitted = admit(key, at);
    if (admitted === 'minute') return json(response, 200, { Note: alphaVantageMinuteNote(perMinute, perDay) });
    if (admitted === 'day') return json(response, 200, { Information: alphaVantageDailyInformation(key, perDay) });
    const quote = deps.quote(symbol);
    if (!(quote.c > 0)) return json(response, 200, { 'Global Quote': {} });
    json(response, 200, { 'Global Quote': globalQuote(symbol, quote, at) });
  };
}

/** Alpha Vantage's field names and formats: every value a string, prices with 4 decimals, `2.3322%`. */
function globalQuote(symbol: string, quote: FinnhubQuote, at: number): Record<string, string> {
  const change = quote.c - quote.pc;
  const day = newYorkDay.format(new Date(quote.t > 0 ? quote.t * 1000 : at));
  return {
    '01. symbol': symbol,
    '02. open': decimal(quote.o),
    '03. high': decimal(quote.h),
    '04. low': decimal(quote.l),
    '05. price': decimal(quote.c),
    '06. volume': String(1_000_000 + (hashSeed(`${symbol}/${day}`, 0) % 9_000_000)),
    '07. latest trading day': day,
    '08. previous close': decimal(quote.pc),
    '09. change': change.toFixed(4),
    '10. change percent': `${((change / quote.pc) * 100).toFixed(4)}%`,
  };
}

/** 4 decimals as Alpha Vantage prints them; 6 below 1 so a small price never prints as 0. */
function decimal(value: number): string {
  return value.toFixed(Math.abs(value) < 1 ? 6 : 4);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
