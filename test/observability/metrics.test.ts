import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Registry } from 'prom-client';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { DeadLetter } from '../../src/model/dead-letter.ts';
import { TickflowMetrics } from '../../src/observability/metrics.ts';
import { ManualClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/logger.ts';
import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';
import { assemble } from '../../src/cli/compose/assemble.ts';
import type { Source, SourceSink, SourceStatus } from '../../src/sources/source.ts';
import { trade } from '../processors/trade-factory.ts';
import { assertExposition } from './exposition.ts';

const NO_FILE = '/nonexistent/.env';
const HOPS = ['tickflow_exchange_to_receive_seconds', 'tickflow_receive_to_bus_seconds', 'tickflow_bus_to_consumer_seconds', 'tickflow_exchange_to_processed_seconds'];

const idleStatus = async (): Promise<PipelineStatus> => ({ startedAt: 0, bus: 'memory', source: null, trades: 0, quotes: 0, gaps: 0, deadLetters: 0, symbols: [], consumers: [] });

async function values(registry: Registry, name: string): Promise<Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>> {
  const metric = registry.getSingleMetric(name);
  assert.ok(metric, `${name} registered`);
  return (await metric.get()).values as Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
}

async function value(registry: Registry, name: string, labels: Record<string, string>, metricName = name): Promise<number | undefined> {
  return (await values(registry, name)).find(
    (sample) => (sample.metricName ?? name) === metricName && Object.entries(labels).every(([key, wanted]) => String(sample.labels[key]) === wanted),
  )?.value;
}

class FakeSource implements Source {
  readonly name = 'fake';
  readonly done = new Promise<void>(() => {});
  sink: SourceSink | null = null;
  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
  }
  status(): SourceStatus {
    return { name: 'fake', connected: true, reconnects: 2, rejects: 1, records: 25, lastMessageAt: null, fatalError: null };
  }
  async close(): Promise<void> {}
}

describe('metrics', () => {
  it('GET /metrics serves the registry in the Prometheus text format', async () => {
    const metrics = new TickflowMetrics();
    const app = await buildApp({ status: idleStatus, metrics: metrics.registry });
    try {
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /^text\/plain; version=0\.0\.4; charset=utf-8$/);
      assertExposition(response.body);
      for (const name of [
        ...HOPS,
        'tickflow_exchange_to_client_seconds',
        'tickflow_records_published_total',
        'tickflow_records_consumed_total',
        'tickflow_consumer_lag_records',
        'tickflow_feed_connected',
        'tickflow_feed_reconnects_total',
        'tickflow_feed_frames_rejected_total',
        'tickflow_dead_letters_total',
        'tickflow_process_cpu_seconds_total',
        'tickflow_process_resident_memory_bytes',
        'tickflow_nodejs_eventloop_lag_seconds',
      ]) {
        assert.match(response.body, new RegExp(`^# TYPE ${name} `, 'm'), name);
      }
    } finally {
      await app.close();
    }
  });

  it("shows the notification service's overload backlog and shed trades", async () => {
    const metrics = new TickflowMetrics({ defaultMetrics: false });
    const stats = { notificationClients: 0, streamClients: 3, delivered: 10, dropped: 4, conflated: 0, slowClosed: 0, unreadClosed: 0, rateClosed: 0 };
    let overload = { backlog: 7, shedTrades: 3 };
    metrics.watchClients(() => stats, () => overload);
    let text = await metrics.text();
    assert.match(text, /^tickflow_ws_backlog_records 7$/m);
    assert.match(text, /^tickflow_ws_trades_shed_total 3$/m);
    overload = { backlog: 0, shedTrades: 5 };
    text = await metrics.text();
    assert.match(text, /^tickflow_ws_backlog_records 0$/m);
    assert.match(text, /^tickflow_ws_trades_shed_total 5$/m);
  });

  it('serves no /metrics without a registry', async () => {
    const app = await buildApp({ status: idleStatus });
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
    await app.close();
  });

  it('keeps registries apart', async () => {
    const a = new TickflowMetrics({ defaultMetrics: false });
    const b = new TickflowMetrics({ defaultMetrics: false });
    a.ingest().published('raw', [trade({ price: 1 })]);
    assert.equal(await value(a.registry, 'tickflow_records_published_total', { topic: 'raw' }), 1);
    assert.equal(await value(b.registry, 'tickflow_records_published_total', { topic: 'raw' }), undefined);
  });

  it('counts and times the trades a memory-bus pipeline carries, per hop', async () => {
    const now = Date.now();
    // Wall clock frozen for the metrics: every hop's latency is what the two clocks say.
    const metrics = new TickflowMetrics({ now: () => now, defaultMetrics: false });
    const config = loadConfig({ TICKFLOW_PARTITIONS: '2' }, NO_FILE);
    const source = new FakeSource();
    const assembly = await assemble({ config, logger: silentLogger(), bus: 'memory', source, processors: ['aggregator'], http: null, clock: new ManualClock(now), metrics, drainMs: 1_000 });
    const { pipeline } = assembly;
    await assembly.start();
    try {
      // tsEvent 3 s before tsRecv, tsRecv 30 ms before the (frozen) publish and consume time.
      const trades = Array.from({ length: 25 }, (_, i) => trade({ symbol: ['AAA', 'BBB', 'CCC'][i % 3]!, price: 100 + i, tsEvent: now - 3_030, tsRecv: now - 30 }));
      await source.sink!.records(trades.slice(0, 10));
      await source.sink!.records(trades.slice(10));
      const letter: DeadLetter = { type: 'dead-letter', origin: 'fake', reason: 'bad frame', raw: '{', tsRecv: now };
      await source.sink!.deadLetter(letter);
      assert.ok(await pipeline.drain(5_000), 'drained');
      const { raw, deadLetter } = pipeline.topics;
      const { registry } = metrics;

      assert.equal(await value(registry, 'tickflow_records_published_total', { topic: raw }), 25);
      assert.equal(await value(registry, 'tickflow_records_published_total', { topic: deadLetter }), 1);
      assert.equal(await value(registry, 'tickflow_dead_letters_total', { origin: 'fake' }), 1);
      assert.equal(await value(registry, 'tickflow_records_consumed_total', { topic: raw, processor: 'aggregator' }), 25);

      const bucket = (name: string, le: string, labels: Record<string, string> = {}) => value(registry, name, { ...labels, le }, `${name}_bucket`);
      const count = (name: string, labels: Record<string, string> = {}) => value(registry, name, labels, `${name}_count`);
      // exchange → receive: 3.0 s, above the 2.5 s bucket, within 5 s.
      assert.equal(await count('tickflow_exchange_to_receive_seconds'), 25);
      assert.equal(await bucket('tickflow_exchange_to_receive_seconds', '2.5'), 0);
      assert.equal(await bucket('tickflow_exchange_to_receive_seconds', '5'), 25);
      // receive → bus: 30 ms, above 25 ms, within 50 ms.
      assert.equal(await count('tickflow_receive_to_bus_seconds'), 25);
      assert.equal(await bucket('tickflow_receive_to_bus_seconds', '0.025'), 0);
      assert.equal(await bucket('tickflow_receive_to_bus_seconds', '0.05'), 25);
      // bus → consumer: the record timestamp is tsRecv (the sink stamps it so), 30 ms before.
      const aggregator = { processor: 'aggregator' };
      assert.equal(await count('tickflow_bus_to_consumer_seconds', aggregator), 25);
      assert.equal(await bucket('tickflow_bus_to_consumer_seconds', '0.025', aggregator), 0);
      assert.equal(await bucket('tickflow_bus_to_consumer_seconds', '0.05', aggregator), 25);
      // exchange → processed: 3.03 s.
      assert.equal(await count('tickflow_exchange_to_processed_seconds', aggregator), 25);
      assert.equal(await bucket('tickflow_exchange_to_processed_seconds', '2.5', aggregator), 0);
      assert.equal(await bucket('tickflow_exchange_to_processed_seconds', '5', aggregator), 25);

      // Read on scrape from the runners and the source.
      assert.equal(await value(registry, 'tickflow_consumer_lag_records', { processor: 'aggregator', topic: raw }), 0);
      assert.equal(await value(registry, 'tickflow_feed_connected', { source: 'fake' }), 1);
      assert.equal(await value(registry, 'tickflow_feed_reconnects_total', { source: 'fake' }), 2);
      assert.equal(await value(registry, 'tickflow_feed_frames_rejected_total', { source: 'fake' }), 1);
      assertExposition(await metrics.text());
    } finally {
      await assembly.stop();
    }
  });

  it('records a clock running behind as 0 s and counts it as skew', async () => {
    const metrics = new TickflowMetrics({ now: () => 1_000_000, defaultMetrics: false });
    metrics.ingest().published('raw', [trade({ price: 1, tsEvent: 1_000_500, tsRecv: 1_000_000 })]);
    const { registry } = metrics;
    assert.equal(await value(registry, 'tickflow_clock_skew_total', { hop: 'exchange_to_receive' }), 1);
    assert.equal(await value(registry, 'tickflow_exchange_to_receive_seconds', { le: '0.001' }, 'tickflow_exchange_to_receive_seconds_bucket'), 1);
  });

  it('has a hook for the WebSocket client hop', async () => {
    const metrics = new TickflowMetrics({ now: () => 10_000, defaultMetrics: false });
    metrics.clientDelivered({ tsEvent: 9_900 }, 'trades');
    const { registry } = metrics;
    const labels = { channel: 'trades' };
    assert.equal(await value(registry, 'tickflow_exchange_to_client_seconds', { ...labels, le: '0.05' }, 'tickflow_exchange_to_client_seconds_bucket'), 0);
    assert.equal(await value(registry, 'tickflow_exchange_to_client_seconds', { ...labels, le: '0.1' }, 'tickflow_exchange_to_client_seconds_bucket'), 1);
  });
});
