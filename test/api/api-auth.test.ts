import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Registry } from 'prom-client';
import { buildApp, type AppOptions } from '../../src/api/app.ts';
import type { ApiAuthOptions } from '../../src/api/plugins/api-auth.ts';
import type { AlertRouteStore } from '../../src/api/routes/alerts.ts';
import type { AccountRouteOptions } from '../../src/api/routes/accounts.ts';
import { ConfigError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { ADMIN_TOKEN } from '../support/admin.ts';
import { idleStatus } from '../support/pipeline-status.ts';

const READ_TOKEN = 'test-read-token-0123456789abcdef';
const WRONG_TOKEN = 'not-a-token-of-this-server-42';

/** Answers as if empty; nothing is stored. */
const alertStore: AlertRouteStore = {
  createAlertRule: async (rule) => ({ ...rule, note: rule.note ?? null, enabled: rule.enabled ?? true, id: 'r1', createdAt: 0, updatedAt: 0 }),
  listAlertRules: async () => [],
  getAlertRule: async () => null,
  updateAlertRule: async () => null,
  deleteAlertRule: async () => false,
  listFirings: async () => [],
};
const accountGateway: AccountRouteOptions['gateway'] = {
  createAccount: async () => {
    throw new ConfigError('no accounts in this test');
  },
  resetAccount: async () => ({ ok: false, code: 'not_found', message: 'no account' }),
  accounts: async () => [],
  account: async () => null,
};

const apps: FastifyInstance[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

async function appWith(auth: ApiAuthOptions | undefined, extra: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ status: idleStatus, alerts: { store: alertStore }, accounts: { gateway: accountGateway }, metrics: new Registry(), ...(auth ? { auth } : {}), ...extra });
  apps.push(app);
  await app.ready();
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every documented route that changes something on /v1, with its path parameters filled in. */
function changingRoutes(app: FastifyInstance): Array<{ method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string }> {
  const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, methods]) =>
      Object.keys(methods)
        .map((method) => method.toUpperCase())
        .filter((method): method is 'POST' | 'PUT' | 'PATCH' | 'DELETE' => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
        .map((method) => ({ method, url: path.replace(/\{[^}]+\}/g, 'x') })),
    );
}

function assertProblem(response: LightMyRequestResponse, status: number, detail: RegExp, what: string): void {
  assert.equal(response.statusCode, status, `${what}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/, what);
  const problem = response.json<{ status: number; detail: string }>();
  assert.equal(problem.status, status, what);
  assert.match(problem.detail, detail, what);
}

describe('one access model for the HTTP API', () => {
  it('answers every change on /v1 without the admin token, or with a wrong one, 401 problem+json with a Bearer challenge', async () => {
    const app = await appWith({ adminToken: ADMIN_TOKEN });
    const routes = changingRoutes(app);
    // The alert rules' and the accounts' changes at least: the list comes from the OpenAPI document, so a new route is covered too.
    for (const expected of ['POST /v1/alerts', 'PATCH /v1/alerts/x', 'DELETE /v1/alerts/x', 'POST /v1/accounts', 'POST /v1/accounts/x/reset']) {
      assert.ok(routes.some(({ method, url }) => `${method} ${url}` === expected), `${expected} is documented`);
    }
    for (const { method, url } of routes) {
      const missing = await app.inject({ method, url, payload: {} });
      assertProblem(missing, 401, /the admin token is missing: send Authorization: Bearer <token>/, `${method} ${url} without a token`);
      assert.equal(missing.headers['www-authenticate'], 'Bearer realm="tickflow"');
      for (const headers of [bearer(WRONG_TOKEN), bearer(`${ADMIN_TOKEN}x`), { authorization: `Basic ${ADMIN_TOKEN}` }]) {
        const wrong = await app.inject({ method, url, headers, payload: {} });
        assertProblem(wrong, 401, /not the admin token|the admin token is missing/, `${method} ${url} with ${headers.authorization}`);
        assert.match(String(wrong.headers['www-authenticate']), /^Bearer realm="tickflow"/);
        assert.ok(!wrong.body.includes(headers.authorization.split(' ')[1]!), 'the credential is never echoed');
      }
      const granted = await app.inject({ method, url, headers: bearer(ADMIN_TOKEN), payload: {} });
      assert.ok(![401, 403].includes(granted.statusCode), `${method} ${url} with the admin token: ${granted.statusCode} ${granted.body}`);
    }
  });

  it('refuses every change when the app has no admin token at all', async () => {
    const app = await appWith(undefined);
    assertProblem(await app.inject({ method: 'POST', url: '/v1/alerts', headers: bearer(WRONG_TOKEN), payload: {} }), 401, /not the admin token/, 'POST without an admin token configured');
  });

  it('answers a change presenting the read token 403: a credential that does not grant it', async () => {
    const app = await appWith({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN });
    for (const { method, url } of changingRoutes(app)) {
      const answer = await app.inject({ method, url, headers: bearer(READ_TOKEN), payload: {} });
      assertProblem(answer, 403, /the read token does not grant changes/, `${method} ${url} with the read token`);
      assert.ok(!answer.body.includes(READ_TOKEN));
    }
  });

  it('leaves reads open by default, whatever token comes with them', async () => {
    const app = await appWith({ adminToken: ADMIN_TOKEN });
    for (const url of ['/v1/alerts', '/v1/alerts/firings', '/status', '/healthz', '/readyz', '/metrics', '/docs/json']) {
      assert.equal((await app.inject(url)).statusCode, 200, url);
      assert.equal((await app.inject({ url, headers: bearer(WRONG_TOKEN) })).statusCode, 200, `${url} with a stray token`);
    }
    // The account listing is administration, not a read.
    assertProblem(await app.inject('/v1/accounts'), 401, /admin token is missing/, 'GET /v1/accounts');
  });

  it('with a read token, reads need it (or the admin token); probes, metrics and the documentation stay open', async () => {
    const app = await appWith({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN });
    for (const url of ['/v1/alerts', '/v1/alerts/firings', '/v1/alerts/x', '/status']) {
      const missing = await app.inject(url);
      assertProblem(missing, 401, /the read token is missing/, `${url} without a token`);
      assert.equal(missing.headers['www-authenticate'], 'Bearer realm="tickflow"');
      assertProblem(await app.inject({ url, headers: bearer(WRONG_TOKEN) }), 401, /not the read token/, `${url} with a wrong token`);
      assert.notEqual((await app.inject({ url, headers: bearer(READ_TOKEN) })).statusCode, 401, `${url} with the read token`);
      assert.notEqual((await app.inject({ url, headers: bearer(ADMIN_TOKEN) })).statusCode, 401, `${url} with the admin token`);
    }
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json']) assert.equal((await app.inject(url)).statusCode, 200, url);
  });

  it('says in the OpenAPI document which credential each guarded route takes', async () => {
    const paths = ((await appWith({ adminToken: ADMIN_TOKEN })).swagger() as { paths: Record<string, Record<string, { security?: unknown }>> }).paths;
    assert.deepEqual(paths['/v1/alerts']!.post!.security, [{ adminBearer: [] }]);
    assert.deepEqual(paths['/v1/alerts/{id}']!.delete!.security, [{ adminBearer: [] }]);
    assert.deepEqual(paths['/v1/accounts']!.get!.security, [{ adminBearer: [] }]);
    assert.equal(paths['/v1/alerts']!.get!.security, undefined, 'reads are open');
    const closed = ((await appWith({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN })).swagger() as { paths: Record<string, Record<string, { security?: unknown }>> }).paths;
    assert.deepEqual(closed['/v1/alerts']!.get!.security, [{ readBearer: [] }]);
  });

  it('refuses to build an app with a route outside /v1 that changes something and declares no access', async () => {
    const app = await buildApp({ status: idleStatus });
    apps.push(app);
    assert.throws(() => app.post('/reset-everything', async () => ({})), /POST \/reset-everything changes something but declares no access/);
  });

  it('never writes a token to the log, even at trace level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-auth-log-'));
    try {
      const file = join(dir, 'log.jsonl');
      const logger = createLogger({ level: 'trace', destination: file, pretty: false });
      const app = await appWith({ adminToken: ADMIN_TOKEN, readToken: READ_TOKEN }, { logger });
      for (const token of [ADMIN_TOKEN, READ_TOKEN, WRONG_TOKEN]) {
        await app.inject({ method: 'POST', url: '/v1/alerts', headers: bearer(token), payload: { symbol: 'AAPL', condition: { kind: 'price-above', threshold: 1 } } });
        await app.inject({ url: '/v1/alerts', headers: bearer(token) });
      }
      await app.close();
      logger.flush();
      const log = readFileSync(file, 'utf8');
      assert.match(log, /\/v1\/alerts/, 'the requests were logged');
      for (const token of [ADMIN_TOKEN, READ_TOKEN, WRONG_TOKEN]) assert.ok(!log.includes(token), 'a token in the log');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
