/**
 * Input that only looks right is refused, not guessed at: hex or padded integers, impossible dates,
 * a null where a boolean is due, a body that is not JSON, a body in an encoding tickflow does not
 * decode. Each is a 4xx naming the problem, and nothing changes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import type { AlertRule } from '../../src/model/alert.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { ADMIN, ADMIN_TOKEN } from '../support/admin.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { within } from '../support/wait.ts';
import { AUTH_HEADERS, tradingApp } from './alpaca/support.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-strict-input-'));
let store: SqlStore;
let app: FastifyInstance;
/** What the signals route was asked, to show a refused request never reaches the store. */
const signalQueries: unknown[] = [];

before(async () => {
  store = await openPgliteStore({ dir: join(root, 'store') });
  app = await buildApp({
    status: idleStatus,
    auth: { adminToken: ADMIN_TOKEN },
    alerts: { store },
    signals: { store: { signals: async (query) => (signalQueries.push(query), []) } },
  });
  await app.ready();
});
after(async () => {
  await app?.close();
  await within(store.close(), 10_000, 'closing the store');
  rmSync(root, { recursive: true, force: true });
});

function problemOf(response: LightMyRequestResponse, status: number): string {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  return response.json().detail as string;
}

const RULE = { symbol: 'STRICT', condition: { kind: 'price-above', threshold: 100 } };

describe('strict query parameters', () => {
  it('an integer is decimal digits only: 0x10, " 5", 1e1 and 5.0 are refused', async () => {
    for (const limit of ['0x10', '%205', '5%20', '1e1', '5.0', '+5', '']) {
      const detail = problemOf(await app.inject(`/v1/signals?symbol=AAPL&limit=${limit}`), 400);
      assert.match(detail, /query parameter "limit" must be integer/, limit);
    }
    assert.equal(signalQueries.length, 0, 'the store was never asked');
    const ok = await app.inject('/v1/signals?symbol=AAPL&limit=16');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((signalQueries.at(-1) as { limit: number }).limit, 16);
    problemOf(await app.inject('/v1/signals?symbol=AAPL&limit=0'), 400);
  });

  it('a boolean is true or false', async () => {
    assert.match(problemOf(await app.inject('/v1/alerts?enabled=yes'), 400), /query parameter "enabled" must be boolean/);
    assert.match(problemOf(await app.inject('/v1/alerts?enabled=1'), 400), /"enabled" must be boolean/);
    assert.equal((await app.inject('/v1/alerts?enabled=false')).statusCode, 200);
  });

  it('a date must exist on the calendar', async () => {
    const before = signalQueries.length;
    for (const from of ['2026-02-30', '2026-02-29T10:00:00Z', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-01T24:30:00Z', '2026-01-01T10:60:00Z']) {
      assert.match(problemOf(await app.inject(`/v1/signals?symbol=AAPL&from=${from}`), 400), /query parameter "from" must be/, from);
    }
    assert.equal(signalQueries.length, before, 'the store was never asked');
    assert.equal((await app.inject('/v1/signals?symbol=AAPL&from=2028-02-29&to=2028-03-01T00:00:00Z')).statusCode, 200);
  });
});

describe('strict bodies', () => {
  it('PATCH {"enabled": null} is a 400 and the rule stays enabled', async () => {
    const rule = (await app.inject({ method: 'POST', url: '/v1/alerts', headers: ADMIN, payload: RULE })).json() as AlertRule;
    assert.equal(rule.enabled, true);
    for (const enabled of [null, 'false', 0]) {
      const detail = problemOf(await app.inject({ method: 'PATCH', url: `/v1/alerts/${rule.id}`, headers: ADMIN, payload: { enabled } }), 400);
      assert.match(detail, /"enabled" must be boolean/, JSON.stringify(enabled));
    }
    assert.deepEqual(await store.getAlertRule(rule.id), rule, 'unchanged');
  });

  it('a body that is not JSON is 415 Unsupported Media Type, and nothing is created', async () => {
    const before = (await store.listAlertRules({})).length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/plain; charset=utf-8']) {
      const response = await app.inject({ method: 'POST', url: '/v1/alerts', headers: { ...ADMIN, 'content-type': type }, payload: JSON.stringify(RULE) });
      assert.match(problemOf(response, 415), /application\/json/, type);
    }
    assert.equal((await store.listAlertRules({})).length, before);
  });

  it('a Content-Encoding tickflow does not decode is 415, and nothing is created', async () => {
    const before = (await store.listAlertRules({})).length;
    for (const encoding of ['gzip', 'br', 'deflate, gzip']) {
      const response = await app.inject({ method: 'POST', url: '/v1/alerts', headers: { ...ADMIN, 'content-type': 'application/json', 'content-encoding': encoding }, payload: JSON.stringify(RULE) });
      assert.match(problemOf(response, 415), /Content-Encoding/, encoding);
    }
    assert.equal((await store.listAlertRules({})).length, before);
    const identity = await app.inject({ method: 'POST', url: '/v1/alerts', headers: { ...ADMIN, 'content-type': 'application/json', 'content-encoding': 'identity' }, payload: JSON.stringify(RULE) });
    assert.equal(identity.statusCode, 201, identity.body);
  });
});

describe('the /v2 trading routes keep Alpaca\'s error shape', () => {
  it('answers an encoded or non-JSON body with 415 and {code, message}, and places no order', async () => {
    const { app: trading, gateway } = await tradingApp();
    try {
      const order = JSON.stringify({ symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' });
      const headers = [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, { 'content-type': 'text/plain' }];
      for (const extra of headers) {
        const response = await trading.inject({ method: 'POST', url: '/v2/orders', headers: { ...AUTH_HEADERS, ...extra }, payload: order });
        assert.equal(response.statusCode, 415, response.body);
        const body = response.json() as { code: number; message: string };
        assert.equal(body.code, 41510000);
        assert.equal(typeof body.message, 'string');
      }
      assert.equal((await gateway.orders('acct-1', { status: 'all', limit: 500, direction: 'asc' })).length, 0);
    } finally {
      await trading.close();
    }
  });
});
