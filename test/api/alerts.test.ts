import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { alertRoutes } from '../../src/api/routes/alerts.ts';
import type { AlertFiring, AlertRule } from '../../src/model/alert.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { ADMIN, ADMIN_TOKEN } from '../support/admin.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { within } from '../support/wait.ts';

const status = idleStatus;

const root = mkdtempSync(join(tmpdir(), 'tickflow-alerts-api-'));
let store: SqlStore;
let app: FastifyInstance;

before(async () => {
  store = await openPgliteStore({ dir: join(root, 'store') });
  app = await buildApp({ status, auth: { adminToken: ADMIN_TOKEN } });
  await app.register(alertRoutes, { store });
  await app.ready();
});
after(async () => {
  await app?.close();
  await within(store.close(), 10_000, 'closing the store');
  rmSync(root, { recursive: true, force: true });
});

async function create(body: unknown) {
  return app.inject({ method: 'POST', url: '/v1/alerts', headers: ADMIN, payload: body as Record<string, unknown> });
}

function problemOf(response: Awaited<ReturnType<typeof create>>, status: number): string {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  return response.json().detail as string;
}

describe('/v1/alerts', () => {
  it('creates a rule: 201 with the rule and its Location, then reads it back', async () => {
    const response = await create({ symbol: 'BINANCE:BTCUSDT', condition: { kind: 'price-above', threshold: 100_000 }, note: 'moon' });
    assert.equal(response.statusCode, 201, response.body);
    const rule = response.json() as AlertRule;
    assert.equal(response.headers.location, `/v1/alerts/${rule.id}`);
    assert.deepEqual({ ...rule, id: '', createdAt: 0, updatedAt: 0 }, { id: '', symbol: 'BINANCE:BTCUSDT', condition: { kind: 'price-above', threshold: 100_000 }, note: 'moon', enabled: true, createdAt: 0, updatedAt: 0 });
    const read = await app.inject(response.headers.location as string);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), rule);
    assert.deepEqual(await store.getAlertRule(rule.id), rule, 'stored');
  });

  it('lists rules, by symbol and enabled state', async () => {
    const a = (await create({ symbol: 'LIST', condition: { kind: 'move-pct', percent: 1.5, windowMs: 60_000 } })).json() as AlertRule;
    const b = (await create({ symbol: 'LIST', condition: { kind: 'stale', afterMs: 30_000 }, enabled: false })).json() as AlertRule;
    await create({ symbol: 'OTHER', condition: { kind: 'price-below', threshold: 1 } });
    const all = await app.inject('/v1/alerts?symbol=LIST');
    assert.equal(all.statusCode, 200);
    assert.deepEqual((all.json().alerts as AlertRule[]).map((r) => [r.id, r.condition, r.enabled]), [[a.id, a.condition, true], [b.id, b.condition, false]]);
    assert.deepEqual((await app.inject('/v1/alerts?symbol=LIST&enabled=false')).json().alerts.map((r: AlertRule) => r.id), [b.id]);
    assert.ok((await app.inject('/v1/alerts')).json().alerts.length >= 3);
  });

  it('patches enabled, note and condition; 404 for an unknown rule', async () => {
    const rule = (await create({ symbol: 'PATCH', condition: { kind: 'price-above', threshold: 10 }, note: 'old' })).json() as AlertRule;
    const url = `/v1/alerts/${rule.id}`;
    let response = await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { enabled: false, note: null } });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual([response.json().enabled, response.json().note, response.json().condition], [false, null, rule.condition]);
    response = await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { condition: { kind: 'price-below', threshold: 5 } } });
    assert.deepEqual(response.json().condition, { kind: 'price-below', threshold: 5 });
    assert.equal((await store.getAlertRule(rule.id))?.enabled, false, 'unchanged by a patch that does not name it');
    assert.match(problemOf(await app.inject({ method: 'PATCH', url: '/v1/alerts/nope', headers: ADMIN, payload: { enabled: true } }), 404), /no alert rule "nope"/);
    assert.match(problemOf(await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: {} }), 400), /body/);
    assert.match(problemOf(await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { condition: { kind: 'stale' } } }), 400), /condition\.afterMs must be an integer from 1000/);
  });

  it('deletes a rule: 204, then 404', async () => {
    const rule = (await create({ symbol: 'DEL', condition: { kind: 'stale', afterMs: 1_000 } })).json() as AlertRule;
    const response = await app.inject({ method: 'DELETE', url: `/v1/alerts/${rule.id}`, headers: ADMIN });
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
    problemOf(await app.inject({ method: 'DELETE', url: `/v1/alerts/${rule.id}`, headers: ADMIN }), 404);
    problemOf(await app.inject(`/v1/alerts/${rule.id}`), 404);
  });

  it('refuses bad input with a 400 problem naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ condition: { kind: 'price-above', threshold: 1 } }, /body "symbol" is required/],
      [{ symbol: 'A B', condition: { kind: 'price-above', threshold: 1 } }, /body "symbol" must match pattern/],
      [{ symbol: 'AAPL' }, /body "condition" is required/],
      [{ symbol: 'AAPL', condition: { kind: 'volume' } }, /body "condition\/kind" must be one of price-above, price-below, move-pct, stale/],
      [{ symbol: 'AAPL', condition: { kind: 'price-above', threshold: 0 } }, /body "condition\/threshold" must be > 0/],
      [{ symbol: 'AAPL', condition: { kind: 'price-above', threshold: 'lots' } }, /body "condition\/threshold" must be number/],
      [{ symbol: 'AAPL', condition: { kind: 'price-above' } }, /body condition\.threshold must be a positive finite number/],
      [{ symbol: 'AAPL', condition: { kind: 'move-pct', percent: 2, windowMs: 500 } }, /body "condition\/windowMs" must be >= 1000/],
      [{ symbol: 'AAPL', condition: { kind: 'move-pct', percent: 2, windowMs: 3_600_001 } }, /body "condition\/windowMs" must be <= 3600000/],
      [{ symbol: 'AAPL', condition: { kind: 'move-pct', windowMs: 5_000 } }, /body condition\.percent must be a number > 0/],
      [{ symbol: 'AAPL', condition: { kind: 'stale', afterMs: 2_000, threshold: 5 } }, /body condition\.threshold is not a field of kind stale/],
      [{ symbol: 'AAPL', condition: { kind: 'stale', afterMs: 2_000.5 } }, /body "condition\/afterMs" must be integer/],
      [{ symbol: 'AAPL', condition: { kind: 'stale', afterMs: 2_000 }, note: 'x'.repeat(501) }, /body "note" must NOT have more than 500 characters/],
    ];
    for (const [body, detail] of cases) assert.match(problemOf(await create(body), 400), detail, JSON.stringify(body));
    assert.equal((await app.inject('/v1/alerts?symbol=AAPL')).json().alerts.length, 0, 'nothing was stored');
    assert.match(problemOf(await app.inject('/v1/alerts?symbol=%20'), 400), /query parameter "symbol" must match pattern/);
    assert.match(problemOf(await app.inject('/v1/alerts/firings?limit=0'), 400), /query parameter "limit" must be >= 1/);
  });

  it('lists firings newest first, by symbol and rule, with a limit', async () => {
    const rule = (await create({ symbol: 'FIRE', condition: { kind: 'price-above', threshold: 10 } })).json() as AlertRule;
    const other = (await create({ symbol: 'FIRE2', condition: { kind: 'stale', afterMs: 1_000 } })).json() as AlertRule;
    const firing = (r: AlertRule, crossing: number, tsEvent: number, price: number | null): AlertFiring => ({
      type: 'alert', id: `${r.id}:${crossing}`, ruleId: r.id, symbol: r.symbol, condition: r.condition, price, message: `m${crossing}`, note: null, tsEvent, tsRecv: tsEvent + 1,
    });
    const fired = [firing(rule, 1, 1_000, 11), firing(rule, 2, 2_000, 12), firing(other, 1, 1_500, null)];
    await store.recordFirings(fired, []);
    let response = await app.inject(`/v1/alerts/firings?symbol=FIRE`);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().firings, [fired[1], fired[0]]);
    response = await app.inject(`/v1/alerts/firings?ruleId=${other.id}`);
    assert.deepEqual(response.json().firings, [fired[2]]);
    response = await app.inject(`/v1/alerts/firings?ruleId=${rule.id}&limit=1`);
    assert.deepEqual(response.json().firings.map((f: AlertFiring) => f.id), [`${rule.id}:2`]);
  });

  it('documents every route in the OpenAPI document under the alerts tag', async () => {
    const paths = (await app.inject('/docs/json')).json().paths as Record<string, Record<string, { tags?: string[] }>>;
    const routes = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).filter(([, op]) => op.tags?.includes('alerts')).map(([method]) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual(routes.sort(), ['DELETE /v1/alerts/{id}', 'GET /v1/alerts', 'GET /v1/alerts/firings', 'GET /v1/alerts/{id}', 'PATCH /v1/alerts/{id}', 'POST /v1/alerts'].sort());
  });
});
