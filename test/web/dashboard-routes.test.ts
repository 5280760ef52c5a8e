import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { contentSecurityPolicy, dashboardRoutes } from '../../src/api/routes/dashboard.ts';
import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';

const status = async (): Promise<PipelineStatus> => ({ startedAt: 0, bus: 'memory', source: null, trades: 0, quotes: 0, gaps: 0, deadLetters: 0, symbols: [], consumers: [] });

describe('dashboard routes', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildApp({ status });
    await app.register(dashboardRoutes);
    await app.ready();
  });
  after(() => app.close());

  it('serves the page at / with a same-origin CSP, revalidated by ETag', async () => {
    const page = await app.inject({ url: '/', headers: { host: '127.0.0.1:8080' } });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<title>tickflow/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:8080 wss:\/\/127\.0\.0\.1:8080(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['cache-control'], 'no-cache');
    const again = await app.inject({ url: '/', headers: { 'if-none-match': String(page.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  it('redirects /dashboard to /', async () => {
    const response = await app.inject('/dashboard');
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/');
  });

  it('serves every script, style and icon the page names, with no inline script or style (the CSP would block them)', async () => {
    const page = (await app.inject('/')).body;
    const urls = [...page.matchAll(/\s(?:src|href)="(\/[^"]*)"/g)].map((match) => match[1]!);
    assert.ok(urls.includes('/web/vendor/lightweight-charts.js') && urls.includes('/web/js/main.js') && urls.includes('/web/dashboard.css'), urls.join(' '));
    for (const url of urls) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 200, url);
      assert.ok(response.body.length > 0, url);
    }
    assert.doesNotMatch(page, /<script(?![^>]*\ssrc=)[^>]*>/, 'inline script');
    assert.doesNotMatch(page, /<style|\sstyle=/, 'inline style');
    assert.doesNotMatch(page, /\son[a-z]+=/, 'inline event handler');
    assert.doesNotMatch(page, /https?:\/\/(?!www\.tradingview\.com\/)/, 'nothing loads from another origin');
  });

  it('serves the modules with their types, revalidated on every load', async () => {
    const script = await app.inject('/web/js/main.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.equal(script.headers['cache-control'], 'no-cache');
    assert.ok(script.headers.etag);
    assert.match(String((await app.inject('/web/dashboard.css')).headers['content-type']), /^text\/css/);
  });

  it("serves lightweight-charts' standalone build, cached for a day", async () => {
    const library = await app.inject('/web/vendor/lightweight-charts.js');
    assert.equal(library.statusCode, 200);
    assert.match(String(library.headers['content-type']), /^text\/javascript/);
    assert.equal(library.headers['cache-control'], 'public, max-age=86400');
    assert.match(library.body, /LightweightCharts/);
    assert.match(String(library.headers.etag), /^"lightweight-charts-5\./);
    assert.equal((await app.inject({ url: '/web/vendor/lightweight-charts.js', headers: { 'if-none-match': String(library.headers.etag) } })).statusCode, 304);
  });

  it('serves nothing outside web/', async () => {
    for (const url of ['/web/%2e%2e/package.json', '/web/../package.json', '/web/vendor/../../package.json', '/web/', '/web/js/']) {
      const response = await app.inject(url);
      assert.ok([403, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
      assert.doesNotMatch(response.body, /"dependencies"/, url);
    }
  });

  it('leaves the API without the page headers', async () => {
    const health = await app.inject('/healthz');
    assert.equal(health.statusCode, 200);
    assert.equal(health.headers['content-security-policy'], undefined);
  });

  it('names no WebSocket origin for a Host header that could break the policy', () => {
    assert.equal(contentSecurityPolicy('evil.example; script-src *').includes('evil'), false);
    assert.equal(contentSecurityPolicy(undefined).includes('ws://'), false);
    assert.match(contentSecurityPolicy('[::1]:8080'), /ws:\/\/\[::1\]:8080/);
  });
});
