import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { signalRoutes } from '../../src/api/routes/signals.ts';
import type { TradingSignal } from '../../src/model/signal.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { within } from '../support/wait.ts';
import { signalOf } from '../store/signal-store-contract.ts';

const status = idleStatus;

const T0 = Date.UTC(2026, 10, 23, 14, 30);
const SYMBOL = 'BINANCE:BTCUSDT';
/** Ten signals a second apart; every third from `rsi`, selling. */
const STORED = Array.from({ length: 10 }, (_, i) =>
  signalOf(SYMBOL, T0 + i * 1_000, i % 3 === 0 ? { strategy: 'rsi', side: 'sell', reason: `RSI(14) fell back below 70 (${i})` } : { price: 97_000 + i }),
);

const root = mkdtempSync(join(tmpdir(), 'tickflow-signals-api-'));
let store: SqlStore;
let app: FastifyInstance;

before(async () => {
  store = await openPgliteStore({ dir: join(root, 'store') });
  await store.write({ signals: [...STORED, signalOf('AAPL', T0)] });
  app = await buildApp({ status });
  await app.register(signalRoutes, { store });
  await app.ready();
});
after(async () => {
  await app?.close();
  await within(store.close(), 10_000, 'closing the store');
  rmSync(root, { recursive: true, force: true });
});

function signalsOf(response: LightMyRequestResponse): TradingSignal[] {
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as { symbol: string; signals: TradingSignal[] };
  assert.equal(body.symbol, SYMBOL);
  return body.signals;
}

function problemOf(response: LightMyRequestResponse): string {
  assert.equal(response.statusCode, 400, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  return response.json().detail as string;
}

const url = (query: Record<string, string>) => `/v1/signals?${new URLSearchParams({ symbol: SYMBOL, ...query })}`;
const seconds = (signals: readonly TradingSignal[]) => signals.map((s) => (s.tsEvent - T0) / 1_000);

describe('GET /v1/signals', () => {
  it('answers a symbol\'s stored signals oldest first, as they were published', async () => {
    assert.deepEqual(signalsOf(await app.inject(url({}))), STORED);
    const other = await app.inject('/v1/signals?symbol=AAPL');
    assert.deepEqual(other.json().signals.map((s: TradingSignal) => s.symbol), ['AAPL']);
    assert.deepEqual(signalsOf(await app.inject(url({ from: String(T0 + 60_000) }))), [], 'none in the range: an empty list, not a 404');
  });

  it('takes [from, to) as Unix ms or ISO 8601, a strategy, a limit and an order', async () => {
    assert.deepEqual(seconds(signalsOf(await app.inject(url({ from: String(T0 + 2_000), to: String(T0 + 5_000) })))), [2, 3, 4]);
    assert.deepEqual(seconds(signalsOf(await app.inject(url({ from: new Date(T0 + 7_000).toISOString() })))), [7, 8, 9]);
    assert.deepEqual(seconds(signalsOf(await app.inject(url({ strategy: 'rsi' })))), [0, 3, 6, 9]);
    assert.deepEqual(seconds(signalsOf(await app.inject(url({ limit: '2' })))), [0, 1]);
    assert.deepEqual(seconds(signalsOf(await app.inject(url({ order: 'desc', limit: '3' })))), [9, 8, 7], 'the most recent, newest first');
    assert.deepEqual(seconds(signalsOf(await app.inject(url({ strategy: 'ma-crossover', order: 'desc', limit: '2', to: String(T0 + 6_000) })))), [5, 4]);
  });

  it('refuses bad parameters with problem+json naming the parameter', async () => {
    assert.match(problemOf(await app.inject('/v1/signals')), /query parameter "symbol" is required/);
    assert.match(problemOf(await app.inject(url({ from: 'yesterday' }))), /query parameter "from" must be Unix milliseconds or an ISO 8601 date-time/);
    assert.match(problemOf(await app.inject(url({ from: String(T0 + 5_000), to: String(T0) }))), /query parameter "from" must be before "to"/);
    assert.match(problemOf(await app.inject(url({ limit: '0' }))), /query parameter "limit" must be >= 1/);
    assert.match(problemOf(await app.inject(url({ limit: '10001' }))), /query parameter "limit" must be <= 10000/);
    assert.match(problemOf(await app.inject(url({ strategy: 'no spaces' }))), /query parameter "strategy" must match pattern/);
    assert.match(problemOf(await app.inject(url({ order: 'sideways' }))), /query parameter "order" must be one of asc, desc/);
    assert.match(problemOf(await app.inject(url({ side: 'buy' }))), /query parameter "side" is not a known field/);
    assert.match(problemOf(await app.inject('/v1/signals?symbol=has%20space')), /query parameter "symbol" must match pattern/);
  });

  it('is in the OpenAPI document under history', async () => {
    const document = app.swagger() as { paths: Record<string, { get?: { tags?: string[] } }> };
    assert.deepEqual(document.paths['/v1/signals']?.get?.tags, ['history']);
  });
});
