import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { classifyFinnhubQuote, FinnhubQuoteProvider, type FinnhubQuoteProviderOptions } from '../../src/providers/finnhub-quote-provider.ts';
import type { QuoteOutcome } from '../../src/providers/quote-provider.ts';
import { FINNHUB_RATE_LIMIT_BODY } from '../../src/sources/finnhub/messages.ts';
import { createFinnhubSimulator, type FinnhubSimulator, type FinnhubSimulatorOptions } from '../../src/sources/simulator/server.ts';
import { capturingLogger } from '../sources/finnhub/support.ts';
import { within } from '../support/wait.ts';
import { answer, hang, HTML_ERROR_PAGE, stallMidBody, stubServer, type StubServer } from './support.ts';

const KEY = 'fh-secret-KEY-0123456789';
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await within(cleanup(), 5_000, 'cleanup');
});

async function simulator(options: FinnhubSimulatorOptions = {}): Promise<FinnhubSimulator> {
  const sim = await createFinnhubSimulator({ seed: 7, tradesPerSecond: 0, tokens: [KEY], ...options });
  cleanups.push(() => sim.close());
  return sim;
}

async function stub(handler: Parameters<typeof stubServer>[0]): Promise<StubServer> {
  const server = await stubServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function provider(baseUrl: string, options: Partial<FinnhubQuoteProviderOptions> = {}) {
  const logs = capturingLogger();
  const quotes = new FinnhubQuoteProvider({ apiKey: KEY, baseUrl, logger: logs.logger, ...options });
  return { quotes, logs };
}

function assertNoKey(outcome: QuoteOutcome, logs: { text: () => string }): void {
  assert.ok(!JSON.stringify(outcome).includes(KEY), `key in outcome: ${JSON.stringify(outcome)}`);
  assert.ok(!logs.text().includes(KEY), 'key in logs');
}

describe('FinnhubQuoteProvider against the simulator', () => {
  it('finds a price: > 0, time in ms, the raw body and status kept; the key travels only in X-Finnhub-Token', async () => {
    const sim = await simulator();
    const { quotes, logs } = provider(sim.restUrl);
    const before = Date.now();
    const outcome = await quotes.quote('AAPL');
    assert.equal(outcome.kind, 'found');
    if (outcome.kind !== 'found') return;
    assert.equal(outcome.provider, 'finnhub');
    assert.equal(outcome.symbol, 'AAPL');
    assert.equal(outcome.status, 200);
    const raw = JSON.parse(outcome.body) as { c: number; t: number };
    assert.equal(outcome.price, raw.c);
    assert.ok(outcome.price > 0);
    assert.equal(outcome.timestamp, raw.t * 1000, 'Unix seconds become ms');
    assert.ok(outcome.fetchedAt >= before && outcome.fetchedAt <= Date.now());
    assert.match(logs.text(), /"url":"http:\/\/127\.0\.0\.1:\d+\/api\/v1\/quote\?symbol=AAPL"/, 'the logged URL has no token');
    assertNoKey(outcome, logs);
  });

  it('sends the key as a header, never in the URL', async () => {
    const server = await stub(answer(200, '{"c":10.5,"d":0.1,"dp":1,"h":11,"l":10,"o":10.2,"pc":10.4,"t":1700000000}'));
    const { quotes } = provider(server.url);
    assert.equal((await quotes.quote('OANDA:EUR_USD')).kind, 'found');
    assert.equal(server.requests[0]?.url, '/quote?symbol=OANDA%3AEUR_USD');
    assert.equal(server.requests[0]?.headers['x-finnhub-token'], KEY);
  });

  it("treats Finnhub's all-zero quote for an unknown symbol as not found", async () => {
    const sim = await simulator();
    const { quotes, logs } = provider(sim.restUrl);
    const outcome = await quotes.quote('NOPE');
    assert.equal(outcome.kind, 'not-found');
    assertNoKey(outcome, logs);
  });

  it('turns 429 into rate-limited with the default wait when there is no Retry-After', async () => {
    const sim = await simulator({ restCallsPerMinute: 1 });
    const { quotes, logs } = provider(sim.restUrl, { defaultRetryAfterSeconds: 42 });
    assert.equal((await quotes.quote('AAPL')).kind, 'found');
    const outcome = await quotes.quote('AAPL');
    assert.deepEqual(outcome, { kind: 'rate-limited', provider: 'finnhub', retryAfterSeconds: 42, reason: `finnhub rate limit (HTTP 429): ${FINNHUB_RATE_LIMIT_BODY}` });
    assertNoKey(outcome, logs);
    const byDefault = await new FinnhubQuoteProvider({ apiKey: KEY, baseUrl: sim.restUrl }).quote('AAPL');
    assert.equal(byDefault.kind === 'rate-limited' && byDefault.retryAfterSeconds, 60, 'default: a full minute');
  });

  it('reads Retry-After as seconds or as an HTTP date', async () => {
    const seconds = await stub(answer(429, FINNHUB_RATE_LIMIT_BODY, { 'content-type': 'text/plain', 'retry-after': '7' }));
    assert.deepEqual(await provider(seconds.url).quotes.quote('AAPL').then((o) => (o.kind === 'rate-limited' ? o.retryAfterSeconds : o.kind)), 7);
    const date = await stub(answer(429, FINNHUB_RATE_LIMIT_BODY, { 'content-type': 'text/plain', 'retry-after': new Date(Date.now() + 30_000).toUTCString() }));
    const wait = await provider(date.url).quotes.quote('AAPL').then((o) => (o.kind === 'rate-limited' ? o.retryAfterSeconds : -1));
    assert.ok(wait >= 28 && wait <= 31, `about 30 s, got ${wait}`);
  });

  it('turns a refused key (401) into unauthorized, without the key anywhere', async () => {
    const sim = await simulator();
    const logs = capturingLogger();
    const wrong = 'wrong-KEY-abcdef-987654';
    const outcome = await new FinnhubQuoteProvider({ apiKey: wrong, baseUrl: sim.restUrl, logger: logs.logger }).quote('AAPL');
    assert.equal(outcome.kind, 'unauthorized');
    assert.match((outcome as { reason: string }).reason, /HTTP 401.*Invalid API key/);
    assert.ok(!JSON.stringify(outcome).includes(wrong) && !logs.text().includes(wrong));
    const forbidden = await stub(answer(403, '{"error":"You don\'t have access to this resource."}'));
    assert.equal((await provider(forbidden.url).quotes.quote('AAPL')).kind, 'unauthorized');
  });

  it('times out on a server that never answers, or stalls mid-body', async () => {
    for (const handler of [hang(), stallMidBody()]) {
      const server = await stub(handler);
      const { quotes, logs } = provider(server.url, { timeoutMs: 150 });
      const outcome = await within(quotes.quote('AAPL'), 3_000, 'quote against a hanging server');
      assert.deepEqual(outcome, { kind: 'unavailable', provider: 'finnhub', reason: 'finnhub: timed out after 150 ms' });
      assertNoKey(outcome, logs);
    }
  });

  it('is unavailable on HTML, 5xx, a redirect, or a refused connection; never rejects', async () => {
    const html = await stub(answer(200, HTML_ERROR_PAGE, { 'content-type': 'text/html' }));
    const down = await stub(answer(503, 'upstream down', { 'content-type': 'text/plain' }));
    const elsewhere = await stub(answer(200, '{"c":1,"t":1700000000}'));
    const redirect = await stub(answer(302, '', { location: `${elsewhere.url}/quote?symbol=AAPL` }));
    const closed = await stubServer(answer(200, ''));
    await closed.close();
    for (const [base, reason] of [
      [html.url, /not JSON: <!DOCTYPE html>/],
      [down.url, /HTTP 503/],
      [redirect.url, /HTTP 302 \(unexpected\)/],
      [closed.url, /network error: fetch failed \(ECONNREFUSED\)/],
    ] as const) {
      const { quotes, logs } = provider(base);
      const outcome = await quotes.quote('AAPL');
      assert.equal(outcome.kind, 'unavailable', base);
      assert.match((outcome as { reason: string }).reason, reason);
      assertNoKey(outcome, logs);
    }
    assert.equal(elsewhere.requests.length, 0, 'the redirect was not followed, so the key went nowhere else');
  });

  it('ends with unavailable when the caller aborts', async () => {
    const server = await stub(hang());
    const { quotes } = provider(server.url);
    const controller = new AbortController();
    const pending = quotes.quote('AAPL', { signal: controller.signal });
    controller.abort();
    assert.deepEqual(await within(pending, 2_000, 'aborted quote'), { kind: 'unavailable', provider: 'finnhub', reason: 'finnhub: aborted' });
  });

  it('refuses bad options up front, without echoing the key', () => {
    assert.throws(() => new FinnhubQuoteProvider({ apiKey: '' }), { code: 'TICKFLOW_CONFIG_INVALID', message: /apiKey is required/ });
    assert.throws(() => new FinnhubQuoteProvider({ apiKey: KEY, baseUrl: `ftp://x/?token=${KEY}`, timeoutMs: 0 }), (error: Error) => {
      assert.match(error.message, /baseUrl.*timeoutMs/);
      assert.ok(!error.message.includes(KEY));
      return true;
    });
  });
});

describe('classifyFinnhubQuote', () => {
  const headers = new Headers();
  const classify = (status: number, body: string) => classifyFinnhubQuote({ status, headers, body }, 'AAPL', 1_700_000_000_000, 60);

  it('never calls a price of 0 found', () => {
    assert.equal(classify(200, '{"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0}').kind, 'not-found');
    assert.equal(classify(200, '{"c":0,"t":1700000000}').kind, 'not-found');
  });

  it('calls a quote without a usable price or time unavailable', () => {
    for (const body of ['{"c":null,"t":1700000000}', '{"c":"12.5","t":1700000000}', '{"c":-1,"t":1700000000}', '{"c":12.5}', '{"c":12.5,"t":0}', '[]', 'null', '"text"']) {
      assert.equal(classify(200, body).kind, 'unavailable', body);
    }
  });

  it('maps statuses: 401/403 unauthorized, 429 rate-limited, 404 and 500 unavailable', () => {
    assert.equal(classify(401, '{"error":"Invalid API key."}').kind, 'unauthorized');
    assert.equal(classify(403, '{"error":"You don\'t have access to this resource."}').kind, 'unauthorized');
    assert.equal(classify(429, FINNHUB_RATE_LIMIT_BODY).kind, 'rate-limited');
    assert.equal(classify(404, '{"error":"Not found"}').kind, 'unavailable');
    assert.equal(classify(500, '').kind, 'unavailable');
  });
});
