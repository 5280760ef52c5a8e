import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { after, describe, it } from 'node:test';
import { buildApp } from '../../src/api/app.ts';
import { migrate } from '../../src/store/migrate.ts';
import { PgliteDriver } from '../../src/store/pglite-store.ts';
import { SqlStore } from '../../src/store/sql-store.ts';
import { idleStatus } from '../support/pipeline-status.ts';

const KEY = 'AVKEY1234567890';
const driver = new PgliteDriver(await PGlite.create());
await migrate(driver);
const store = new SqlStore(driver);
after(() => store.close());

describe('GET /v1/raw-responses/{id}', () => {
  it('answers a stored provider response by the raw_response_id of its price event, without the provider key', async () => {
    const body = `{"Information":"We have detected your API key as ${KEY} and our standard API rate limit is 25 requests per day."}`;
    const id = await store.insertRawResponse({ provider: 'alpha_vantage', symbol: 'IBM', status: 200, body, fetchedAt: 1_710_930_600_000 });
    const app = await buildApp({ status: idleStatus, api: { store, prices: { latest: async () => { throw new Error('not asked'); } }, symbols: ['IBM'], rawResponses: { store, secrets: [KEY, ''] } } });
    const response = await app.inject(`/v1/raw-responses/${id}`);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { id, provider: 'alpha_vantage', symbol: 'IBM', status: 200, body: body.replace(KEY, '***'), fetchedAt: 1_710_930_600_000 });
    assert.ok(!response.body.includes(KEY));
    const missing = await app.inject('/v1/raw-responses/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /problem\+json/);
    await app.close();
  });
});
