import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { systemClock } from '../../src/clock.ts';
import { ConfigError } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { TradingService } from '../../src/trading/service/trading-service.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { within } from '../support/wait.ts';

const ADMIN_TOKEN = 'admin-token-for-the-accounts-test';
const root = mkdtempSync(join(tmpdir(), 'tickflow-accounts-api-'));
let store: SqlStore;
let service: TradingService;
let app: FastifyInstance;
let base: string;

before(async () => {
  store = await openPgliteStore({ dir: join(root, 'store') });
  service = await TradingService.open({ store: store.trading, producer: new MemoryBus().producer(), topics: { orders: 'orders', executions: 'executions' }, symbols: ['AAPL'], clock: systemClock, logger: silentLogger() });
  app = await buildApp({ status: idleStatus, trading: { gateway: service }, accounts: { gateway: service }, auth: { adminToken: ADMIN_TOKEN } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

after(async () => {
  await app.close();
  await service.close();
  await within(store.close(), 10_000, 'closing the PGlite store');
  rmSync(root, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

async function call(method: string, path: string, options: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const headers: Record<string, string> = { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
  const payload = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const listed = async () => (await call('GET', '/v1/accounts')).body.accounts as Array<Record<string, unknown>>;

describe('/v1/accounts over HTTP, on a PGlite-backed trading service', () => {
  it('refuses every route without the admin token, or with a wrong one, in constant-time comparison, changing nothing', async () => {
    for (const token of [null, 'wrong', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(0, -1)]) {
      for (const [method, path] of [['GET', '/v1/accounts'], ['POST', '/v1/accounts'], ['POST', '/v1/accounts/nobody/reset']] as const) {
        const answer = await call(method, path, { token, ...(method === 'POST' ? { body: { cash: 1000 } } : {}) });
        assert.equal(answer.status, 401, `${method} ${path} with ${token}`);
        assert.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8');
        assert.match(String(answer.body.detail), token === null ? /the admin token is missing/ : /the bearer token is not the admin token/);
        assert.doesNotMatch(String(answer.body.detail), new RegExp(token ?? ADMIN_TOKEN));
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
    }
    assert.equal((await call('GET', '/v1/accounts', { headers: { authorization: `Basic ${ADMIN_TOKEN}` }, token: null })).status, 401);
    assert.deepEqual(await listed(), []);
  });

  it('creates an account whose key works on /v2 at once; the secret is answered once and stored only as a hash', async () => {
    const created = await call('POST', '/v1/accounts', { body: { cash: '25000.50', type: 'margin', multiplier: 3, fees: 'per-share' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, api_key_id: keyId, secret } = created.body as { id: string; api_key_id: string; secret: string };
    assert.equal(created.headers.get('location'), `/v1/accounts/${id}`);
    assert.match(keyId, /^PK[A-Z2-7]{18}$/);
    assert.equal(secret.length, 40);
    assert.deepEqual({ ...created.body, id: 'ID', api_key_id: 'KEY', secret: 'SECRET', created_at: 'T' }, {
      id: 'ID', api_key_id: 'KEY', secret: 'SECRET', type: 'margin', multiplier: '3', cash: '25000.5', equity: '25000.5', buying_power: '75001.5', open_orders: 0, created_at: 'T',
    });
    assert.ok(Math.abs(Date.parse(String(created.body.created_at)) - Date.now()) < 60_000);

    const account = await fetch(`${base}/v2/account`, { headers: { 'apca-api-key-id': keyId, 'apca-api-secret-key': secret } });
    assert.equal(account.status, 200);
    const body = (await account.json()) as Record<string, unknown>;
    assert.equal(body.id, id);
    assert.equal(body.cash, '25000.5');

    const stored = await store.trading.apiKey(keyId);
    assert.ok(stored);
    assert.ok(!stored.secretHash.includes(secret), 'only a hash of the secret is stored');
    const again = await listed();
    assert.ok(!JSON.stringify(again).includes(secret), 'the list never shows a secret');
  });

  it('answers a bad body with 400 or 422 naming the field, and creates nothing', async () => {
    const before = (await listed()).length;
    const cases: Array<[unknown, number, RegExp]> = [
      [{ cash: '1.005' }, 422, /^cash must be a number > 0 .* at most 2 decimals/],
      [{ cash: -1 }, 422, /^cash must be a number > 0/],
      [{ type: 'cash', multiplier: 2 }, 422, /^multiplier applies to margin accounts only/],
      [{ fees: { model: 'percent', maker_bps: 1 } }, 422, /^fees.taker_bps is required/],
      [{ fills: { participation: 2 } }, 422, /^fills.participation must be a number > 0 and ≤ 1/],
      [{ type: 'broker' }, 400, /^body "type" must be one of cash, margin/],
      [{ multiplier: 9 }, 400, /^body "multiplier" must be <= 4/],
      [{ cash: 1000, startingCash: 1 }, 400, /^body "startingCash" is not a known field/],
    ];
    for (const [body, status, detail] of cases) {
      const answer = await call('POST', '/v1/accounts', { body });
      assert.equal(answer.status, status, `${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`);
      assert.match(String(answer.body.detail), detail);
    }
    const malformed = await call('POST', '/v1/accounts', { raw: '{"cash": 10' });
    assert.equal(malformed.status, 400);
    assert.equal((await listed()).length, before);
  });

  it('lists every account oldest first with id, type, cash, equity and creation time', async () => {
    const second = await call('POST', '/v1/accounts', { body: { cash: 5000, type: 'cash' } });
    assert.equal(second.status, 201);
    const accounts = await listed();
    assert.equal(accounts.length, 2);
    assert.deepEqual(accounts.map((account) => account.type), ['margin', 'cash']);
    assert.deepEqual(accounts[1], { id: second.body.id, type: 'cash', multiplier: '1', cash: '5000', equity: '5000', buying_power: '5000', open_orders: 0, created_at: second.body.created_at });
    assert.ok(String(accounts[0]!.created_at) <= String(accounts[1]!.created_at));
  });

  it('resets an account to its starting cash with no open orders; its key keeps working; an unknown one is 404', async () => {
    const created = await call('POST', '/v1/accounts', { body: { cash: 10000 } });
    const { id, api_key_id: keyId, secret } = created.body as { id: string; api_key_id: string; secret: string };
    const auth = { 'apca-api-key-id': keyId, 'apca-api-secret-key': secret, 'content-type': 'application/json' };
    const order = await fetch(`${base}/v2/orders`, { method: 'POST', headers: auth, body: JSON.stringify({ symbol: 'AAPL', qty: '10', side: 'buy', type: 'limit', limit_price: '100', time_in_force: 'gtc' }) });
    assert.equal(order.status, 200, await order.clone().text());
    assert.equal((await listed()).find((account) => account.id === id)?.open_orders, 1);

    const reset = await call('POST', `/v1/accounts/${id}/reset`);
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal(reset.body.open_orders, 0);
    assert.equal(reset.body.cash, '10000');
    assert.equal(reset.body.created_at, created.body.created_at);
    assert.equal((await fetch(`${base}/v2/account`, { headers: auth })).status, 200);

    const unknown = await call('POST', '/v1/accounts/no-such-account/reset');
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.detail), /no account no-such-account/);
    assert.equal((await call('POST', '/v1/accounts/bad%20id/reset')).status, 400);
  });

  it('answers 422, never 500, when the trading service refuses the configuration itself', async () => {
    const refusing = { ...service, createAccount: async () => { throw new ConfigError('cannot create the account: an engine rule'); }, accounts: async () => [], account: async () => null, resetAccount: service.resetAccount.bind(service) };
    const other = await buildApp({ status: idleStatus, accounts: { gateway: refusing }, auth: { adminToken: ADMIN_TOKEN } });
    try {
      const answer = await other.inject({ method: 'POST', url: '/v1/accounts', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { cash: 1000 } });
      assert.equal(answer.statusCode, 422);
      assert.match(answer.json<{ detail: string }>().detail, /cannot create the account: an engine rule/);
    } finally {
      await other.close();
    }
  });

  it('documents the routes, their bodies and the bearer scheme in the OpenAPI document', async () => {
    const response = await fetch(`${base}/docs/json`);
    const document = (await response.json()) as { paths: Record<string, Record<string, { security?: unknown; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>; components: { securitySchemes: Record<string, unknown> } };
    assert.deepEqual(document.components.securitySchemes.adminBearer, { type: 'http', scheme: 'bearer', description: 'the admin token: TICKFLOW_ADMIN_TOKEN, or <data dir>/admin-token' });
    const create = document.paths['/v1/accounts']!.post!;
    assert.deepEqual(create.security, [{ adminBearer: [] }]);
    assert.deepEqual(Object.keys(create.requestBody!.content['application/json']!.schema.properties), ['cash', 'type', 'multiplier', 'fees', 'regulatory_fees', 'fills', 'settlement_sessions']);
    assert.ok(document.paths['/v1/accounts']!.get);
    assert.ok(document.paths['/v1/accounts/{id}/reset']!.post);
  });
});
