import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SYMBOLS, loadConfig } from '../../src/config/config.ts';

const NO_FILE = '/nonexistent/.env';

describe('configuration', () => {
  it('has sensible defaults: port 8080, a mix of stocks, forex and crypto, the simulator', () => {
    const config = loadConfig({}, NO_FILE);
    assert.equal(config.port, 8080);
    assert.equal(config.finnhubApiKey, undefined);
    assert.equal(config.finnhubWsUrl, 'wss://ws.finnhub.io');
    assert.deepEqual(config.symbols, DEFAULT_SYMBOLS.split(','));
    assert.ok(config.symbols.some((symbol) => symbol.startsWith('OANDA:')));
    assert.ok(config.symbols.some((symbol) => symbol.startsWith('BINANCE:')));
    assert.equal(config.windowSize, 20);
    assert.equal(config.publishEvery, 10);
  });

  it('parses symbols, trimming blanks and dropping duplicates', () => {
    const config = loadConfig({ TICKFLOW_SYMBOLS: ' AAPL, OANDA:EUR_USD ,AAPL,,' }, NO_FILE);
    assert.deepEqual(config.symbols, ['AAPL', 'OANDA:EUR_USD']);
  });

  it('reads the strategies from JSON or a JSON file, and names the path of a wrong value', () => {
    const strategies = JSON.stringify({ default: [{ strategy: 'rsi', period: 7 }], symbols: { AAPL: [] } });
    const file = join(mkdtempSync(join(tmpdir(), 'tickflow-config-')), 'strategies.json');
    writeFileSync(file, strategies);
    for (const value of [strategies, file]) {
      const config = loadConfig({ TICKFLOW_STRATEGIES: value }, NO_FILE);
      assert.deepEqual(config.strategies.symbols.AAPL, []);
      assert.equal(config.strategies.default[0]?.strategy, 'rsi');
    }
    assert.throws(() => loadConfig({ TICKFLOW_STRATEGIES: '{"default":[{"strategy":"ma-crossover","fast":20,"slow":5}]}' }, NO_FILE), /invalid configuration:\n\s+TICKFLOW_STRATEGIES: default\[0\]\.fast must be < slow/);
    assert.throws(() => loadConfig({ TICKFLOW_STRATEGIES: '/nonexistent/strategies.json' }, NO_FILE), /TICKFLOW_STRATEGIES: cannot read "\/nonexistent\/strategies.json": ENOENT/);
  });

  it('never echoes the WebSocket token, and refuses one a browser could not send', () => {
    assert.throws(
      () => loadConfig({ TICKFLOW_WS_TOKEN: 'short/secret' }, NO_FILE),
      (error: Error) => {
        assert.match(error.message, /TICKFLOW_WS_TOKEN: /);
        assert.doesNotMatch(error.message, /short\/secret/);
        return true;
      },
    );
    assert.equal(loadConfig({ TICKFLOW_WS_TOKEN: 'a-long-enough-token.123' }, NO_FILE).wsToken, 'a-long-enough-token.123');
  });

  it('never echoes the admin token, and refuses one that cannot be a bearer token', () => {
    assert.throws(
      () => loadConfig({ TICKFLOW_ADMIN_TOKEN: 'short secret' }, NO_FILE),
      (error: Error) => {
        assert.match(error.message, /TICKFLOW_ADMIN_TOKEN: /);
        assert.doesNotMatch(error.message, /short secret/);
        return true;
      },
    );
    assert.equal(loadConfig({ TICKFLOW_ADMIN_TOKEN: 'admin-token-long-enough' }, NO_FILE).adminToken, 'admin-token-long-enough');
    assert.equal(loadConfig({}, NO_FILE).adminToken, undefined);
  });

  it('reads TICKFLOW_API_READ_TOKEN as a bearer token, never echoed; reads are open without it', () => {
    assert.throws(
      () => loadConfig({ TICKFLOW_API_READ_TOKEN: 'read me/please' }, NO_FILE),
      (error: Error) => {
        assert.match(error.message, /TICKFLOW_API_READ_TOKEN: /);
        assert.doesNotMatch(error.message, /read me/);
        return true;
      },
    );
    assert.equal(loadConfig({ TICKFLOW_API_READ_TOKEN: 'read-token-long-enough' }, NO_FILE).apiReadToken, 'read-token-long-enough');
    assert.equal(loadConfig({}, NO_FILE).apiReadToken, undefined);
  });

  it('stops with a message naming every bad variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', TICKFLOW_WINDOW_SIZE: '0', FINNHUB_WS_URL: 'http://x' }, NO_FILE),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'TICKFLOW_CONFIG_INVALID');
        assert.match(error.message, /PORT: .*"eighty"/);
        assert.match(error.message, /TICKFLOW_WINDOW_SIZE/);
        assert.match(error.message, /FINNHUB_WS_URL: must be a ws:\/\/ or wss:\/\/ URL/);
        return true;
      },
    );
  });

  it('rejects symbols with characters Finnhub never uses', () => {
    assert.throws(() => loadConfig({ TICKFLOW_SYMBOLS: 'AAPL,DROP TABLE' }, NO_FILE), /TICKFLOW_SYMBOLS/);
  });

  it('reads a .env file, with the environment taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=9001\nTICKFLOW_SYMBOLS=MSFT\n');
    const config = loadConfig({ PORT: '9002' }, file);
    assert.equal(config.port, 9002);
    assert.deepEqual(config.symbols, ['MSFT']);
  });

  it('names a blank API key without echoing it', () => {
    assert.throws(
      () => loadConfig({ FINNHUB_API_KEY: ' \t ' }, NO_FILE),
      (error: Error) => /FINNHUB_API_KEY/.test(error.message) && !error.message.includes('\t'),
    );
  });
});

describe('Kinesis settings', () => {
  it('are off without KINESIS_STREAM, and default the region', () => {
    assert.equal(loadConfig({}, NO_FILE).kinesis, null);
    assert.deepEqual(loadConfig({ KINESIS_STREAM: 'trades' }, NO_FILE).kinesis, { streamName: 'trades', region: 'us-east-1' });
  });

  it('stop start-up naming a bad endpoint', () => {
    assert.throws(() => loadConfig({ KINESIS_STREAM: 'trades', KINESIS_ENDPOINT: 'ftp://x' }, NO_FILE), /KINESIS_ENDPOINT/);
  });
});
