import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createStore } from '../../src/store/create-store.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';
import { ManualClock } from '../../src/clock.ts';
import { within } from '../support/wait.ts';
import { alertRuleTimesFollow } from './alert-store-contract.ts';
import { stagingRecoversFromFailure, storeContract, trade } from './store-contract.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-pglite-'));
after(() => rmSync(root, { recursive: true, force: true }));

storeContract('PGlite (file-backed)', async () => {
  const store = await openPgliteStore({ dir: join(root, 'contract') });
  return { store, close: () => within(store.close(), 10_000, 'closing the PGlite store') };
});

describe('PGlite store', () => {
  it('lives in <data dir>/store, keeps its data across a reopen and refuses a second opener', async () => {
    const dataDir = join(root, 'data');
    const store = await createStore({ dataDir });
    assert.equal(store.kind, 'pglite');
    assert.ok(existsSync(join(dataDir, 'store', 'PG_VERSION')));
    await store.write({ trades: [trade({ symbol: 'KEEP', price: 42 })] });
    await assert.rejects(createStore({ dataDir }), (error: Error & { code?: string }) => {
      assert.equal(error.code, STORE_ERROR_CODES.LOCKED);
      assert.match(error.message, /already open in this process/);
      return true;
    });
    await within(store.close(), 10_000, 'closing the PGlite store');
    await assert.rejects(store.latestPrice('KEEP'), { code: STORE_ERROR_CODES.CLOSED });
    await store.close();

    const reopened = await openPgliteStore({ dir: join(dataDir, 'store') });
    try {
      assert.equal((await reopened.latestPrice('KEEP'))?.price, 42, 'migrations ran again without touching the data');
      await stagingRecoversFromFailure(reopened);
    } finally {
      await within(reopened.close(), 10_000, 'closing the reopened PGlite store');
    }
  });

  it('stamps alert rules with the clock it was created with', async () => {
    const clock = new ManualClock();
    const store = await createStore({ dataDir: join(root, 'clocked'), clock });
    try {
      await alertRuleTimesFollow(store, clock);
    } finally {
      await within(store.close(), 10_000, 'closing the PGlite store');
    }
  });
});
