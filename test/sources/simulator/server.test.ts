import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { FINNHUB_EMPTY_QUOTE, FINNHUB_RATE_LIMIT_BODY, type FinnhubQuote, type FinnhubTradeEntry } from '../../../src/sources/finnhub/messages.ts';
import { runSimulator } from '../../../src/sources/simulator/run.ts';
import { createFinnhubSimulator, type FinnhubSimulator, type FinnhubSimulatorOptions } from '../../../src/sources/simulator/server.ts';
import { waitFor, within } from '../../support/wait.ts';
import { capturingLogger } from '../finnhub/support.ts';

const cleanups: Array<() => Promise<void> | void> = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await within(Promise.resolve(cleanup()), 5_000, 'cleanup');
});

async function simulator(options: FinnhubSimulatorOptions = {}): Promise<FinnhubSimulator> {
  const sim = await createFinnhubSimulator({ seed: 42, frameIntervalMs: 20, tradesPerSecond: 500, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** A raw client that records every frame and its close. */
async function client(sim: FinnhubSimulator, token: string, symbols: readonly string[] = []) {
  const ws = new WebSocket(`${sim.url}/?token=${token}`);
  cleanups.push(() => ws.terminate());
  const frames: Array<{ type: string; data?: FinnhubTradeEntry[]; msg?: string }> = [];
  let closed: number | null = null;
  let unparseable = 0;
  ws.on('message', (data) => {
    try {
      frames.push(JSON.parse(String(data)));
    } catch {
      unparseable++;
    }
  });
  ws.on('close', (code) => (closed = code));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  for (const symbol of symbols) ws.send(JSON.stringify({ type: 'subscribe', symbol }));
  return {
    ws,
    frames,
    closed: () => closed,
    unparseable: () => unparseable,
    trades: () => frames.flatMap((frame) => (frame.type === 'trade' ? (frame.data ?? []) : [])),
    errors: () => frames.filter((frame) => frame.type === 'error'),
  };
}

/** The HTTP status of a refused upgrade. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => {});
    ws.on('open', () => reject(new Error('upgrade accepted')));
  });
}

describe('Finnhub simulator: WebSocket', () => {
  it('streams batched trades shaped like Finnhub: several symbols per frame, forex v=0, crypto c:null', async () => {
    const sim = await simulator({ duplicateRate: 0.2 });
    const symbols = ['AAPL', 'MSFT', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT'];
    const c = await client(sim, 'anything', symbols);
    await waitFor(() => c.trades().length >= 400, '400 trades');
    const trades = c.trades();
    assert.ok(trades.every((trade) => symbols.includes(trade.s)));
    assert.ok(c.frames.some((frame) => new Set(frame.data?.map((trade) => trade.s)).size > 1), 'a frame with several symbols');
    for (const trade of trades) {
      assert.ok(trade.p > 0 && Number.isInteger(trade.t) && trade.t > 1e12, 'price > 0, t in ms');
      if (trade.s === 'OANDA:EUR_USD') {
        assert.equal(trade.v, 0);
        assert.ok(trade.p > 0.9 && trade.p < 1.4);
        assert.equal(Math.round(trade.p * 1e5) / 1e5, trade.p, '5 decimals');
      } else if (trade.s === 'BINANCE:BTCUSDT') {
        assert.equal(trade.c, null);
        assert.ok(trade.v > 0);
      } else {
        assert.ok(Number.isInteger(trade.v) && trade.v > 0 && Array.isArray(trade.c));
        assert.ok(trade.p > 50 && trade.p < 1_000);
      }
    }
    const sameMs = trades.some((trade, i) => i > 0 && trade.t === trades[i - 1]?.t && trade.s !== trades[i - 1]?.s);
    const duplicate = trades.some((trade, i) => i > 0 && JSON.stringify(trade) === JSON.stringify(trades[i - 1]));
    const backwards = trades.some((trade, i) => i > 0 && trade.t < (trades[i - 1] as FinnhubTradeEntry).t);
    assert.ok(sameMs && duplicate && backwards, 'shared milliseconds, exact duplicates and out-of-order times');
    assert.equal(sim.stats.tradesSent, trades.length);
  });

  it('answers a missing or refused token with HTTP 401 on the upgrade', async () => {
    const sim = await simulator({ tokens: ['good'] });
    assert.equal(await upgradeStatus(`${sim.url}/?token=nope`), 401);
    assert.equal(await upgradeStatus(sim.url), 401);
    await client(sim, 'good');
    const open = await simulator();
    assert.equal(await upgradeStatus(`${open.url}/?token=bad`), 401, 'by default "bad" is refused');
    await client(open, 'any-other-token');
    assert.equal(sim.stats.rejectedUpgrades, 2);
  });

  it('drops the first connection when a second one uses the same token', async () => {
    const sim = await simulator();
    const first = await client(sim, 'shared');
    const other = await client(sim, 'other');
    const second = await client(sim, 'shared');
    await waitFor(() => first.closed() !== null, 'the first connection to close');
    assert.equal(first.closed(), 1008);
    assert.equal(second.closed(), null);
    assert.equal(other.closed(), null);
    await waitFor(() => sim.stats.connections === 2, 'two connections left');
  });

  it('refuses the 51st symbol with an error frame; unsubscribing frees a slot', async () => {
    const sim = await simulator({ tradesPerSecond: 0 });
    const symbols = Array.from({ length: 51 }, (_, i) => `SYM${i}`);
    const c = await client(sim, 'cap', symbols);
    await waitFor(() => c.errors().length === 1, 'the error frame');
    assert.deepEqual(c.errors()[0], { type: 'error', msg: 'Subscribing to too many symbols' });
    assert.equal(sim.stats.subscriptions, 50);
    c.ws.send(JSON.stringify({ type: 'unsubscribe', symbol: 'SYM0' }));
    await waitFor(() => sim.stats.subscriptions === 49, 'the unsubscribe');
    c.ws.send(JSON.stringify({ type: 'subscribe', symbol: 'SYM50' }));
    await waitFor(() => sim.stats.subscriptions === 50, 'the new subscription');
    c.ws.send(JSON.stringify({ type: 'subscribe', symbol: 'SYM51' }));
    await waitFor(() => c.errors().length === 2, 'a second error frame');
    assert.equal(sim.stats.subscriptions, 50);
  });

  it('pings every pingIntervalMs', async () => {
    const sim = await simulator({ pingIntervalMs: 20 });
    const c = await client(sim, 'p');
    await waitFor(() => c.frames.filter((frame) => frame.type === 'ping').length >= 3, 'three pings');
    assert.deepEqual(c.frames[0], { type: 'ping' });
  });

  it('injects faults programmatically and over HTTP', async () => {
    const sentAt: number[] = [];
    const sim = await simulator({ pingIntervalMs: 20, tap: () => sentAt.push(Date.now()) });
    const control = sim.restUrl.replace('/api/v1', '/sim');
    const c = await client(sim, 'f', ['AAPL']);

    const malformed = await fetch(`${control}/malformed?count=2`, { method: 'POST' });
    assert.deepEqual(await malformed.json(), { sent: 2 });
    await waitFor(() => c.unparseable() === 2, 'two malformed frames');

    const askedAt = Date.now();
    const silence = await fetch(`${control}/silence?ms=300`, { method: 'POST' });
    const { silentUntil } = (await silence.json()) as { silentUntil: number };
    assert.ok(silentUntil >= askedAt + 300 && sim.stats.silentUntil === silentUntil);
    await waitFor(() => sentAt.some((at) => at >= silentUntil), 'frames after the silence');
    const answeredAt = silentUntil - 300;
    assert.deepEqual(sentAt.filter((at) => at > answeredAt && at < silentUntil), [], 'nothing sent while silent');

    const drop = await fetch(`${control}/drop`, { method: 'POST' });
    assert.deepEqual(await drop.json(), { dropped: 1 });
    await waitFor(() => c.closed() !== null, 'the client to be dropped');
    assert.equal(c.closed(), 1001);

    const stats = (await (await fetch(`${control}/stats`)).json()) as Record<string, number>;
    assert.equal(stats.droppedConnections, 1);
    assert.equal((await fetch(`${control}/silence?ms=-1`, { method: 'POST' })).status, 400);
    assert.equal((await fetch(`${control}/nope`, { method: 'POST' })).status, 404);
    await waitFor(() => sim.stats.connections === 0, 'the server to forget the connection');
    assert.equal(sim.faults.sendRaw('{"type":"ping"}'), 0, 'no connection left');
  });
});

describe('Finnhub simulator: REST quote', () => {
  it('answers /quote with Finnhub shape from the same walk, zeros for unknown symbols', async () => {
    const sim = await simulator();
    const c = await client(sim, 'q', ['AAPL']);
    await waitFor(() => c.trades().length > 0, 'AAPL trades');
    const response = await fetch(`${sim.restUrl}/quote?symbol=AAPL&token=q`);
    assert.equal(response.status, 200);
    const quote = (await response.json()) as FinnhubQuote;
    assert.deepEqual(Object.keys(quote).sort(), ['c', 'd', 'dp', 'h', 'l', 'o', 'pc', 't']);
    assert.ok(quote.l <= quote.c && quote.c <= quote.h && quote.o > 0 && quote.pc > 0);
    assert.ok(Math.abs((quote.d as number) - (quote.c - quote.pc)) < 0.011);
    assert.ok(quote.t > 1e9 && quote.t < 1e11, 't is in seconds');
    const lastPrice = c.trades().findLast((trade) => trade.s === 'AAPL')?.p as number;
    assert.ok(Math.abs(quote.c - lastPrice) / lastPrice < 0.05, 'the quote follows the streamed walk');

    const unknown = await fetch(`${sim.restUrl}/quote?symbol=NOPE`, { headers: { 'X-Finnhub-Token': 'q' } });
    assert.equal(unknown.status, 200);
    assert.deepEqual(await unknown.json(), FINNHUB_EMPTY_QUOTE);
  });

  it('refuses missing or bad tokens with 401, premium endpoints with 403', async () => {
    const sim = await simulator({ tokens: ['good'] });
    const missing = await fetch(`${sim.restUrl}/quote?symbol=AAPL`);
    assert.equal(missing.status, 401);
    assert.equal(typeof ((await missing.json()) as { error: unknown }).error, 'string');
    assert.equal((await fetch(`${sim.restUrl}/quote?symbol=AAPL&token=bad`)).status, 401);
    const candle = await fetch(`${sim.restUrl}/stock/candle?symbol=AAPL&token=good`);
    assert.equal(candle.status, 403);
    assert.deepEqual(await candle.json(), { error: "You don't have access to this resource." });
  });

  it('answers 429 with Finnhub text once over the rate limit', async () => {
    const sim = await simulator({ restCallsPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${sim.restUrl}/quote?symbol=AAPL&token=r`)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await fetch(`${sim.restUrl}/quote?symbol=AAPL&token=r`);
    assert.equal(limited.status, 429);
    assert.equal(await limited.text(), FINNHUB_RATE_LIMIT_BODY);
    assert.equal((await fetch(`${sim.restUrl}/quote?symbol=AAPL&token=another`)).status, 200, 'limits are per token');
    assert.equal(sim.stats.rateLimited, 2);
  });
});

describe('runSimulator', () => {
  it('starts on the given port, logs how to use it through the logger only, and closes idempotently', async () => {
    const logs = capturingLogger();
    const sim = await runSimulator({ port: 0, host: '127.0.0.1', rate: 10, symbols: ['AAPL'], seed: 1, logger: logs.logger });
    cleanups.push(() => sim.close());
    assert.match(sim.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sim.seed, 1);
    assert.match(logs.text(), /Finnhub simulator ready/);
    assert.equal((await fetch(`${sim.restUrl}/quote?symbol=MSFT&token=t`).then((r) => r.json()) as FinnhubQuote).c, 0, 'only the given symbols exist');
    await within(Promise.all([sim.close(), sim.close()]), 2_000, 'close twice');
  });

  it('rejects invalid options up front', async () => {
    await assert.rejects(createFinnhubSimulator({ tradesPerSecond: -1 }), { code: 'TICKFLOW_CONFIG_INVALID' });
    await assert.rejects(createFinnhubSimulator({ frameIntervalMs: 0, symbolLimit: 1.5 }), /frameIntervalMs.*symbolLimit/);
  });
});
