import type { IncomingMessage, ServerResponse } from 'node:http';
import { FINNHUB_RATE_LIMIT_BODY, type FinnhubQuote } from '../finnhub/messages.ts';
import type { AlphaVantageRoute } from './alpha-vantage-route.ts';
import type { SimulatorFaults, SimulatorStats } from './simulator-controls.ts';

export interface SimulatorHttpDeps {
  tokenAccepted(token: string): boolean;
  /** The quote for `symbol`, or `null` when `token` is over its rate limit. */
  quote(token: string, symbol: string): FinnhubQuote | null;
  readonly faults: SimulatorFaults;
  stats(): SimulatorStats;
  /** Alpha Vantage's `GET /query` (GLOBAL_QUOTE), when served. */
  readonly alphaVantage?: AlphaVantageRoute;
}

/**
 * The simulator's HTTP side: Finnhub's REST `GET /api/v1/quote` (token as `token=` or
 * `X-Finnhub-Token`; 401 without a valid one; 429 with Finnhub's text over the limit; 403 for every
 * other, "premium", endpoint) and the fault controls under `/sim/`.
 */
export function simulatorHttpHandler(deps: SimulatorHttpDeps): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '');
    if (path.startsWith('/sim/')) return control(deps, request.method ?? 'GET', path, url.searchParams, response);
    if (path === '/query' && deps.alphaVantage) return deps.alphaVantage(request, url, response);
    if (!path.startsWith('/api/v1/')) return json(response, 404, { error: 'Not found' });
    if (request.method !== 'GET') return json(response, 405, { error: 'Method not allowed' });
    const header = request.headers['x-finnhub-token'];
    const token = url.searchParams.get('token') ?? (typeof header === 'string' ? header : '');
    if (token === '') return json(response, 401, { error: 'Please use an API key.' });
    if (!deps.tokenAccepted(token)) return json(response, 401, { error: 'Invalid API key.' });
    if (path !== '/api/v1/quote') return json(response, 403, { error: "You don't have access to this resource." });
    const quote = deps.quote(token, url.searchParams.get('symbol') ?? '');
    if (quote === null) {
      response.writeHead(429, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(FINNHUB_RATE_LIMIT_BODY);
      return;
    }
    json(response, 200, quote);
  };
}

function control(deps: SimulatorHttpDeps, method: string, path: string, query: URLSearchParams, response: ServerResponse): void {
  if (path === '/sim/stats' && method === 'GET') return json(response, 200, deps.stats());
  if (method !== 'POST') return json(response, 405, { error: 'use POST' });
  switch (path) {
    case '/sim/drop': {
      const mode = query.get('mode') === 'terminate' ? 'terminate' : 'close';
      return json(response, 200, { dropped: deps.faults.dropConnections(mode) });
    }
    case '/sim/silence': {
      const ms = Number(query.get('ms') ?? 30_000);
      if (!Number.isFinite(ms) || ms < 0) return json(response, 400, { error: 'ms must be a number ≥ 0' });
      deps.faults.goSilent(ms);
      return json(response, 200, { silentUntil: deps.stats().silentUntil });
    }
    case '/sim/malformed': {
      const count = Number(query.get('count') ?? 1);
      if (!Number.isInteger(count) || count < 1 || count > 10_000) return json(response, 400, { error: 'count must be an integer 1–10000' });
      return json(response, 200, { sent: deps.faults.sendMalformed(count) });
    }
    default:
      return json(response, 404, { error: 'unknown simulator control; try POST /sim/drop, /sim/silence?ms=, /sim/malformed?count=, GET /sim/stats' });
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
