import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Trade } from '../../src/model/trade.ts';
import type { WriteMode } from '../../src/store/batch-writer.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { postgresConnection } from '../../src/store/postgres-tls.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { BASELINE_TABLES, copyBatchesPg, type Baseline } from './baseline.ts';

export type PgScenario = `copy-${Baseline}` | `store-${WriteMode}`;

export interface PgRun {
  readonly seconds: number;
  readonly rows: number;
}

/**
 * One timed run on PostgreSQL in a fresh schema, dropped afterwards. Only the writes are timed
 * (not creating the schema or migrating). `inspect` sees a store scenario's store before the drop.
 */
export async function runPgScenario(url: string, scenario: PgScenario, batches: readonly (readonly Trade[])[], inspect?: (store: SqlStore) => Promise<void>): Promise<PgRun> {
  const schema = `tickflow_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client(postgresConnection(url));
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    // Every run starts from a clean checkpoint, not with the previous run's dirty pages to flush.
    await admin.query('CHECKPOINT').catch(() => {});
    const expected = batches.reduce((sum, batch) => sum + batch.length, 0);
    if (scenario === 'copy-plain' || scenario === 'copy-indexed') {
      const baseline = scenario === 'copy-plain' ? 'plain' : 'indexed';
      const table = `${baseline}_trades`;
      const client = new pg.Client({ ...postgresConnection(url), options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query(BASELINE_TABLES[baseline]);
        const start = performance.now();
        await copyBatchesPg(client, table, batches);
        const seconds = (performance.now() - start) / 1_000;
        await expectRows(client, table, expected);
        return { seconds, rows: expected };
      } finally {
        await client.end();
      }
    }
    const store = await openPostgresStore({ url, schema, writeMode: scenario === 'store-staging' ? 'staging' : 'optimistic' });
    try {
      const start = performance.now();
      for (const batch of batches) await store.write({ trades: batch });
      const seconds = (performance.now() - start) / 1_000;
      const { rows } = await store.driver.query<{ n: unknown }>('SELECT count(*) AS n FROM trades');
      if (Number(rows[0]!.n) !== expected) throw new Error(`${scenario}: ${rows[0]!.n} rows stored, ${expected} expected`);
      await inspect?.(store);
      return { seconds, rows: expected };
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

async function expectRows(client: pg.Client, table: string, expected: number): Promise<void> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  if (Number(rows[0]!.n) !== expected) throw new Error(`${table}: ${rows[0]!.n} rows, ${expected} expected`);
}

/** Writing batches that are already stored: what a redelivery costs on the optimistic path. */
export async function timeRedelivery(store: SqlStore, batches: readonly (readonly Trade[])[]): Promise<PgRun> {
  const start = performance.now();
  for (const batch of batches) {
    const result = await store.write({ trades: batch });
    if (result.trades !== 0) throw new Error('a redelivered batch stored rows');
  }
  return { seconds: (performance.now() - start) / 1_000, rows: batches.reduce((sum, batch) => sum + batch.length, 0) };
}
