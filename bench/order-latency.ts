/**
 * Order submission latency through the paper-trading API, as a bot sees it: `POST /v2/orders` over
 * HTTP on a running `tickflow up`, answered once the order is durable. Two set-ups, each its own
 * process, in turns:
 *
 *   embedded   in-process bus, the embedded store (PGlite)
 *   kafka      Kafka bus (the local broker) and PostgreSQL (a fresh database)
 *
 * Each round places limit buys far under the market on BINANCE:BTCUSDT (they rest; the simulator
 * trades it at any hour), one at a time, then the same number with 8 in flight; `GET /v2/account`
 * (authenticated, no write) is timed alongside as the HTTP baseline of the same process.
 *
 *   node bench/order-latency.ts [--orders 300] [--rounds 3] [--setups embedded,kafka] [--sim-rate N]
 *
 * `--sim-rate`: trades per second the built-in simulator sends meanwhile (`TICKFLOW_SIM_RATE`; its
 * default when not given): every commit of the trading service also carries what the tape changed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freshDatabase } from '../test/support/database.ts';
import { freePort } from './free-port.ts';
import { startUp } from './tickflow-up.ts';

const SYMBOL = 'BINANCE:BTCUSDT';
const WARM_UP = 20;
const IN_FLIGHT = 8;

const { values } = parseArgs({
  options: { orders: { type: 'string', default: '300' }, rounds: { type: 'string', default: '3' }, setups: { type: 'string', default: 'embedded,kafka' }, 'sim-rate': { type: 'string' } },
});
const ORDERS = Number(values.orders);
const simRate = values['sim-rate'];
if (simRate !== undefined && !(Number(simRate) > 0)) throw new Error(`--sim-rate must be a number of trades per second, not ${simRate}`);
const setups = values.setups.split(',') as Array<'embedded' | 'kafka'>;

interface Keys {
  readonly APCA_API_KEY_ID: string;
  readonly APCA_API_SECRET_KEY: string;
}

interface Round {
  readonly setup: string;
  readonly submit: number[];
  readonly account: number[];
  readonly concurrentPerSecond: number;
}

async function timed(call: () => Promise<Response>, expected: number): Promise<number> {
  const started = performance.now();
  const response = await call();
  const body = await response.text();
  if (response.status !== expected) throw new Error(`HTTP ${response.status}: ${body}`);
  return performance.now() - started;
}

async function measure(setup: 'embedded' | 'kafka'): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-order-bench-'));
  const port = await freePort();
  const db = setup === 'kafka' ? await freshDatabase() : null;
  const env: Record<string, string> = {
    TICKFLOW_DATA_DIR: dataDir,
    TICKFLOW_LOG_LEVEL: 'warn',
    ...(simRate ? { TICKFLOW_SIM_RATE: simRate } : {}),
    ...(db ? { TICKFLOW_BUS: 'kafka', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', TICKFLOW_TOPIC_PREFIX: `bench-${randomBytes(3).toString('hex')}-`, DATABASE_URL: db.url } : {}),
  };
  const up = await startUp(['up'], port, env).catch(async (error: unknown) => {
    await db?.drop();
    throw error;
  });
  const { base } = up;
  try {
    const keys = JSON.parse(readFileSync(join(dataDir, 'paper-account.json'), 'utf8')) as Keys;
    const headers = { 'APCA-API-KEY-ID': keys.APCA_API_KEY_ID, 'APCA-API-SECRET-KEY': keys.APCA_API_SECRET_KEY, 'content-type': 'application/json' };
    let n = 0;
    const order = () =>
      fetch(`${base}/v2/orders`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ symbol: SYMBOL, qty: '0.001', side: 'buy', type: 'limit', time_in_force: 'gtc', limit_price: (1000 + (n++ % 100) / 100).toFixed(2) }),
      });
    const account = () => fetch(`${base}/v2/account`, { headers });
    for (let i = 0; i < WARM_UP; i++) {
      await timed(order, 200);
      await timed(account, 200);
    }
    const submit: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      submit.push(await timed(order, 200));
      reads.push(await timed(account, 200));
    }
    const started = performance.now();
    let left = ORDERS;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (left-- > 0) await timed(order, 200);
    }));
    const concurrentPerSecond = ORDERS / ((performance.now() - started) / 1000);
    return { setup, submit, account: reads, concurrentPerSecond };
  } finally {
    await up.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const median = (numbers: number[]) => numbers.sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

const rounds: Round[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const setup of setups) {
    const result = await measure(setup);
    rounds.push(result);
    const sorted = [...result.submit].sort((a, b) => a - b);
    process.stderr.write(`round ${round} ${setup}: submit p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ${Math.round(result.concurrentPerSecond)} orders/s with ${IN_FLIGHT} in flight\n`);
  }
}

console.log(`| set-up | POST /v2/orders p50 | p99 | GET /v2/account p50 | p99 | orders/s, ${IN_FLIGHT} in flight |`);
console.log('|---|---|---|---|---|---|');
for (const setup of setups) {
  const mine = rounds.filter((round) => round.setup === setup);
  const stat = (pick: (round: Round) => number[], p: number) => median(mine.map((round) => percentile([...pick(round)].sort((a, b) => a - b), p))).toFixed(1);
  console.log(`| ${setup} | ${stat((r) => r.submit, 50)} ms | ${stat((r) => r.submit, 99)} ms | ${stat((r) => r.account, 50)} ms | ${stat((r) => r.account, 99)} ms | ${Math.round(median(mine.map((r) => r.concurrentPerSecond)))} |`);
}
