import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/api/app.ts';
import type { HistoryStore } from '../../src/api/history-store.ts';
import type { TradeQuery } from '../../src/store/store.ts';
import { invalidQuery } from '../../src/store/store-error.ts';
import type { LatestPriceResult } from '../../src/prices/latest-price-service.ts';
import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';

const status = async (): Promise<PipelineStatus> => ({
  startedAt: 0,
  bus: 'memory',
  source: { name: 'simulator', connected: true, reconnects: 1, rejects: 0, records: 3, lastMessageAt: Date.now(), fatalError: null },
  trades: 3,
  quotes: 0,
  gaps: 0,
  deadLetters: 0,
  symbols: [{ symbol: 'AAPL', price: 190.5, tsEvent: Date.now() - 10, tsRecv: Date.now() }],
  consumers: [],
});

class RecordingStore implements HistoryStore {
  readonly queries: TradeQuery[] = [];
  async trades(query: TradeQuery) {
    this.queries.push(query);
    return { trades: [], nextCursor: null };
  }
  async bars() {
    return [{ symbol: 'AAPL', interval: '5m' as const, start: 0, end: 300_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, vwap: 1.2, count: 3 }];
  }
  async quotes() {
    return { quotes: [], nextCursor: null };
  }
  async quoteBars() {
    return [];
  }
  async latestMetrics(symbol: string) {
    return symbol === 'AAPL'
      ? { type: 'window-metrics' as const, symbol, window: 20, count: 20, vwap: 1, avg: 1, min: 1, max: 1, first: 1, last: 1, changePct: 0, volume: 5, tsStart: 0, tsEvent: 1, tsRecv: 2 }
      : null;
  }
  async symbols() {
    return [{ symbol: 'MSFT', lastPrice: 410, lastTsEvent: 1_000, lastTsRecv: 1_000, tradeCount: 7 }];
  }
  async movingAverages() {
    return [];
  }
}

async function appWith(result: LatestPriceResult, store = new RecordingStore(), rateLimitPerMinute = 60) {
  return buildApp({ status, api: { store, prices: { latest: async () => result }, symbols: ['AAPL', 'MSFT'] }, rateLimitPerMinute });
}

const found: LatestPriceResult = { ok: true, price: { symbol: 'AAPL', price: 190.5, timestamp: 1_700_000_000_000, source: 'finnhub', rawResponseId: '5f0c6f1e-8d2b-4c3a-9e7f-1a2b3c4d5e6f' } };

describe('/v1 routes', () => {
  it('answers the latest price with its source and stored response id', async () => {
    const app = await appWith(found);
    const response = await app.inject('/v1/prices/latest?symbol=AAPL');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), found.price);
  });

  it('maps provider failures to 404, 503 with Retry-After, and 502, as problem+json', async () => {
    const cases: Array<[LatestPriceResult, number]> = [
      [{ ok: false, failure: { kind: 'not-found', symbol: 'ZZZZ', reason: 'no provider knows ZZZZ', attempts: [] } }, 404],
      [{ ok: false, failure: { kind: 'rate-limited', symbol: 'AAPL', reason: 'finnhub: API limit reached', retryAfterSeconds: 42, attempts: [] } }, 503],
      [{ ok: false, failure: { kind: 'unavailable', symbol: 'AAPL', reason: 'finnhub: timed out', attempts: [] } }, 502],
    ];
    for (const [result, expected] of cases) {
      const response = await (await appWith(result)).inject('/v1/prices/latest?symbol=AAPL');
      assert.equal(response.statusCode, expected);
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal(response.json().status, expected);
      assert.equal(response.json().detail, (result as { failure: { reason: string } }).failure.reason);
      if (expected === 503) assert.equal(response.headers['retry-after'], '42');
    }
  });

  it('rate-limits the provider-backed route per client', async () => {
    const app = await appWith(found, new RecordingStore(), 2);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject('/v1/prices/latest?symbol=AAPL')).statusCode);
    assert.deepEqual(codes, [200, 200, 429]);
    const limited = await app.inject('/v1/prices/latest?symbol=AAPL');
    assert.match(limited.headers['content-type'] as string, /problem\+json/);
    assert.ok(limited.headers['retry-after']);
  });

  it('rejects every bad parameter with a 400 that names it', async () => {
    const app = await appWith(found);
    const bad: Array<[string, RegExp]> = [
      ['/v1/prices/latest', /"symbol" is required/],
      ['/v1/prices/latest?symbol=DROP%20TABLE', /"symbol" must match/],
      ['/v1/trades?symbol=AAPL&limit=0', /"limit" must be >= 1/],
      ['/v1/trades?symbol=AAPL&limit=ten', /"limit" must be integer/],
      ['/v1/trades?symbol=AAPL&from=yesterday', /"from" must be Unix milliseconds or an ISO 8601/],
      ['/v1/trades?symbol=AAPL&from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z', /"from" must be before "to"/],
      ['/v1/trades?symbol=AAPL&colour=red', /query parameter "colour" is not a known field/],
      ['/v1/bars?symbol=AAPL&interval=7m', /"interval" must be one of 1s, 1m, 5m, 1h, 1d/],
      ['/v1/metrics', /"symbol" is required/],
    ];
    for (const [url, message] of bad) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.headers['content-type'] as string, /problem\+json/, url);
      assert.match(response.json().detail, message, url);
    }
  });

  it('passes trade queries through with times as Unix ms and the cursor', async () => {
    const store = new RecordingStore();
    const app = await appWith(found, store);
    const to = Date.parse('2026-11-23T15:00:00Z');
    const response = await app.inject(`/v1/trades?symbol=AAPL&from=2026-11-23T14:30:00Z&to=${to}&limit=50&cursor=abc`);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(store.queries[0], { symbol: 'AAPL', limit: 50, from: Date.parse('2026-11-23T14:30:00Z'), to, cursor: 'abc' });
  });

  it('serves bars, metrics (404 when none yet) and symbols with feed health', async () => {
    const app = await appWith(found);
    const bars = (await app.inject('/v1/bars?symbol=AAPL&interval=5m')).json();
    assert.equal(bars.interval, '5m');
    assert.equal(bars.bars[0].interval, '5m');
    assert.equal((await app.inject('/v1/metrics?symbol=AAPL')).json().window, 20);
    const missing = await app.inject('/v1/metrics?symbol=TSLA');
    assert.equal(missing.statusCode, 404);
    const symbols = (await app.inject('/v1/symbols')).json();
    assert.equal(symbols.feed.connected, true);
    assert.deepEqual(symbols.symbols.map((symbol: { symbol: string }) => symbol.symbol), ['AAPL', 'MSFT']);
    assert.equal(symbols.symbols[0].stale, false);
    assert.equal(symbols.symbols[1].stale, true);
  });

  it('publishes an OpenAPI document and interactive docs', async () => {
    const app = await appWith(found);
    const spec = (await app.inject('/docs/json')).json();
    assert.ok(spec.paths['/v1/prices/latest']);
    assert.ok(spec.paths['/v1/bars'].get.parameters.some((parameter: { name: string }) => parameter.name === 'interval'));
    assert.equal((await app.inject('/docs')).statusCode < 400, true);
  });

  it('answers an unknown route with a problem pointing to the docs', async () => {
    const response = await (await appWith(found)).inject('/v1/nothing');
    assert.equal(response.statusCode, 404);
    assert.match(response.json().detail, /see \/docs/);
  });
});

describe('/v1 routes over a store that refuses a query', () => {
  it('answers 400 with the store\'s reason (a cursor from another query, say)', async () => {
    const store = new RecordingStore();
    store.trades = async () => {
      throw invalidQuery('cursor does not belong to this query');
    };
    const response = await (await appWith(found, store)).inject('/v1/trades?symbol=AAPL&cursor=bogus');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().detail, 'cursor does not belong to this query');
  });
});
