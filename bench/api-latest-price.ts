/**
 * The latest-price route under load, side by side in one run with the cheapest route (/healthz) as
 * the yardstick: autocannon on loopback against an API process over a real store (the embedded
 * PGlite, or PostgreSQL with DATABASE_URL), as `tickflow run api` serves it.
 *
 *   node bench/api-latest-price.ts [--seconds 10] [--connections 50]
 *
 * Scenarios: `/healthz`; `/v1/prices/latest` answered from the store's latest-price table (the
 * stream is fresh, an indexed lookup per request); the same for a symbol only a REST provider
 * knows, answered from the provider cache (the simulator's Finnhub /quote behind it).
 * The per-client rate limit is off here: it would answer 429 after 60 requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildApp } from '../src/api/app.ts';
import { MemoryBus } from '../src/bus/memory/memory-bus.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Trade } from '../src/model/trade.ts';
import { createApiServices } from '../src/cli/compose/api-services.ts';
import { silentLogger } from '../src/logger.ts';
import { createFinnhubSimulator } from '../src/sources/simulator/server.ts';
import { createStore } from '../src/store/create-store.ts';
import { topicNames } from '../src/topics.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } } });
const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-bench-api-'));
const config = loadConfig({ ...process.env, TICKFLOW_DATA_DIR: dataDir, TICKFLOW_PRICE_FRESH_MS: '3600000', TICKFLOW_PRICE_CACHE_MS: '3600000', TICKFLOW_API_RATE_LIMIT: '0' });
const store = await createStore({ databaseUrl: config.databaseUrl, dataDir });
const now = Date.now();
const trades: Trade[] = Array.from({ length: 10_000 }, (_, i) => ({ type: 'trade', source: 'bench', symbol: i % 2 ? 'AAPL' : 'MSFT', price: 190 + (i % 100) / 100, size: 10, conditions: null, tsEvent: now - 10_000 + i, tsRecv: now - 10_000 + i, seq: i }));
await store.write({ trades });
const simulator = await createFinnhubSimulator({ tradesPerSecond: 1, restCallsPerSecond: 1_000, restCallsPerMinute: 100_000 });
const bus = new MemoryBus();
const api = createApiServices({ config, bus, topics: topicNames(config.topicPrefix, config.topicOverrides), store, pipeline: null, simulator, logger: silentLogger() });
const app = await buildApp({ status: async () => ({ startedAt: now, bus: 'memory', source: null, trades: 0, quotes: 0, gaps: 0, deadLetters: 0, symbols: [], consumers: [] }), api, rateLimitPerMinute: 0 });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const scenarios = [
  ['/healthz (yardstick)', '/healthz'],
  ['/v1/prices/latest, from the store', '/v1/prices/latest?symbol=AAPL'],
  ['/v1/prices/latest, provider answer cached', '/v1/prices/latest?symbol=GOOGL'],
] as const;
const rows: string[] = [];
let yardstick = 0;
for (const [name, path] of scenarios) {
  const warm = await fetch(base + path);
  if (!warm.ok) throw new Error(`${path}: ${warm.status} ${await warm.text()}`);
  const result = await autocannon({ url: base + path, connections: Number(values.connections), duration: Number(values.seconds) });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  yardstick ||= result.requests.average;
  rows.push(`| ${name} | ${Math.round(result.requests.average).toLocaleString('en-US')} | ${(result.requests.average / yardstick).toFixed(2)}× | ${result.latency.p50} ms | ${result.latency.p99} ms |`);
}
await app.close();
await api.close();
await simulator.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(`${store.kind} store, ${values.connections} connections, ${values.seconds} s each\n`);
console.log('| route | requests/s | vs /healthz | p50 | p99 |\n|---|---|---|---|---|\n' + rows.join('\n'));
