import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LatestPriceService, PRICE_FAILURE_STATUS, type LatestPriceResult, type LatestPriceServiceOptions, type StreamPrice } from '../../src/prices/latest-price-service.ts';
import { FinnhubQuoteProvider } from '../../src/providers/finnhub-quote-provider.ts';
import { ManualClock } from '../../src/clock.ts';
import { createFinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { topicNames } from '../../src/topics.ts';
import { capturingLogger } from '../sources/finnhub/support.ts';
import { waitFor, within } from '../support/wait.ts';
import { found, RawStore, rawId, RecordingProducer, ScriptedProvider } from './support.ts';

const NOW = 1_700_000_100_000;
const TOPIC = topicNames('test-').priceEvents;
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await within(cleanup(), 5_000, 'cleanup');
});

function setup(providers: ScriptedProvider[] | LatestPriceServiceOptions['providers'], options: Partial<LatestPriceServiceOptions> & { stream?: Record<string, StreamPrice> } = {}) {
  const clock = new ManualClock(NOW);
  const producer = new RecordingProducer();
  const raw = new RawStore();
  const logs = capturingLogger();
  const stream = options.stream ?? {};
  const service = new LatestPriceService({
    providers,
    streamLatest: (symbol) => stream[symbol] ?? null,
    saveRawResponse: raw.save,
    producer,
    topic: TOPIC,
    clock,
    logger: logs.logger,
    ...options,
  });
  return { service, clock, producer, raw, logs };
}

function price(result: LatestPriceResult) {
  assert.ok(result.ok, `expected a price, got ${JSON.stringify(result)}`);
  return result.price;
}

function failure(result: LatestPriceResult) {
  assert.ok(!result.ok, `expected a failure, got ${JSON.stringify(result)}`);
  return result.failure;
}

describe('LatestPriceService: stream or provider', () => {
  it('answers from the stream when it saw a trade within freshMs, without asking a provider', async () => {
    const finnhub = new ScriptedProvider('finnhub', found('finnhub', 99));
    const { service, producer, raw } = setup([finnhub], { stream: { AAPL: { price: 187.5, tsEvent: NOW - 1_500, tsRecv: NOW - 1_000 } } });
    assert.deepEqual(price(await service.latest('AAPL')), { symbol: 'AAPL', price: 187.5, timestamp: NOW - 1_500, source: 'stream' });
    assert.equal(finnhub.calls, 0);
    assert.equal(producer.sent.length + raw.rows.length, 0, 'stream answers are neither stored nor published');
  });

  it('asks the provider when the stream is stale; stores the raw answer and publishes a price event with its id', async () => {
    const finnhub = new ScriptedProvider('finnhub', found('finnhub', 190.25, NOW - 30_000, NOW));
    const { service, producer, raw } = setup([finnhub], { stream: { AAPL: { price: 187.5, tsEvent: NOW - 61_000, tsRecv: NOW - 60_001 } } });
    const result = price(await service.latest('AAPL'));
    assert.deepEqual(result, { symbol: 'AAPL', price: 190.25, timestamp: NOW - 30_000, source: 'finnhub', rawResponseId: rawId(1) });
    assert.deepEqual(raw.rows, [{ id: rawId(1), provider: 'finnhub', symbol: 'AAPL', status: 200, body: JSON.stringify({ c: 190.25, t: (NOW - 30_000) / 1000 }), fetchedAt: NOW }]);
    assert.deepEqual(producer.sent, [
      {
        topic: TOPIC,
        records: [{ key: 'AAPL', value: { type: 'price-event', symbol: 'AAPL', price: 190.25, timestamp: '2023-11-14T22:14:30Z', source: 'finnhub', raw_response_id: rawId(1), tsEvent: NOW - 30_000, tsRecv: NOW } }],
      },
    ]);
  });

  it('respects freshMs and survives a failing stream lookup', async () => {
    const finnhub = new ScriptedProvider('finnhub', found('finnhub', 10));
    const tight = setup([finnhub], { freshMs: 500, stream: { X: { price: 9, tsEvent: NOW - 800, tsRecv: NOW - 600 } } });
    assert.equal(price(await tight.service.latest('X')).source, 'finnhub');
    const broken = setup([finnhub], { streamLatest: () => Promise.reject(new Error('store down')) });
    assert.equal(price(await broken.service.latest('X')).source, 'finnhub');
    assert.match(broken.logs.text(), /stream lookup failed/);
  });

  it('never answers 0: a zero stream price is ignored, a zero "found" from a provider is neither stored nor published', async () => {
    const liar = new ScriptedProvider('liar', found('liar', 0));
    const honest = new ScriptedProvider('honest', found('honest', 5));
    const { service, producer, raw } = setup([liar, honest], { stream: { Z: { price: 0, tsEvent: NOW, tsRecv: NOW } } });
    const result = price(await service.latest('Z'));
    assert.equal(result.source, 'honest');
    assert.equal(result.price, 5);
    assert.deepEqual(raw.rows.map((row) => row.provider), ['honest']);
    assert.deepEqual(producer.values().map((event) => (event as { price: number }).price), [5]);

    const onlyLiar = setup([new ScriptedProvider('liar', found('liar', 0))]);
    assert.equal(failure(await onlyLiar.service.latest('Z')).kind, 'unavailable');
    assert.equal(onlyLiar.raw.rows.length + onlyLiar.producer.sent.length, 0);
  });

  it('refuses an invalid symbol without asking anyone', async () => {
    const finnhub = new ScriptedProvider('finnhub', found('finnhub', 1));
    const { service } = setup([finnhub]);
    for (const symbol of ['', '   ', 'A B', 'x'.repeat(65), 'AA\tPL', 'AAPL\u0000', 'ÄPFEL']) {
      const f = failure(await service.latest(symbol));
      assert.equal(f.kind, 'invalid-symbol', JSON.stringify(symbol));
      assert.equal(PRICE_FAILURE_STATUS[f.kind], 400);
    }
    assert.equal(finnhub.calls, 0);
    assert.equal(price(await service.latest('  OANDA:EUR_USD ')).symbol, 'OANDA:EUR_USD', 'trimmed');
  });
});

describe('LatestPriceService: fallback', () => {
  it('asks providers in order and stops at the first price', async () => {
    const first = new ScriptedProvider('finnhub', () => ({ kind: 'not-found', provider: 'finnhub', reason: 'all-zero quote' }));
    const second = new ScriptedProvider('alpha_vantage', found('alpha_vantage', 42));
    const third = new ScriptedProvider('third', found('third', 43));
    const { service, raw } = setup([first, second, third]);
    assert.equal(price(await service.latest('TSCO.LON')).source, 'alpha_vantage');
    assert.deepEqual([first.calls, second.calls, third.calls], [1, 1, 0]);
    assert.equal(raw.rows[0]?.provider, 'alpha_vantage');
  });

  it('falls through a rate limit and a failure to the next provider', async () => {
    const limited = new ScriptedProvider('finnhub', () => ({ kind: 'rate-limited', provider: 'finnhub', retryAfterSeconds: 60, reason: 'HTTP 429' }));
    const down = new ScriptedProvider('down', () => ({ kind: 'unavailable', provider: 'down', reason: 'timed out' }));
    const last = new ScriptedProvider('alphavantage', found('alphavantage', 7));
    const { service } = setup([limited, down, last]);
    assert.equal(price(await service.latest('AAPL')).source, 'alphavantage');
  });

  it('is not found, with 404, only when every provider said so; that answer is cached too', async () => {
    const a = new ScriptedProvider('finnhub', () => ({ kind: 'not-found', provider: 'finnhub', reason: 'all-zero quote' }));
    const b = new ScriptedProvider('alphavantage', () => ({ kind: 'not-found', provider: 'alphavantage', reason: 'empty Global Quote' }));
    const { service, clock } = setup([a, b]);
    const f = failure(await service.latest('NOPE'));
    assert.equal(f.kind, 'not-found');
    assert.equal(PRICE_FAILURE_STATUS[f.kind], 404);
    assert.match(f.reason, /finnhub: not-found.*alphavantage: not-found/);
    assert.equal(failure(await service.latest('NOPE')).kind, 'not-found');
    assert.deepEqual([a.calls, b.calls], [1, 1], 'cached');
    clock.advanceTo(NOW + 5_001);
    await service.latest('NOPE');
    assert.deepEqual([a.calls, b.calls], [2, 2], 'asked again after cacheMs');
  });

  it('is rate limited (503 + the shortest Retry-After) when a provider is limited and none has a price, then leaves that provider alone until then', async () => {
    const a = new ScriptedProvider('finnhub', () => ({ kind: 'rate-limited', provider: 'finnhub', retryAfterSeconds: 30, reason: 'HTTP 429' }));
    const b = new ScriptedProvider('alphavantage', () => ({ kind: 'rate-limited', provider: 'alphavantage', retryAfterSeconds: 3_600, reason: 'Information' }));
    const c = new ScriptedProvider('third', () => ({ kind: 'not-found', provider: 'third', reason: 'unknown' }));
    const { service, clock } = setup([a, b, c]);
    const f = failure(await service.latest('AAPL'));
    assert.equal(f.kind, 'rate-limited');
    assert.equal(f.kind === 'rate-limited' && f.retryAfterSeconds, 30);
    assert.equal(PRICE_FAILURE_STATUS[f.kind], 503);

    clock.advanceTo(NOW + 20_000);
    const again = failure(await service.latest('AAPL'));
    assert.equal(again.kind === 'rate-limited' && again.retryAfterSeconds, 10, 'what is left of the wait');
    assert.deepEqual([a.calls, b.calls, c.calls], [1, 1, 2], 'limited providers are not asked while cooling down');
    clock.advanceTo(NOW + 30_000);
    a.answer = found('finnhub', 12);
    assert.equal(price(await service.latest('AAPL')).source, 'finnhub');
    assert.equal(a.calls, 2);
  });

  it('is unavailable (502) on a refused key or a failed call, naming the provider and never the key', async () => {
    const key = 'SECRET-key-4242';
    const a = new ScriptedProvider('finnhub', () => ({ kind: 'unauthorized', provider: 'finnhub', reason: 'finnhub refused the API key (HTTP 401): Invalid API key.' }));
    const b = new ScriptedProvider('alphavantage', () => ({ kind: 'unavailable', provider: 'alphavantage', reason: 'alphavantage: timed out after 5000 ms' }));
    const c = new ScriptedProvider('third', () => ({ kind: 'not-found', provider: 'third', reason: 'unknown' }));
    const thrower = new ScriptedProvider('broken', () => {
      throw new Error(`boom at https://example.test/q?apikey=${key}`);
    });
    const { service, logs } = setup([a, b, c, thrower]);
    const f = failure(await service.latest('AAPL'));
    assert.equal(f.kind, 'unavailable');
    assert.equal(PRICE_FAILURE_STATUS[f.kind], 502);
    assert.match(f.reason, /finnhub: unauthorized \(finnhub refused the API key/);
    assert.match(f.reason, /alphavantage: unavailable \(alphavantage: timed out/);
    assert.match(f.reason, /broken: unavailable \(broken failed: Error: boom at https:\/\/example\.test\/q\?apikey=\*\*\*\)/);
    assert.equal(f.kind === 'unavailable' && f.attempts.length, 4);
    assert.ok(!JSON.stringify(f).includes(key) && !logs.text().includes(key));
  });

  it('is unavailable, clearly, with no providers and no fresh stream', async () => {
    const { service } = setup([]);
    assert.match(failure(await service.latest('AAPL')).reason, /no quote provider configured/);
  });
});

describe('LatestPriceService: quota protection', () => {
  it('coalesces 10 concurrent requests for a symbol into one provider request (simulator over HTTP)', async () => {
    const sim = await createFinnhubSimulator({ seed: 3, tradesPerSecond: 0 });
    cleanups.push(() => sim.close());
    const finnhub = new FinnhubQuoteProvider({ apiKey: 'sim-key', baseUrl: sim.restUrl });
    const { service, raw, producer } = setup([finnhub], { clock: { now: () => Date.now() } });
    const results = await Promise.all(Array.from({ length: 10 }, () => service.latest('NVDA')));
    assert.equal(sim.stats.quoteRequests, 1);
    const prices = results.map(price);
    assert.ok(prices.every((p) => p.source === 'finnhub' && p.rawResponseId === rawId(1) && p.price > 0));
    assert.equal(raw.rows.length, 1);
    assert.equal(producer.sent.length, 1);
    assert.equal((producer.values()[0] as { raw_response_id: string }).raw_response_id, rawId(1));
    await service.latest('NVDA');
    assert.equal(sim.stats.quoteRequests, 1, 'the cached answer serves the next request');
    await Promise.all([service.latest('AAPL'), service.latest('MSFT')]);
    assert.equal(sim.stats.quoteRequests, 3, 'one request per symbol');
  });

  it('shares a pending provider round and reuses its answer for cacheMs, then asks again', async () => {
    const finnhub = new ScriptedProvider('finnhub', found('finnhub', 50));
    const { service, clock, raw, producer } = setup([finnhub], { cacheMs: 2_000 });
    finnhub.hold();
    const pending = Array.from({ length: 10 }, () => service.latest('AAPL'));
    await waitFor(() => finnhub.calls === 1, 'the provider call');
    finnhub.release();
    const results = await Promise.all(pending);
    assert.ok(results.every((r) => r.ok && r.price.rawResponseId === rawId(1)));
    assert.equal(service.stats().coalesced, 9);
    clock.advanceTo(NOW + 1_999);
    assert.equal(price(await service.latest('AAPL')).rawResponseId, rawId(1));
    assert.equal(finnhub.calls, 1);
    clock.advanceTo(NOW + 2_000);
    assert.equal(price(await service.latest('AAPL')).rawResponseId, rawId(2));
    assert.equal(finnhub.calls, 2);
    assert.equal(raw.rows.length, 2);
    assert.equal(producer.sent.length, 2);
  });

  it('rejects every waiter when storing fails, caches nothing, publishes nothing, and tries again next time', async () => {
    const finnhub = new ScriptedProvider('finnhub', found('finnhub', 50));
    const { service, raw, producer } = setup([finnhub]);
    raw.failWith = new Error('database down');
    const results = await Promise.allSettled(Array.from({ length: 3 }, () => service.latest('AAPL')));
    assert.ok(results.every((r) => r.status === 'rejected' && /database down/.test(String(r.reason))));
    assert.equal(finnhub.calls, 1);
    assert.equal(producer.sent.length, 0);
    raw.failWith = null;
    assert.equal(price(await service.latest('AAPL')).rawResponseId, rawId(1));
    assert.equal(finnhub.calls, 2);
    const fresh = setup([new ScriptedProvider('finnhub', found('finnhub', 50))]);
    fresh.producer.failWith = new Error('bus closed');
    await assert.rejects(fresh.service.latest('AAPL'), /bus closed/);
  });

  it('close() ends provider calls in flight and refuses new lookups', async () => {
    const slow = new ScriptedProvider('slow', (_symbol, { signal }) =>
      new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ kind: 'unavailable', provider: 'slow', reason: 'slow: aborted' }), { once: true })),
    );
    const { service } = setup([slow]);
    const pending = service.latest('AAPL');
    await waitFor(() => slow.calls === 1, 'the call');
    service.close();
    assert.equal(failure(await within(pending, 2_000, 'aborted lookup')).kind, 'unavailable');
    assert.match(failure(await service.latest('AAPL')).reason, /closed/);
  });

  it('refuses bad options up front', () => {
    const p = new ScriptedProvider('finnhub', found('finnhub', 1));
    assert.throws(() => setup([p, p]), { code: 'TICKFLOW_CONFIG_INVALID', message: /repeat/ });
    assert.throws(() => setup([], { freshMs: -1, cacheMs: Number.NaN, topic: '' }), /freshMs.*cacheMs.*topic/);
  });
});
