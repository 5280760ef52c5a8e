import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStore } from '../../src/store/create-store.ts';
import { loadMigrations } from '../../src/store/migrate.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';
import { ManualClock } from '../../src/clock.ts';
import { within } from '../support/wait.ts';
import { alertRuleTimesFollow } from './alert-store-contract.ts';
import { TEST_DATABASE_URL, uniqueSchema } from './postgres-support.ts';
import { stagingRecoversFromFailure, storeContract, trade } from './store-contract.ts';

for (const writeMode of ['optimistic', 'staging'] as const) {
  storeContract(`PostgreSQL (${writeMode} writes)`, async () => {
    const schema = await uniqueSchema(`tickflow_store_${writeMode}`);
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.name, writeMode });
    return {
      store,
      async close() {
        await within(store.close(), 10_000, 'closing the PostgreSQL store');
        await schema.drop();
      },
    };
  });
}

describe('PostgreSQL store', () => {
  let schema: Awaited<ReturnType<typeof uniqueSchema>>;
  before(async () => {
    schema = await uniqueSchema('tickflow_store_start');
  });
  after(() => schema?.drop());

  it('migrates once when two processes start at the same time', async () => {
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.name, poolSize: 2 })),
    );
    try {
      const { rows } = await stores[0]!.driver.query<{ n: unknown }>('SELECT count(*) AS n FROM tickflow_migrations');
      assert.equal(Number(rows[0]!.n), loadMigrations().length);
      await Promise.all(stores.map((store, i) => store.write({ trades: [trade({ symbol: `RACE${i}` })] })));
      assert.equal((await stores[3]!.symbols()).length, 4);
    } finally {
      await Promise.all(stores.map((store) => within(store.close(), 10_000, 'closing')));
    }
  });

  it('counts concurrent writers of one symbol exactly, duplicates included', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.name }))) as [SqlStore, SqlStore];
    try {
      const trades = Array.from({ length: 400 }, (_, i) => trade({ symbol: 'SHARED', price: i + 1, tsEvent: 1_000 + i }));
      // Overlapping halves from two writers at once, as after a rebalance: every trade once.
      await Promise.all([
        (async () => { for (let i = 0; i < 300; i += 50) await a.write({ trades: trades.slice(i, i + 50) }); })(),
        (async () => { for (let i = 100; i < 400; i += 50) await b.write({ trades: trades.slice(i, i + 50) }); })(),
      ]);
      const summary = (await a.symbols()).find((s) => s.symbol === 'SHARED');
      assert.deepEqual({ count: summary?.tradeCount, price: summary?.lastPrice }, { count: 400, price: 400 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('stamps alert rules with the clock it was created with', async () => {
    const clock = new ManualClock();
    const store = await createStore({ databaseUrl: TEST_DATABASE_URL, schema: schema.name, dataDir: '/nonexistent', clock });
    try {
      await alertRuleTimesFollow(store, clock);
    } finally {
      await store.close();
    }
  });

  it('stages again after a staged write failed on a fresh connection', async () => {
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.name, poolSize: 1 });
    try {
      await stagingRecoversFromFailure(store);
    } finally {
      await store.close();
    }
  });

  it('is what createStore opens when DATABASE_URL is set', async () => {
    const store = await createStore({ databaseUrl: TEST_DATABASE_URL, dataDir: '/nonexistent', schema: schema.name });
    assert.equal(store.kind, 'postgres');
    await store.close();
    await store.close();
    await assert.rejects(store.symbols(), { code: STORE_ERROR_CODES.CLOSED });
  });

  it('fails with a clear, retryable error when PostgreSQL is unreachable, without the password', async () => {
    await assert.rejects(openPostgresStore({ url: 'postgres://postgres:secret@127.0.0.1:1/test', connectTimeoutMs: 2_000 }), (error: Error & { code?: string; canRetry?: boolean }) => {
      assert.equal(error.code, STORE_ERROR_CODES.UNAVAILABLE);
      assert.equal(error.canRetry, true);
      assert.match(error.message, /cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: ECONNREFUSED/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  });
});
