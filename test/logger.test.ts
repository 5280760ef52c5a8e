import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { createLogger, redactSecrets } from '../src/logger.ts';

it('masks tokens and keys in URLs and free text', () => {
  assert.equal(redactSecrets('wss://ws.finnhub.io?token=c123abc'), 'wss://ws.finnhub.io?token=***');
  assert.equal(redactSecrets('GET /query?function=GLOBAL_QUOTE&apikey=XYZ&symbol=IBM'), 'GET /query?function=GLOBAL_QUOTE&apikey=***&symbol=IBM');
});

it('never writes a secret to the log, in messages, fields or nested objects', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tickflow-log-')), 'log.json');
  const logger = createLogger({ destination: file, pretty: false });
  logger.info({ url: 'wss://ws.finnhub.io?token=s3cr3t', token: 's3cr3t', request: { apiKey: 's3cr3t' } }, 'connecting to wss://ws.finnhub.io?token=s3cr3t');
  // A WebSocket upgrade carries the token as a header or as the `bearer.<token>` subprotocol.
  logger.info({ req: { headers: { authorization: 'Bearer s3cr3t', 'sec-websocket-protocol': 'tickflow.v1, bearer.s3cr3t' } } }, 'upgrade');
  logger.info({ config: { wsToken: 's3cr3t', adminToken: 's3cr3t' } }, 'settings');
  logger.info({ adminToken: 's3cr3t' }, 'admin');
  // Alpaca's API key headers on /v2 requests.
  logger.info({ req: { headers: { 'apca-api-key-id': 'PK1', 'apca-api-secret-key': 's3cr3t' } } }, 'order');
  logger.info({ headers: { 'apca-api-secret-key': 's3cr3t' } }, 'order');
  logger.flush();
  const text = readFileSync(file, 'utf8');
  assert.match(text, /connecting to/);
  assert.doesNotMatch(text, /s3cr3t/);
});

it('masks the password of a connection URL', () => {
  assert.equal(redactSecrets('connecting to postgres://tickflow:hunter2@db:5432/tickflow'), 'connecting to postgres://tickflow:***@db:5432/tickflow');
});

it('leaves a placeholder in angle brackets whole, as the simulator writes in its usage hint', () => {
  assert.equal(redactSecrets('ws://127.0.0.1:8765/?token=<any token but "bad">'), 'ws://127.0.0.1:8765/?token=<any token but "bad">');
  assert.equal(redactSecrets('http://127.0.0.1:8765/api/v1/quote?symbol=AAPL&token=<token>'), 'http://127.0.0.1:8765/api/v1/quote?symbol=AAPL&token=<token>');
  assert.equal(redactSecrets('wss://ws.finnhub.io?token=<s3cr3t'), 'wss://ws.finnhub.io?token=***');
  assert.equal(redactSecrets('wss://ws.finnhub.io?token=s3cr3t<x>'), 'wss://ws.finnhub.io?token=***');
});

it("logs the simulator's usage hint unmangled", async () => {
  const { runSimulator } = await import('../src/sources/simulator/run.ts');
  const file = join(mkdtempSync(join(tmpdir(), 'tickflow-log-')), 'log.json');
  const logger = createLogger({ destination: file, pretty: false });
  const simulator = await runSimulator({ port: 0, logger });
  await simulator.close();
  logger.flush();
  const ready = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => String(line.msg).startsWith('Finnhub simulator ready'));
  assert.equal(ready?.websocket, `${simulator.url}/?token=<any token but "bad">`);
  assert.equal(ready?.quote, `${simulator.restUrl}/quote?symbol=AAPL&token=<token>`);
});
