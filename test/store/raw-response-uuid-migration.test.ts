import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, it } from 'node:test';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { PgliteDriver } from '../../src/store/pglite-store.ts';
import { PostgresDriver } from '../../src/store/postgres-store.ts';
import type { SqlDriver } from '../../src/store/sql-driver.ts';
import { SqlStore } from '../../src/store/sql-store.ts';
import { TEST_DATABASE_URL, uniqueSchema } from './postgres-support.ts';

/** A database at the last migration before raw responses had UUIDs, with one stored response, upgraded. */
async function upgradesRawResponses(driver: SqlDriver): Promise<void> {
  const all = loadMigrations();
  await migrate(driver, all.filter((migration) => migration.version < 7));
  await driver.query(`INSERT INTO raw_responses (provider, symbol, status, body, fetched_at) VALUES ('alphavantage', 'IBM', 200, '{"Global Quote":{}}', 1710930600000)`);
  const { rows: before } = await driver.query<{ id: unknown }>('SELECT id FROM raw_responses');
  const legacyId = String(before[0]!.id);

  assert.deepEqual((await migrate(driver, all)).applied, all.filter((migration) => migration.version >= 7).map((migration) => migration.version));
  const store = new SqlStore(driver);
  const found = await store.rawResponse(legacyId);
  assert.ok(found, 'the row written before is found by its numeric id');
  assert.match(found.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(await store.rawResponse(found.id), found, 'and by the UUID the migration gave it');
  const fresh = await store.insertRawResponse({ provider: 'finnhub', symbol: 'AAPL', status: 200, body: '{}', fetchedAt: 1 });
  assert.equal((await store.rawResponse(fresh))?.symbol, 'AAPL');
}

describe('migration 007: raw responses get UUIDs', () => {
  it('on PGlite', async () => {
    const driver = new PgliteDriver(await PGlite.create());
    try {
      await upgradesRawResponses(driver);
    } finally {
      await driver.close();
    }
  });

  it('on PostgreSQL', async () => {
    const schema = await uniqueSchema('raw_uuid');
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, options: `-c search_path=${schema.name}` });
    const driver = new PostgresDriver(pool, 'test');
    try {
      await driver.query(`CREATE SCHEMA ${schema.name}`);
      await upgradesRawResponses(driver);
    } finally {
      await driver.close();
      await schema.drop();
    }
  });
});
