import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { within } from '../support/wait.ts';
import { TEST_DATABASE_URL, uniqueSchema } from './postgres-support.ts';
import { tradingStoreContract } from './trading-store-contract.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-trading-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

tradingStoreContract('PGlite', async () => {
  const store = await openPgliteStore({ dir: join(root, 'pglite') });
  return { store: store.trading, close: () => within(store.close(), 10_000, 'closing the PGlite store') };
});

tradingStoreContract('PostgreSQL', async () => {
  const schema = await uniqueSchema('tickflow_trading_store');
  const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: schema.name });
  return {
    store: store.trading,
    async close() {
      await within(store.close(), 10_000, 'closing the PostgreSQL store');
      await schema.drop();
    },
  };
});
