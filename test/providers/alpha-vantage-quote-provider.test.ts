import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AlphaVantageQuoteProvider, classifyAlphaVantageQuote, type AlphaVantageQuoteProviderOptions } from '../../src/providers/alpha-vantage-quote-provider.ts';
import type { QuoteOutcome } from '../../src/providers/quote-provider.ts';
import { ALPHAVANTAGE_INVALID_CALL_MESSAGE, ALPHAVANTAGE_INVALID_KEY_MESSAGE, alphaVantageDailyInformation, alphaVantageMinuteNote } from '../../src/sources/simulator/alpha-vantage-route.ts';
import { createFinnhubSimulator, type FinnhubSimulator, type FinnhubSimulatorOptions } from '../../src/sources/simulator/server.ts';
import { capturingLogger } from '../sources/finnhub/support.ts';
import { within } from '../support/wait.ts';
import { answer, hang, HTML_ERROR_PAGE, stubServer, type StubServer } from './support.ts';

const KEY = 'AV-secret-KEY-ZYXW9876';
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await within(cleanup(), 5_000, 'cleanup');
});

async function simulator(options: FinnhubSimulatorOptions = {}): Promise<{ sim: FinnhubSimulator; base: string }> {
  const sim = await createFinnhubSimulator({ seed: 11, tradesPerSecond: 0, tokens: [KEY], ...options });
  cleanups.push(() => sim.close());
  return { sim, base: sim.restUrl.replace(/\/api\/v1$/, '') };
}

async function stub(handler: Parameters<typeof stubServer>[0]): Promise<StubServer> {
  const server = await stubServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function provider(baseUrl: string, options: Partial<AlphaVantageQuoteProviderOptions> = {}) {
  const logs = capturingLogger();
  return { quotes: new AlphaVantageQuoteProvider({ apiKey: KEY, baseUrl, logger: logs.logger, ...options }), logs };
}

function assertNoKey(outcome: QuoteOutcome, logs: { text: () => string }): void {
  assert.ok(!JSON.stringify(outcome).includes(KEY), `key in outcome: ${JSON.stringify(outcome)}`);
  assert.ok(!logs.text().includes(KEY), `key in logs: ${logs.text()}`);
}

describe('AlphaVantageQuoteProvider against the simulator', () => {
  it('finds a price from string values, the same walk as the Finnhub quote; the logged URL has apikey=***', async () => {
    const { sim, base } = await simulator();
    const { quotes, logs } = provider(base);
    const outcome = await quotes.quote('MSFT');
    assert.equal(outcome.kind, 'found');
    if (outcome.kind !== 'found') return;
    assert.equal(outcome.provider, 'alpha_vantage');
    assert.equal(outcome.status, 200);
    const raw = JSON.parse(outcome.body) as { 'Global Quote': Record<string, string> };
    assert.equal(outcome.price, Number(raw['Global Quote']['05. price']));
    assert.ok(outcome.timestamp <= outcome.fetchedAt && outcome.timestamp > outcome.fetchedAt - 4 * 86_400_000);
    const finnhub = (await (await fetch(`${sim.restUrl}/quote?symbol=MSFT&token=${KEY}`)).json()) as { c: number };
    assert.ok(Math.abs(finnhub.c - outcome.price) < 0.00005, `same walk: ${finnhub.c} vs ${outcome.price}`);
    assert.match(logs.text(), /query\?function=GLOBAL_QUOTE&symbol=MSFT&apikey=\*\*\*/);
    assertNoKey(outcome, logs);
  });

  it('treats an empty Global Quote (unknown symbol) as not found', async () => {
    const { base } = await simulator();
    const { quotes, logs } = provider(base);
    const outcome = await quotes.quote('NOPE');
    assert.equal(outcome.kind, 'not-found');
    assertNoKey(outcome, logs);
  });

  it('turns the per-minute Note into rate-limited (60 s) and the daily Information into rate-limited (1 h), scrubbing the echoed key', async () => {
    const minute = await simulator({ alphaVantage: { callsPerMinute: 1, callsPerDay: 100 } });
    const a = provider(minute.base);
    assert.equal((await a.quotes.quote('AAPL')).kind, 'found');
    const limited = await a.quotes.quote('AAPL');
    assert.equal(limited.kind === 'rate-limited' && limited.retryAfterSeconds, 60);
    assertNoKey(limited, a.logs);

    const daily = await simulator({ alphaVantage: { callsPerMinute: 100, callsPerDay: 1 } });
    const raw = await (await fetch(`${daily.base}/query?function=GLOBAL_QUOTE&symbol=AAPL&apikey=${KEY}`)).json();
    assert.ok(JSON.stringify(raw).includes('Global Quote'));
    const echoed = (await (await fetch(`${daily.base}/query?function=GLOBAL_QUOTE&symbol=AAPL&apikey=${KEY}`)).json()) as { Information: string };
    assert.ok(echoed.Information.includes(KEY), 'the simulator echoes the key, as Alpha Vantage does');
    const b = provider(daily.base);
    const dayLimited = await b.quotes.quote('AAPL');
    assert.equal(dayLimited.kind === 'rate-limited' && dayLimited.retryAfterSeconds, 3_600);
    assert.match((dayLimited as { reason: string }).reason, /API key as \*\*\* and our standard API rate limit is 1 requests per day/);
    assertNoKey(dayLimited, b.logs);
  });

  it("turns the Error Message about the key into unauthorized", async () => {
    const { base } = await simulator();
    const logs = capturingLogger();
    const wrong = 'not-my-KEY-123456';
    const outcome = await new AlphaVantageQuoteProvider({ apiKey: wrong, baseUrl: base, logger: logs.logger }).quote('AAPL');
    assert.equal(outcome.kind, 'unauthorized');
    assert.ok(!JSON.stringify(outcome).includes(wrong) && !logs.text().includes(wrong));
  });

  it('times out on a server that never answers; HTML, 5xx and a refused connection are unavailable', async () => {
    const slow = await stub(hang());
    const timedOut = await within(provider(slow.url, { timeoutMs: 150 }).quotes.quote('AAPL'), 3_000, 'quote against a hanging server');
    assert.deepEqual(timedOut, { kind: 'unavailable', provider: 'alpha_vantage', reason: 'alphavantage: timed out after 150 ms' });
    const html = await stub(answer(200, HTML_ERROR_PAGE, { 'content-type': 'text/html' }));
    const down = await stub(answer(500, '{}'));
    const closed = await stubServer(answer(200, ''));
    await closed.close();
    for (const base of [html.url, down.url, closed.url]) {
      const { quotes, logs } = provider(base);
      const outcome = await quotes.quote('AAPL');
      assert.equal(outcome.kind, 'unavailable', base);
      assertNoKey(outcome, logs);
    }
    assert.match(html.requests[0]?.url ?? '', /^\/query\?function=GLOBAL_QUOTE&symbol=AAPL&apikey=AV-secret/);
  });

  it('refuses bad options up front', () => {
    assert.throws(() => new AlphaVantageQuoteProvider({ apiKey: ' ' }), { code: 'TICKFLOW_CONFIG_INVALID' });
    assert.throws(() => new AlphaVantageQuoteProvider({ apiKey: KEY, dailyRetryAfterSeconds: 0.5 }), /dailyRetryAfterSeconds/);
  });
});

describe('classifyAlphaVantageQuote', () => {
  const retry = { minuteRetryAfterSeconds: 60, dailyRetryAfterSeconds: 3_600 };
  const fetchedAt = Date.UTC(2019, 9, 7, 14, 0); // Monday 2019-10-07 10:00 New York
  const classify = (body: unknown, status = 200) => classifyAlphaVantageQuote({ status, headers: new Headers(), body: typeof body === 'string' ? body : JSON.stringify(body) }, 'AAPL', fetchedAt, retry);
  const documented = {
    'Global Quote': {
      '01. symbol': 'AAPL',
      '02. open': '225.5400',
      '03. high': '226.1900',
      '04. low': '223.8900',
      '05. price': '225.9700',
      '06. volume': '9226278',
      '07. latest trading day': '2019-10-04',
      '08. previous close': '220.8200',
      '09. change': '5.1500',
      '10. change percent': '2.3322%',
    },
  };

  it("reads the documented answer: price from a string, time = that day's 16:00 New York close", () => {
    const outcome = classify(documented);
    assert.equal(outcome.kind, 'found');
    if (outcome.kind !== 'found') return;
    assert.equal(outcome.price, 225.97);
    assert.equal(outcome.timestamp, Date.UTC(2019, 9, 4, 20, 0), '16:00 EDT = 20:00 UTC');
    const today = classify({ 'Global Quote': { ...documented['Global Quote'], '07. latest trading day': '2019-10-07' } });
    assert.equal(today.kind === 'found' && today.timestamp, fetchedAt, 'before the close: the time of the answer');
  });

  it('never calls a price of 0 found; an unreadable price or day is unavailable', () => {
    assert.equal(classify({ 'Global Quote': {} }).kind, 'not-found');
    assert.equal(classify({ 'Global Quote': { ...documented['Global Quote'], '05. price': '0.0000' } }).kind, 'not-found');
    assert.equal(classify({ 'Global Quote': { ...documented['Global Quote'], '05. price': 'n/a' } }).kind, 'unavailable');
    assert.equal(classify({ 'Global Quote': { ...documented['Global Quote'], '05. price': 225.97 } }).kind, 'unavailable');
    assert.equal(classify({ 'Global Quote': { ...documented['Global Quote'], '07. latest trading day': '2019-02-30' } }).kind, 'unavailable');
    assert.equal(classify({ Something: 'else' }).kind, 'unavailable');
  });

  it('tells key trouble from rate limits and from a bad call, all arriving as HTTP 200', () => {
    const cases: Array<[unknown, string, number?]> = [
      [{ 'Error Message': ALPHAVANTAGE_INVALID_KEY_MESSAGE }, 'unauthorized'],
      [{ 'Error Message': ALPHAVANTAGE_INVALID_CALL_MESSAGE }, 'not-found'],
      [{ Note: alphaVantageMinuteNote(5, 500) }, 'rate-limited', 60],
      [{ Information: alphaVantageDailyInformation('XYZ', 25) }, 'rate-limited', 3_600],
      [{ Information: 'Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly (1 request per second).' }, 'rate-limited', 60],
      [{ Information: 'The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key) to explore our full API offerings.' }, 'unauthorized'],
      [{ Information: 'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints' }, 'unauthorized'],
      [{ Information: 'Something we have never seen.' }, 'rate-limited', 60],
    ];
    for (const [body, kind, wait] of cases) {
      const outcome = classify(body);
      assert.equal(outcome.kind, kind, JSON.stringify(body));
      if (wait !== undefined) assert.equal(outcome.kind === 'rate-limited' && outcome.retryAfterSeconds, wait);
    }
    assert.equal(classify('', 429).kind, 'rate-limited');
    assert.equal(classify('', 502).kind, 'unavailable');
  });
});

describe('simulator: Alpha Vantage GLOBAL_QUOTE route', () => {
  const query = (base: string, params: Record<string, string>) => fetch(`${base}/query?${new URLSearchParams(params)}`);

  it('answers in Alpha Vantage shape: ten string fields, 4-decimal prices, a % change', async () => {
    const { base } = await simulator();
    const response = await query(base, { function: 'GLOBAL_QUOTE', symbol: 'AAPL', apikey: KEY });
    assert.equal(response.status, 200);
    const quote = ((await response.json()) as { 'Global Quote': Record<string, unknown> })['Global Quote'];
    assert.deepEqual(Object.keys(quote), ['01. symbol', '02. open', '03. high', '04. low', '05. price', '06. volume', '07. latest trading day', '08. previous close', '09. change', '10. change percent']);
    assert.ok(Object.values(quote).every((value) => typeof value === 'string'));
    assert.equal(quote['01. symbol'], 'AAPL');
    for (const field of ['02. open', '03. high', '04. low', '05. price', '08. previous close']) assert.match(quote[field] as string, /^\d+\.\d{4}$/, field);
    assert.match(quote['09. change'] as string, /^-?\d+\.\d{4}$/);
    assert.match(quote['10. change percent'] as string, /^-?\d+\.\d{4}%$/);
    assert.match(quote['06. volume'] as string, /^\d+$/);
    assert.match(quote['07. latest trading day'] as string, /^\d{4}-\d{2}-\d{2}$/);
    const price = Number(quote['05. price']);
    const previous = Number(quote['08. previous close']);
    assert.ok(Math.abs(Number(quote['09. change']) - (price - previous)) < 0.0002);
  });

  it('answers every failure with HTTP 200: empty quote, Error Message for a bad key or call, Note over the minute limit', async () => {
    const { base } = await simulator({ alphaVantage: { callsPerMinute: 2, callsPerDay: 10 } });
    const body = async (params: Record<string, string>) => {
      const response = await query(base, params);
      assert.equal(response.status, 200);
      return (await response.json()) as Record<string, unknown>;
    };
    assert.deepEqual(await body({ function: 'GLOBAL_QUOTE', symbol: 'NOPE', apikey: KEY }), { 'Global Quote': {} });
    assert.deepEqual(await body({ function: 'GLOBAL_QUOTE', symbol: 'AAPL', apikey: 'bad' }), { 'Error Message': ALPHAVANTAGE_INVALID_KEY_MESSAGE });
    assert.deepEqual(await body({ function: 'GLOBAL_QUOTE', symbol: 'AAPL' }), { 'Error Message': ALPHAVANTAGE_INVALID_KEY_MESSAGE });
    assert.deepEqual(await body({ function: 'TIME_SERIES_DAILY', symbol: 'AAPL', apikey: KEY }), { 'Error Message': ALPHAVANTAGE_INVALID_CALL_MESSAGE });
    assert.ok('Global Quote' in (await body({ function: 'GLOBAL_QUOTE', symbol: 'AAPL', apikey: KEY })));
    assert.deepEqual(await body({ function: 'GLOBAL_QUOTE', symbol: 'AAPL', apikey: KEY }), { Note: alphaVantageMinuteNote(2, 10) });
  });

  it('refuses invalid limits up front', async () => {
    await assert.rejects(createFinnhubSimulator({ alphaVantage: { callsPerDay: 0 } }), { code: 'TICKFLOW_CONFIG_INVALID' });
  });
});
