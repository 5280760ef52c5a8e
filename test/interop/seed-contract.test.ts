/**
 * The seed contracts, read by a consumer that knows only them: tickflow runs on Kafka with the
 * signals topic renamed by configuration (`TICKFLOW_TOPIC_SIGNALS=trading_signals`), publishes price
 * events (a latest-price request answered by an Alpha Vantage-compatible server) and trading signals
 * (simulator → aggregator → signals), and kcat reads both topics. The checks are plain JSON checks
 * written from the documented contract, not tickflow's validators. Needs kcat; never skips.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { KAFKA_BROKERS, kafkaFixture, type KafkaFixture } from '../support/kafka.ts';
import { waitFor, within } from '../support/wait.ts';
import { BOOTSTRAP, kcat, requireKcat } from './tools.ts';

const ISO_8601_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FAST_STRATEGIES = JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 2, slow: 4, interval: '1s' }] });

let simulator: FinnhubSimulator | undefined;
let cli: RunningCli | undefined;
/** Names the topics and groups, and deletes them afterwards. */
let fixture: KafkaFixture | undefined;
after(async () => {
  cli?.child.kill('SIGKILL');
  await within(simulator?.close() ?? Promise.resolve(), 10_000, 'closing the simulator');
  await within(fixture?.close() ?? Promise.resolve(), 20_000, 'deleting the topics');
});
before(async () => {
  requireKcat();
  fixture = await kafkaFixture();
});

interface Consumed {
  readonly key: string | null;
  readonly value: Record<string, unknown>;
}

/** Every record of `topic` so far, as kcat's JSON envelope (-J) gives it. */
async function consume(topic: string): Promise<Consumed[]> {
  const { stdout } = await kcat(['-C', '-J', '-b', BOOTSTRAP, '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=10']);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { key: string | null; payload: string })
    .map((envelope) => ({ key: envelope.key, value: JSON.parse(envelope.payload) as Record<string, unknown> }));
}

it('price-events and trading_signals carry the documented fields, read by kcat', async () => {
  simulator = await createFinnhubSimulator({ tradesPerSecond: 200 });
  const prefix = `${fixture!.uniqueName('seed')}-`;
  const port = await freePort();
  cli = startCli(['up'], {
    TICKFLOW_BUS: 'kafka',
    KAFKA_BOOTSTRAP_SERVERS: KAFKA_BROKERS.join(','),
    TICKFLOW_TOPIC_PREFIX: prefix,
    TICKFLOW_TOPIC_SIGNALS: 'trading_signals',
    TICKFLOW_SIMULATOR_URL: simulator.url,
    QUOTE_PROVIDERS: 'alphavantage',
    ALPHAVANTAGE_API_KEY: 'interop-key',
    ALPHAVANTAGE_URL: `http://127.0.0.1:${simulator.port}`,
    TICKFLOW_SYMBOLS: 'AAPL,MSFT',
    TICKFLOW_STRATEGIES: FAST_STRATEGIES,
    TICKFLOW_PRICE_CACHE_MS: '0',
    TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-interop-')),
    TICKFLOW_LOG_LEVEL: 'warn',
    PORT: String(port),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, `tickflow ready (stderr: ${cli.stderr()})`, 90_000);

  const status = (await (await fetch(`${base}/status`)).json()) as { topics: Record<string, string> };
  assert.equal(status.topics.signals, `${prefix}trading_signals`);
  assert.equal(status.topics.priceEvents, `${prefix}price-events`);

  // GOOGL is not streamed: the Alpha Vantage-compatible server answers, and a price event is published.
  const latest = await fetch(`${base}/v1/prices/latest?symbol=GOOGL`);
  assert.equal(latest.status, 200, await latest.clone().text());
  const answered = (await latest.json()) as { price: number; source: string };
  assert.equal(answered.source, 'alpha_vantage');

  let prices: Consumed[] = [];
  await waitFor(async () => (prices = await consume(`${prefix}price-events`)).length >= 1, 'a record on price-events', 30_000);
  assert.equal(prices.length, 1);
  const [{ key, value: event }] = prices as [Consumed];
  assert.equal(key, 'GOOGL');
  assert.equal(event.symbol, 'GOOGL');
  assert.equal(typeof event.price, 'number');
  assert.equal(event.price, answered.price);
  assert.ok((event.price as number) > 0);
  assert.equal(typeof event.timestamp, 'string');
  assert.match(event.timestamp as string, ISO_8601_UTC);
  assert.ok(Number.isFinite(Date.parse(event.timestamp as string)));
  assert.ok(['finnhub', 'alpha_vantage'].includes(event.source as string), `source ${String(event.source)}`);
  assert.equal(event.source, 'alpha_vantage');
  assert.equal(typeof event.raw_response_id, 'string');
  assert.match(event.raw_response_id as string, UUID);
  const raw = await fetch(`${base}/v1/raw-responses/${event.raw_response_id as string}`);
  assert.equal(raw.status, 200, 'the raw_response_id names a stored provider response');
  assert.equal(((await raw.json()) as { provider: string }).provider, 'alpha_vantage');

  let signals: Consumed[] = [];
  await waitFor(async () => (signals = await consume(`${prefix}trading_signals`)).length >= 1, 'a record on trading_signals', 60_000);
  for (const { key: symbol, value: signal } of signals) {
    assert.equal(signal.type, 'signal');
    assert.ok(signal.symbol === 'AAPL' || signal.symbol === 'MSFT', `symbol ${String(signal.symbol)}`);
    assert.equal(symbol, signal.symbol, 'keyed by symbol');
    assert.equal(signal.strategy, 'ma-crossover');
    assert.ok(signal.side === 'buy' || signal.side === 'sell');
    assert.ok(typeof signal.strength === 'number' && signal.strength >= 0 && signal.strength <= 1);
    assert.ok(typeof signal.price === 'number' && signal.price > 0);
    assert.ok(Number.isInteger(signal.tsEvent));
  }
  const { stdout: metadata } = await kcat(['-L', '-J', '-b', BOOTSTRAP]);
  const topics = (JSON.parse(metadata) as { topics: Array<{ topic: string }> }).topics.map((topic) => topic.topic);
  assert.ok(topics.includes(`${prefix}trading_signals`));
  assert.ok(!topics.includes(`${prefix}trading-signals`), 'no topic under the default name');

  cli.child.kill('SIGINT');
  assert.equal(await within(cli.exited, 30_000, 'tickflow to stop'), 0, cli.stderr());
});
