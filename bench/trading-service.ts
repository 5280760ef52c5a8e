/**
 * The trading service's print path: prints/s through `applyPrints` (engine + one store transaction
 * per batch) on the embedded store and on PostgreSQL, with one account and 100 open orders on the
 * printed symbol (half of them filling partially along the tape); and the latency of those 100
 * submissions (engine + durable commit, no bus). Usage:
 *   node bench/trading-service.ts [pglite|postgres] [prints=20000] [batch=500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/clock.ts';
import { silentLogger } from '../src/logger.ts';
import type { BusRecord } from '../src/bus/bus.ts';
import { createStore } from '../src/store/create-store.ts';
import { TradingService } from '../src/trading/service/trading-service.ts';

const [kind = 'pglite', printsArg = '20000', batchArg = '500'] = process.argv.slice(2);
const prints = Number(printsArg);
const batchSize = Number(batchArg);
const START = Date.parse('2026-01-05T15:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'tickflow-trading-bench-'));
const schema = `tickflow_trading_bench_${process.pid}`;
const store = await createStore(kind === 'postgres' ? { databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', dataDir: dir, schema } : { dataDir: dir });
try {
  const service = await TradingService.open({
    store: store.trading,
    producer: { send: async () => {}, close: async () => {} },
    topics: { orders: 'orders', executions: 'executions' },
    symbols: ['SPY'],
    clock: new ManualClock(START),
    logger: silentLogger(),
  });
  const { accountId } = await service.createAccount({ startingCash: '10000000' });
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const sent = performance.now();
    const limit = i % 2 === 0 ? (450 - 0.01 * i).toFixed(2) : (440 - 0.01 * i).toFixed(2);
    const result = await service.submitOrder(accountId, {
      type: 'order-request', symbol: 'SPY', qty: '400', notional: null, side: 'buy', order_type: 'limit', time_in_force: 'gtc',
      limit_price: limit, stop_price: null, trail_price: null, trail_percent: null, extended_hours: false, client_order_id: `bench-${i}`,
    });
    if (!result.ok) throw new Error(result.message);
    latencies.push(performance.now() - sent);
  }
  latencies.sort((a, b) => a - b);
  const submitMs = { p50: Number(latencies[49]!.toFixed(2)), p99: Number(latencies[98]!.toFixed(2)) };
  const records: BusRecord[] = Array.from({ length: prints }, (_, offset) => {
    const tsEvent = START + 1_000 + offset * 10;
    const price = 449 + Math.sin(offset / 50);
    return { topic: 'raw', partition: 0, offset, key: 'SPY', value: { type: 'trade', source: 'bench', symbol: 'SPY', price, size: 100, conditions: null, tsEvent, tsRecv: tsEvent, seq: offset + 1 }, timestamp: tsEvent };
  });
  const started = performance.now();
  for (let at = 0; at < records.length; at += batchSize) await service.applyPrints(records.slice(at, at + batchSize));
  const seconds = (performance.now() - started) / 1000;
  const account = await service.account(accountId);
  console.log(JSON.stringify({ store: kind, prints, batchSize, seconds: Number(seconds.toFixed(2)), printsPerSecond: Math.round(prints / seconds), submitMs, openOrders: account?.open_orders, stats: service.stats() }));
} finally {
  if (kind === 'postgres') await (store as unknown as { driver: { query(text: string): Promise<unknown> } }).driver.query(`DROP SCHEMA ${schema} CASCADE`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
