import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/api/app.ts';
import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';

function status(overrides: { connected?: boolean; running?: boolean; fatalError?: string | null } = {}): PipelineStatus {
  return {
    startedAt: 0,
    bus: 'memory',
    source: { name: 'simulator', connected: overrides.connected ?? true, reconnects: 0, rejects: 0, records: 5, lastMessageAt: 1, fatalError: overrides.fatalError ?? null },
    trades: 5,
    quotes: 0,
    gaps: 0,
    deadLetters: 0,
    symbols: [],
    consumers: [{ name: 'aggregator', groupId: 'g', running: overrides.running ?? true, processed: 0, lag: 0, failures: 0, lastError: null, stats: {} }],
  };
}

describe('health routes', () => {
  it('answers liveness with JSON', async () => {
    const app = await buildApp({ status: async () => status() });
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().status, 'ok');
  });

  it('is ready when the source is connected and consumers run', async () => {
    const app = await buildApp({ status: async () => status() });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().ready, true);
  });

  it('is not ready, with reasons, when the source is down or a consumer stopped', async () => {
    const app = await buildApp({ status: async () => status({ connected: false, running: false }) });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json().reasons, ['source simulator is not connected', 'consumer aggregator is not running']);
  });

  it('names a fatal source error', async () => {
    const app = await buildApp({ status: async () => status({ connected: false, fatalError: 'Finnhub rejected the API key (401)' }) });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.match(response.json().reasons[0], /rejected the API key/);
  });
});

describe('readiness of dependencies', () => {
  it('asks each dependency and names the one not answering, without its secrets', async () => {
    const app = await buildApp({
      status: async () => status(),
      dependencies: {
        bus: async () => {},
        store: async () => {
          throw new Error('connect ECONNREFUSED postgres://tickflow:s3cret@db:5432/tickflow');
        },
      },
    });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().dependencies.bus, 'ok');
    assert.match(response.json().reasons[0], /^store is not answering: connect ECONNREFUSED/);
    assert.doesNotMatch(response.body, /s3cret/);
  });

  it('counts a dependency that hangs as not ready', async () => {
    const app = await buildApp({ status: async () => status(), dependencies: { bus: () => new Promise(() => {}) } });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 503);
    assert.match(response.json().reasons[0], /bus is not answering: no answer within 2000 ms/);
  });
});
