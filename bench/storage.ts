/**
 * Storage throughput on PostgreSQL, side by side in one run: trades written through the store's
 * idempotent batch write (`Store.write`, as the storage processor does) against a bare COPY of the
 * same rows, encoded by the same code, into a plain table (no keys, no conflict handling). A
 * diagnostic baseline COPYs into a table with the trades table's primary key and index, to tell
 * what idempotence costs from what the indexes cost; the `staging` row is the other write mode.
 * The scenarios take turns for several rounds, the order flipping each round, each in a fresh
 * schema dropped afterwards: the machine is shared, so trust the ratio more than the rates.
 * Then, on the last round's store: the reads the API makes (latest price from the latest-price
 * table against a DISTINCT ON scan), a redelivery of already stored batches, and PGlite's rate (in
 * child processes, so its peak memory is its own).
 *
 *   node bench/storage.ts [--rows 500000] [--batch 1000] [--symbols 20] [--rounds 3]
 *     [--redeliver 100000] [--no-pglite]
 *
 * PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { postgresConnection } from '../src/store/postgres-tls.ts';
import type { SqlStore } from '../src/store/sql-store.ts';
import type { PgliteResult, PgliteScenario } from './storage/pglite-child.ts';
import { runPgScenario, timeRedelivery, type PgRun, type PgScenario } from './storage/pg-scenarios.ts';
import { timeReads, type ReadTimings } from './storage/reads.ts';
import { batches, syntheticTrades } from './storage/trades.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '500000' },
    batch: { type: 'string', default: '1000' },
    symbols: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    redeliver: { type: 'string', default: '100000' },
    'no-pglite': { type: 'boolean', default: false },
  },
});
const positive = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer (got ${values[name]})`);
  return value;
};
const rows = positive('rows');
const batchSize = positive('batch');
const symbolCount = positive('symbols');
const rounds = positive('rounds');
const redeliverRows = Math.min(positive('redeliver'), rows);
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const SCENARIOS: readonly PgScenario[] = ['copy-plain', 'store-optimistic', 'copy-indexed', 'store-staging'];
const LABELS: Record<PgScenario, string> = {
  'copy-plain': 'bare COPY into a plain table (no keys, no conflict handling)',
  'store-optimistic': '**tickflow `Store.write`** (optimistic: COPY into `trades` + latest-price upsert, one transaction per batch)',
  'copy-indexed': '(diagnostic) bare COPY into a table with `trades`\' primary key and index',
  'store-staging': '(diagnostic) `Store.write` in staging mode (COPY into a temp table, INSERT … ON CONFLICT DO NOTHING)',
};

const trades = syntheticTrades(rows, symbolCount);
const tradeBatches = batches(trades, batchSize);
const runs = new Map<PgScenario, PgRun[]>(SCENARIOS.map((scenario) => [scenario, []]));
let reads: ReadTimings | undefined;
let redelivery: PgRun | undefined;

const version = await serverVersion();
console.error(`PostgreSQL ${version}; ${rows} trades in batches of ${batchSize}, ${symbolCount} symbols, ${rounds} rounds`);
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? SCENARIOS : [...SCENARIOS].reverse();
  for (const scenario of order) {
    const last = round === rounds - 1 && scenario === 'store-optimistic';
    const inspect = last
      ? async (store: SqlStore) => {
          reads = await timeReads(store);
          redelivery = await timeRedelivery(store, tradeBatches.slice(0, Math.ceil(redeliverRows / batchSize)));
        }
      : undefined;
    const run = await runPgScenario(url, scenario, tradeBatches, inspect);
    runs.get(scenario)!.push(run);
    console.error(`round ${round + 1} ${scenario}: ${Math.round(run.rows / run.seconds).toLocaleString('en-US')} rows/s`);
  }
}

const pglite: PgliteResult[] = [];
if (!values['no-pglite']) {
  const child = fileURLToPath(new URL('./storage/pglite-child.ts', import.meta.url));
  for (const scenario of ['copy-plain', 'copy-indexed', 'store'] as PgliteScenario[]) {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-bench-pglite-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [child, scenario, String(rows), String(batchSize), String(symbolCount), dir], { maxBuffer: 1 << 20 });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as PgliteResult;
      pglite.push(result);
      console.error(`PGlite ${scenario}: ${Math.round(result.rows / result.seconds).toLocaleString('en-US')} rows/s, peak RSS ${result.peakRssMb} MB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

report();

function report(): void {
  const rate = (run: PgRun) => run.rows / run.seconds;
  const plain = runs.get('copy-plain')!;
  const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
  const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));
  console.log(`\n### Results (${new Date().toISOString().slice(0, 10)}, ${rounds} rounds, ${cpus().length} cores, Node ${process.versions.node}, PostgreSQL ${version})\n`);
  console.log(`${rows.toLocaleString('en-US')} synthetic trades in batches of ${batchSize.toLocaleString('en-US')}, ${symbolCount} symbols.\n`);
  const indexed = runs.get('copy-indexed')!;
  console.log('| store | path | rows/s (median) | × bare COPY, plain table | × bare COPY, same keys | range of rows/s |');
  console.log('|---|---|--:|--:|--:|---|');
  // Ratios are taken within each round (the runs that took turns), then their median.
  const ratio = (scenario: PgScenario, base: readonly PgRun[]) => median(runs.get(scenario)!.map((run, i) => rate(run) / rate(base[i]!))).toFixed(2);
  for (const scenario of SCENARIOS) {
    const rates = runs.get(scenario)!.map(rate);
    console.log(`| PostgreSQL | ${LABELS[scenario]} | ${fmt(median(rates))} | ${ratio(scenario, plain)} | ${ratio(scenario, indexed)} | ${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))} |`);
  }
  if (redelivery) console.log(`| PostgreSQL | (diagnostic) \`Store.write\` of ${fmt(redelivery.rows)} trades already stored (a redelivery: optimistic COPY fails, batch redone via staging) | ${fmt(rate(redelivery))} | | | one run |`);
  const pglitePlain = pglite.find((r) => r.scenario === 'copy-plain');
  const pgliteIndexed = pglite.find((r) => r.scenario === 'copy-indexed');
  const pgliteLabels: Record<PgliteScenario, string> = {
    'copy-plain': 'bare COPY into a plain table',
    'copy-indexed': '(diagnostic) bare COPY into a table with `trades`\' primary key and index',
    store: '**`Store.write`**',
  };
  const times = (result: PgliteResult, base: PgliteResult | undefined) => (base ? (result.rows / result.seconds / (base.rows / base.seconds)).toFixed(2) : '');
  for (const result of pglite) {
    console.log(`| PGlite (file-backed) | ${pgliteLabels[result.scenario]}; peak RSS ${result.peakRssMb} MB | ${fmt(result.rows / result.seconds)} | ${times(result, pglitePlain)} | ${times(result, pgliteIndexed)} | one run |`);
  }
  const storeReads = pglite.find((r) => r.reads)?.reads;
  if (reads) {
    console.log(`\nReads at ${rows.toLocaleString('en-US')} trades (median ms; the latest-price table checked against the scan first):\n`);
    console.log('| read | PostgreSQL ms | PGlite ms |');
    console.log('|---|--:|--:|');
    const rowsOf: Array<[keyof ReadTimings, string]> = [
      ['latestPrice', '`latestPrice(symbol)`: latest-price table, primary key'],
      ['symbols', `\`symbols()\`: all ${symbolCount} symbols with last price, time, trade count`],
      ['distinctOn', '`DISTINCT ON (symbol)` over `trades` (the scan it replaces)'],
      ['indexedLatest', 'one symbol\'s latest from the `trades` index (`ORDER BY … DESC LIMIT 1`)'],
      ['tradesPage', '`trades({ symbol, limit: 100 })`, first page and from a deep cursor'],
    ];
    for (const [key, label] of rowsOf) console.log(`| ${label} | ${ms(reads[key])} | ${storeReads ? ms(storeReads[key]) : ''} |`);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function serverVersion(): Promise<string> {
  const client = new pg.Client(postgresConnection(url));
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is unreachable at ${url}: start it (pg_ctlcluster 15 main start) or set DATABASE_URL`, { cause: error });
  }
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version.split(' ')[0]!;
  } finally {
    await client.end();
  }
}
