import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Trade } from '../../../src/model/trade.ts';
import { FinnhubFeed, type FinnhubFeedOptions } from '../../../src/sources/finnhub/feed.ts';
import type { FinnhubTradeEntry } from '../../../src/sources/finnhub/messages.ts';
import { createFinnhubSimulator, type FinnhubSimulator, type FinnhubSimulatorOptions } from '../../../src/sources/simulator/server.ts';
import { waitFor, within } from '../../support/wait.ts';
import { capturingLogger, RecordingSink } from './support.ts';

const SYMBOLS = ['AAPL', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT'];
const cleanups: Array<() => Promise<void>> = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await within(cleanup(), 5_000, 'cleanup');
});

async function simulator(options: FinnhubSimulatorOptions = {}): Promise<FinnhubSimulator> {
  const sim = await createFinnhubSimulator({ seed: 7, tradesPerSecond: 400, frameIntervalMs: 20, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

function feed(sim: FinnhubSimulator, options: Partial<FinnhubFeedOptions> = {}): FinnhubFeed {
  const created = new FinnhubFeed({
    apiKey: 'test-key',
    url: sim.url,
    symbols: SYMBOLS,
    source: 'simulator',
    backoffBaseMs: 10,
    backoffMaxMs: 100,
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

const key = (trade: Pick<Trade, 'symbol' | 'price' | 'size' | 'tsEvent'>) => `${trade.symbol}|${trade.price}|${trade.size}|${trade.tsEvent}`;

describe('FinnhubFeed against the simulator', () => {
  it('streams normalized trades for every subscribed symbol and closes with shutdown gaps', async () => {
    const sim = await simulator();
    const sink = new RecordingSink();
    const source = feed(sim);
    await source.start(sink);
    assert.equal(source.status().connected, true);
    await waitFor(() => SYMBOLS.every((symbol) => sink.trades().some((trade) => trade.symbol === symbol)), 'trades for every symbol');

    const trades = sink.trades();
    assert.ok(trades.every((trade) => trade.source === 'simulator' && SYMBOLS.includes(trade.symbol)));
    assert.ok(trades.filter((trade) => trade.symbol === 'OANDA:EUR_USD').every((trade) => trade.size === 0 && trade.price > 0.9 && trade.price < 1.4));
    assert.ok(trades.filter((trade) => trade.symbol === 'BINANCE:BTCUSDT').every((trade) => trade.conditions === null && !Number.isInteger(trade.size)));
    assert.ok(trades.filter((trade) => trade.symbol === 'AAPL').every((trade) => Number.isInteger(trade.size) && Array.isArray(trade.conditions)));
    assert.ok(trades.every((trade, i) => i === 0 || trade.seq > (trades[i - 1] as Trade).seq), 'seq strictly increases');
    const status = source.status();
    assert.equal(status.subscribed, 3);
    assert.equal(status.reconnects, 0);
    assert.equal(status.fatalError, null);
    assert.ok(status.records >= 3 && status.lastMessageAt !== null);
    assert.equal(sim.stats.connections, 1);
    assert.equal(sim.stats.subscriptions, 3);

    await within(Promise.all([source.close(), source.close()]), 3_000, 'close (twice)');
    await within(source.done, 1_000, 'done after close');
    assert.deepEqual(
      sink.gaps().map((gap) => [gap.symbol, gap.reason, gap.source]),
      SYMBOLS.map((symbol) => [symbol, 'shutdown', 'simulator']),
    );
    assert.equal(source.status().connected, false);
    await waitFor(() => sim.stats.connections === 0, 'the simulator to see the socket close');
  });

  it('after a dropped connection emits a gap per symbol, reconnects, resubscribes and streams again', async () => {
    const sim = await simulator();
    const sink = new RecordingSink();
    const source = feed(sim);
    await source.start(sink);
    await waitFor(() => sink.trades().length >= 5, 'first trades');

    sim.faults.dropConnections();
    await waitFor(() => sink.gaps().length === SYMBOLS.length, 'a gap per symbol');
    assert.deepEqual(sink.gaps().map((gap) => [gap.symbol, gap.reason]), SYMBOLS.map((symbol) => [symbol, 'disconnect']));
    const gapAt = sink.lastGapIndex('disconnect');
    await waitFor(() => SYMBOLS.every((symbol) => sink.tradesAfter(gapAt).some((trade) => trade.symbol === symbol)), 'trades for every symbol after the reconnect');
    assert.equal(source.status().reconnects, 1);
    assert.equal(source.status().connected, true);
    assert.equal(sim.stats.connections, 1, 'one socket per key');
    assert.equal(sim.stats.subscriptions, SYMBOLS.length);

    // An abrupt TCP cut is a disconnect too.
    sim.faults.dropConnections('terminate');
    await waitFor(() => sink.gaps().length === 2 * SYMBOLS.length, 'gaps after a cut connection');
    await waitFor(() => sink.tradesAfter(sink.lastGapIndex('disconnect')).length > 0, 'trades after the second reconnect');
  });

  it('treats a socket without any frame for staleAfterMs as dead, and reconnects', async () => {
    const sim = await simulator();
    const sink = new RecordingSink();
    const logs = capturingLogger();
    const source = feed(sim, { staleAfterMs: 200, logger: logs.logger });
    await source.start(sink);
    await waitFor(() => sink.trades().length >= 5, 'first trades');

    sim.faults.goSilent(500);
    await waitFor(() => sink.lastGapIndex('stale') >= 0, 'a stale gap');
    assert.deepEqual(
      sink.gaps().slice(0, SYMBOLS.length).map((gap) => [gap.symbol, gap.reason]),
      SYMBOLS.map((symbol) => [symbol, 'stale']),
    );
    assert.match(logs.text(), /socket is stale/);
    await waitFor(() => sink.tradesAfter(sink.lastGapIndex('stale')).length > 0, 'trades once the simulator talks again');
    assert.ok(source.status().reconnects >= 1);
  });

  it('counts pings as liveness: a subscribed symbol without trades does not look stale', async () => {
    const sim = await simulator({ pingIntervalMs: 40 });
    const sink = new RecordingSink();
    const source = feed(sim, { symbols: ['NOT:TRADING'], staleAfterMs: 150 });
    await source.start(sink);
    await waitFor(() => sim.stats.pingsSent >= 10, 'ten pings (well past staleAfterMs)');
    assert.equal(source.status().reconnects, 0);
    assert.equal(sink.received.length, 0);
    assert.ok(source.status().lastMessageAt !== null);
  });

  it('stops for good on HTTP 401 without retrying and without leaking the key', async () => {
    const secret = 'bad-KEY-s3cr3t-9f8e7d';
    const sim = await simulator({ tokens: ['the-good-token'] });
    const logs = capturingLogger();
    const sink = new RecordingSink();
    const source = feed(sim, { apiKey: secret, logger: logs.logger });
    await source.start(sink);

    const error = await within(
      source.done.then(
        () => assert.fail('done must reject'),
        (rejection: unknown) => rejection as Error & { code?: string; canRetry?: boolean },
      ),
      3_000,
      'done',
    );
    assert.equal(error.code, 'TICKFLOW_FEED_UNAUTHORIZED');
    assert.equal(error.canRetry, false);
    assert.match(error.message, /rejected the API key/);
    const status = source.status();
    assert.match(status.fatalError ?? '', /rejected the API key/);
    assert.equal(status.connected, false);
    assert.equal(status.reconnects, 0);

    // The backoff here is at most 100 ms: a retry would show well within 300 ms.
    await assert.rejects(waitFor(() => sim.stats.upgrades > 1, 'a second attempt', 300), /timed out/, 'no reconnect attempt after a 401');
    assert.equal(sim.stats.upgrades, 1);
    await within(source.close(), 1_000, 'close after a fatal error');

    const logged = logs.text();
    assert.match(logged, /token=\*\*\*/, 'the URL is logged redacted');
    assert.match(logged, /rejected the API key/);
    for (const text of [logged, error.message, status.fatalError ?? '', JSON.stringify(status)]) {
      assert.ok(!text.includes(secret) && !text.includes('s3cr3t'), 'the key never shows');
    }
  });

  it('warns with the subscribed count when the symbol cap is exceeded, and keeps streaming the rest', async () => {
    const sim = await simulator({ symbolLimit: 2 });
    const logs = capturingLogger();
    const sink = new RecordingSink();
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];
    const source = feed(sim, { symbols, logger: logs.logger });
    await source.start(sink);

    await waitFor(() => source.status().lastVenueError !== null, 'the venue error in the status');
    const status = source.status();
    assert.match(status.lastVenueError ?? '', /too many symbols.*4 symbols subscribed/);
    assert.equal(status.fatalError, null);
    const warning = logs.lines().find((line) => line.code === 'TICKFLOW_FEED_SYMBOL_LIMIT');
    assert.equal(warning?.level, 40, 'logged as a warning');
    assert.equal(warning?.subscribed, 4);
    assert.match(String(warning?.msg), /4 symbols subscribed/);

    const seen = sink.trades().length;
    await waitFor(() => sink.trades().length > seen + 10, 'trades keep flowing');
    assert.deepEqual(new Set(sink.trades().map((trade) => trade.symbol)), new Set(['AAPL', 'MSFT']));
    assert.equal(source.status().connected, true);
  });

  it('counts and dead-letters malformed frames without dropping the connection', async () => {
    const sim = await simulator();
    const sink = new RecordingSink();
    const source = feed(sim);
    await source.start(sink);
    await waitFor(() => sink.trades().length > 0, 'first trades');

    assert.equal(sim.faults.sendMalformed(4), 4);
    await waitFor(() => sink.letters.length === 4, 'four dead letters');
    assert.equal(source.status().rejects, 4);
    assert.deepEqual(
      sink.letters.map((letter) => letter.reason.replace(/,.*/, '')),
      ['unparseable JSON', 'unparseable JSON', 'unknown frame type "quote"', 'trade entry 0: price (p) must be a positive finite number'],
    );
    assert.ok(sink.letters.every((letter) => letter.origin === 'simulator'));
    const seen = sink.trades().length;
    await waitFor(() => sink.trades().length > seen, 'trades after the malformed frames');
    assert.equal(source.status().reconnects, 0);
  });

  it('pauses the socket while the sink is busy and loses nothing, in order', async () => {
    const sent: FinnhubTradeEntry[] = [];
    const sim = await simulator({
      tradesPerSecond: 2_000,
      tap: (frame) => {
        const parsed = JSON.parse(frame) as { type: string; data?: FinnhubTradeEntry[] };
        if (parsed.type === 'trade') sent.push(...(parsed.data ?? []));
      },
    });
    const sink = new RecordingSink();
    const source = feed(sim);
    await source.start(sink);
    await waitFor(() => sink.trades().length > 0, 'first trades');

    sink.hold();
    await waitFor(() => source.status().paused, 'the socket to pause');
    const framesAtHold = sim.stats.framesSent;
    await waitFor(() => sim.stats.framesSent >= framesAtHold + 10, 'the venue to send on');
    const heldAt = sink.trades().length;
    assert.ok(source.status().paused);
    assert.equal(source.status().connected, true);
    assert.equal(sink.trades().length, heldAt, 'nothing delivered while the sink is busy');

    sink.release();
    sim.faults.goSilent(60_000);
    await waitFor(() => sink.trades().length === sent.length, `all ${sent.length} sent trades delivered`);
    assert.deepEqual(sink.trades().map(key), sent.map((entry) => key({ symbol: entry.s, price: entry.p, size: entry.v, tsEvent: entry.t })));
    await waitFor(() => !source.status().paused, 'the socket to resume');
    assert.equal(source.status().reconnects, 0);
  });

  it('closes promptly while the sink is busy; the held records and shutdown gaps follow once it accepts', async () => {
    const sim = await simulator();
    const sink = new RecordingSink();
    const source = feed(sim, { closeTimeoutMs: 300 });
    await source.start(sink);
    await waitFor(() => sink.trades().length > 0, 'first trades');
    sink.hold();
    await waitFor(() => source.status().paused, 'the socket to pause');
    await within(source.close(), 1_000, 'close with a busy sink');
    await waitFor(() => sim.stats.connections === 0, 'the socket to close');
    sink.release();
    await waitFor(() => sink.gaps().length === SYMBOLS.length, 'shutdown gaps');
    assert.ok(sink.gaps().every((gap) => gap.reason === 'shutdown'));
    assert.equal(sink.received.at(-1)?.type, 'gap', 'gaps come after the last trade');
  });

  it('stops with the sink error when the sink fails', async () => {
    const sim = await simulator();
    const sink = new RecordingSink();
    const source = feed(sim);
    sink.failWith = new Error('bus closed');
    await source.start(sink);
    await assert.rejects(within(source.done, 3_000, 'done'), /bus closed/);
    assert.match(source.status().fatalError ?? '', /sink failed: bus closed/);
    await within(source.close(), 1_000, 'close');
  });

  it('closes promptly while it cannot connect', async () => {
    const sim = await simulator();
    const url = sim.url;
    await sim.close();
    const source = new FinnhubFeed({ apiKey: 'k', url, symbols: ['AAPL'], backoffBaseMs: 5_000, backoffMaxMs: 5_000 });
    await within(source.start(new RecordingSink()), 2_000, 'start');
    assert.equal(source.status().connected, false);
    await within(source.close(), 1_000, 'close during backoff');
    await within(source.done, 100, 'done');
  });

  it('resolves close() and done for a feed never started, and rejects bad options up front', async () => {
    const source = new FinnhubFeed({ apiKey: 'k', symbols: ['AAPL'] });
    await within(source.close(), 100, 'close');
    await within(source.done, 100, 'done');
    assert.throws(() => new FinnhubFeed({ apiKey: '', symbols: ['AAPL'] }), { code: 'TICKFLOW_CONFIG_INVALID' });
    assert.throws(() => new FinnhubFeed({ apiKey: 'k', url: 'https://x', symbols: [] }), /ws:\/\/ or wss:\/\//);
    assert.throws(() => new FinnhubFeed({ apiKey: 'k', symbols: [''] }), /non-empty/);
    assert.throws(() => new FinnhubFeed({ apiKey: 'k', symbols: [], staleAfterMs: -1 }), /staleAfterMs/);
    assert.equal(new FinnhubFeed({ apiKey: 'se cret', symbols: [] }).status().url, 'wss://ws.finnhub.io/?token=***');
  });
});
