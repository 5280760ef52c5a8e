import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import type { Quote } from '../../src/model/quote.ts';
import type { QuoteBar } from '../../src/model/quote-bar.ts';
import { QuoteBarBuilder } from '../../src/processors/bars/quote-bar-builder.ts';
import { openLeanInput } from '../../src/sources/replay/lean/lean-input.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { within } from '../support/wait.ts';

const TICKS = join(import.meta.dirname, '../../../shared/data/lean-eurusd-20140502/tick_eurusd_20140502_quote.zip');
const SYMBOL = 'OANDA:EUR_USD';
const DAY = Date.parse('2014-05-02T00:00:00Z');

const root = mkdtempSync(join(tmpdir(), 'tickflow-quotes-api-'));
let store: SqlStore;
let app: FastifyInstance;
let quotes: Quote[];
let bars: QuoteBar[];

/** The day's first 2,000 EUR/USD quote ticks (00:00 to about 00:43 UTC) and their quote bars, stored. */
before(async () => {
  const input = await openLeanInput(TICKS);
  quotes = [];
  let lineNumber = 0;
  for await (const line of input.lines()) {
    quotes.push(input.parse(line, ++lineNumber) as Quote);
    if (quotes.length === 2_000) break;
  }
  await input.close();
  const builder = new QuoteBarBuilder();
  bars = [...quotes.flatMap((quote) => builder.add(quote, quote.tsRecv)), ...builder.flush(quotes.at(-1)!.tsRecv)];
  store = await openPgliteStore({ dir: join(root, 'store') });
  await store.write({ quotes, quoteBars: bars });
  app = await buildApp({ status: idleStatus, api: { store, prices: { latest: async () => ({ ok: false, failure: { kind: 'invalid-symbol', symbol: '', reason: '' } }) }, symbols: [SYMBOL] } });
  await app.ready();
});
after(async () => {
  await app?.close();
  await within(store.close(), 10_000, 'closing the store');
  rmSync(root, { recursive: true, force: true });
});

async function json(url: string): Promise<Record<string, unknown>> {
  const response = await app.inject(url);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

describe('/v1/quote-bars and /v1/quotes', () => {
  it('serves the minute quote bars as built, bid and ask OHLC side by side (the first as Lean has it)', async () => {
    const body = await json(`/v1/quote-bars?symbol=${encodeURIComponent(SYMBOL)}&interval=1m&limit=10000`);
    const minutes = bars.filter((bar) => bar.interval === '1m');
    assert.equal(body.interval, '1m');
    assert.deepEqual(body.bars, minutes.map(({ type: _type, tsEvent: _tsEvent, tsRecv: _tsRecv, ...bar }) => bar));
    // Lean's reference minute 0: 0,1.38694,1.38694,1.38683,1.38684,0,1.38705,1.38706,1.38697,1.38699,0
    assert.deepEqual((body.bars as QuoteBar[])[0], {
      symbol: SYMBOL, interval: '1m', start: DAY, end: DAY + 60_000,
      bid: { open: 1.38694, high: 1.38694, low: 1.38683, close: 1.38684 },
      ask: { open: 1.38705, high: 1.38706, low: 1.38697, close: 1.38699 },
      lastBidSize: null, lastAskSize: null, count: minutes[0]!.count,
    });
  });

  it('aggregates 5m quote bars from the minutes and takes ISO times', async () => {
    const body = await json(`/v1/quote-bars?symbol=${encodeURIComponent(SYMBOL)}&interval=5m&from=2014-05-02T00:00:00Z&to=2014-05-02T00:10:00Z`);
    const fives = body.bars as QuoteBar[];
    assert.deepEqual(fives.map((bar) => bar.start), [DAY, DAY + 300_000]);
    const firstFive = bars.filter((bar) => bar.interval === '1m' && bar.start < DAY + 300_000);
    assert.equal(fives[0]!.count, firstFive.reduce((sum, bar) => sum + bar.count, 0));
    assert.equal(fives[0]!.bid.open, firstFive[0]!.bid.open);
    assert.equal(fives[0]!.ask.close, firstFive.at(-1)!.ask.close);
    assert.equal(fives[0]!.bid.low, Math.min(...firstFive.map((bar) => bar.bid.low)));
  });

  it('pages through the quotes with the cursor; the trade routes have none of them', async () => {
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const body: Record<string, unknown> = await json(`/v1/quotes?symbol=${encodeURIComponent(SYMBOL)}&limit=700${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...(body.quotes as unknown[]));
      cursor = body.nextCursor as string | null;
    } while (cursor);
    assert.deepEqual(seen, quotes);
    assert.deepEqual((await json(`/v1/bars?symbol=${encodeURIComponent(SYMBOL)}`)).bars, []);
    assert.deepEqual((await json(`/v1/trades?symbol=${encodeURIComponent(SYMBOL)}`)).trades, []);
  });

  it('answers bad input with a problem+json 400 that names it', async () => {
    const bad: Array<[string, RegExp]> = [
      ['/v1/quote-bars', /"symbol" is required/],
      ['/v1/quote-bars?symbol=EURUSD&interval=2m', /"interval" must be one of 1s, 1m, 5m, 1h, 1d/],
      ['/v1/quote-bars?symbol=EURUSD&kind=quote', /query parameter "kind" is not a known field/],
      ['/v1/quote-bars?symbol=EURUSD&limit=10001', /"limit" must be <= 10000/],
      ['/v1/quotes?symbol=EURUSD&from=2014-05-02T01:00:00Z&to=2014-05-02T00:00:00Z', /"from" must be before "to"/],
      ['/v1/quotes?symbol=EURUSD&cursor=bm90IGEgY3Vyc29y', /cursor is not one the store issued/],
    ];
    for (const [url, message] of bad) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 400, url);
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/, url);
      assert.match(response.json().detail, message, url);
    }
  });

  it('documents both routes in the OpenAPI schema', async () => {
    const spec = (await app.inject('/docs/json')).json();
    const quoteBars = spec.paths['/v1/quote-bars'].get;
    assert.ok(quoteBars.parameters.some((parameter: { name: string }) => parameter.name === 'interval'));
    const barSchema = quoteBars.responses['200'].content['application/json'].schema.properties.bars.items;
    assert.deepEqual(Object.keys(barSchema.properties.bid.properties), ['open', 'high', 'low', 'close']);
    assert.ok(spec.paths['/v1/quotes'].get.parameters.some((parameter: { name: string }) => parameter.name === 'cursor'));
  });
});
