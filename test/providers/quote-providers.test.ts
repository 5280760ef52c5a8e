import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createQuoteProviders } from '../../src/providers/quote-providers.ts';
import { scrub } from '../../src/providers/redact.ts';
import { parseRetryAfter } from '../../src/providers/retry-after.ts';

describe('createQuoteProviders', () => {
  it('builds the named providers in order and skips those without a key', () => {
    const both = createQuoteProviders({ order: ['alpha_vantage', 'finnhub'], finnhub: { apiKey: 'f' }, alpha_vantage: { apiKey: 'a', baseUrl: 'http://127.0.0.1:1' } });
    assert.deepEqual(both.providers.map((p) => p.name), ['alpha_vantage', 'finnhub']);
    assert.deepEqual(both.skipped, []);
    const one = createQuoteProviders({ order: ['finnhub', 'alpha_vantage'], finnhub: { apiKey: 'f' }, alpha_vantage: { apiKey: '  ' } });
    assert.deepEqual(one.providers.map((p) => p.name), ['finnhub']);
    assert.deepEqual(one.skipped, [{ name: 'alpha_vantage', reason: 'no API key' }]);
  });

  it('refuses unknown or repeated names', () => {
    assert.throws(() => createQuoteProviders({ order: ['finnhub', 'yahoo', 'finnhub'] }), { code: 'TICKFLOW_CONFIG_INVALID', message: /unknown quote provider "yahoo".*finnhub listed twice/ });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1);
  it('reads seconds and HTTP dates, at least 1 s; null when absent or unreadable', () => {
    assert.equal(parseRetryAfter('120', now), 120);
    assert.equal(parseRetryAfter('0', now), 1);
    assert.equal(parseRetryAfter(new Date(now + 10_500).toUTCString(), now), 10);
    assert.equal(parseRetryAfter(new Date(now - 60_000).toUTCString(), now), 1);
    assert.equal(parseRetryAfter(null, now), null);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter('-5', now), null);
  });
});

describe('scrub', () => {
  it('masks secret parameters and the key itself, and keeps text short', () => {
    assert.equal(scrub('GET https://x/query?symbol=A&apikey=K3Y123 failed', 'K3Y123'), 'GET https://x/query?symbol=A&apikey=*** failed');
    assert.equal(scrub('We have detected your API key as K3Y123 and', 'K3Y123'), 'We have detected your API key as *** and');
    assert.ok(scrub('x'.repeat(500), 'k').length <= 201);
  });
});
