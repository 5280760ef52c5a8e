import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';
import { openCollecting, type CollectingClient } from '../support/ws-client.ts';

const running: RunningCli[] = [];
const sockets: WebSocket[] = [];
after(() => {
  for (const socket of sockets) socket.terminate();
  for (const cli of running) cli.child.kill('SIGKILL');
});

async function listen(url: string, protocols: string[] = []): Promise<CollectingClient> {
  const client = await openCollecting(url, protocols);
  sockets.push(client.socket);
  return client;
}

/** The HTTP status the server answers an upgrade without a token with (101 when it lets it through). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.terminate();
    });
    socket.on('error', () => {});
  });
}

const FAST_STRATEGIES = JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 2, slow: 4, interval: '1s' }] });
const TOKEN = 'test-token-0123456789abcdef';

describe('tickflow up: signals, alerts and the notification service', () => {
  it('streams bars and trades to subscribers, pushes signals and alert firings, and closes sockets on Ctrl-C', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-live-'));
    const cli = startCli(['up'], {
      PORT: String(port),
      TICKFLOW_DATA_DIR: dataDir,
      TICKFLOW_SIM_RATE: '200',
      TICKFLOW_SYMBOLS: 'AAPL,MSFT',
      TICKFLOW_STRATEGIES: FAST_STRATEGIES,
      TICKFLOW_WS_TOKEN: TOKEN,
      TICKFLOW_ALERTS_RELOAD_MS: '200',
      TICKFLOW_LOG_LEVEL: 'warn',
    });
    running.push(cli);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 'readyz 200', 30_000);

    assert.equal(await upgradeStatus(`ws://127.0.0.1:${port}/ws/stream`), 401, 'no token, no socket');

    const notifications = await listen(`ws://127.0.0.1:${port}/ws/notifications`, ['tickflow.v1', `bearer.${TOKEN}`]);
    const stream = await listen(`ws://127.0.0.1:${port}/ws/stream`, ['tickflow.v1', `bearer.${TOKEN}`]);
    stream.socket.send(JSON.stringify({ op: 'subscribe', symbols: ['AAPL'], channels: ['trades', 'bars'] }));
    await waitFor(() => stream.messages.some((message) => message.type === 'subscribed'), 'subscription confirmed');
    await waitFor(() => stream.messages.some((message) => message.type === 'bar') && stream.messages.some((message) => message.type === 'trade'), 'bars and trades on /ws/stream', 20_000);
    const records = stream.messages.filter((message) => message.type === 'trade' || message.type === 'bar');
    assert.ok(records.every((message) => message.symbol === 'AAPL'), 'only the subscribed symbol');
    assert.ok(!stream.messages.some((message) => message.type === 'window-metrics'), 'only the subscribed channels');

    await waitFor(() => notifications.messages.some((message) => message.type === 'signal'), 'a trading signal on /ws/notifications', 30_000);
    const signal = notifications.messages.find((message) => message.type === 'signal')!;
    assert.equal(signal.strategy, 'ma-crossover');
    assert.ok(signal.side === 'buy' || signal.side === 'sell');
    assert.ok(Array.isArray(signal.lineage) && (signal.lineage as unknown[]).length > 0, 'lineage names the inputs');

    // An alert rule created over REST fires once, on the stream, and reaches the socket.
    const latest = (await (await fetch(`${base}/v1/prices/latest?symbol=MSFT`)).json()) as { price: number };
    // Changes need the admin token, which up generated into the data directory (and says so).
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    assert.match(cli.stdout(), new RegExp(`alerts .*changes need the admin token, in ${join(dataDir, 'admin-token').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const rule1 = JSON.stringify({ symbol: 'MSFT', condition: { kind: 'price-above', threshold: latest.price / 2 }, note: 'e2e' });
    const refused = await fetch(`${base}/v1/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: rule1 });
    assert.equal(refused.status, 401, 'the WebSocket token does not change alert rules');
    assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const created = await fetch(`${base}/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: rule1,
    });
    assert.equal(created.status, 201, await created.clone().text());
    const rule = (await created.json()) as { id: string };
    await waitFor(() => notifications.messages.some((message) => message.type === 'alert' && message.ruleId === rule.id), 'the alert firing on /ws/notifications', 20_000);
    const bad = await fetch(`${base}/v1/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ symbol: 'MSFT', condition: { kind: 'price-above', threshold: -1 } }) });
    assert.equal(bad.status, 400);

    // Still above the threshold on every later trade: no second firing of the same crossing.
    const trades = () => stream.messages.filter((message) => message.type === 'trade').length;
    const seen = trades();
    await waitFor(() => trades() > seen + 50, 'more trades', 20_000);
    assert.equal(notifications.messages.filter((message) => message.type === 'alert' && message.ruleId === rule.id).length, 1, 'once per crossing');

    const closed = new Promise<number>((resolve) => notifications.socket.once('close', (code) => resolve(code)));
    cli.child.kill('SIGINT');
    assert.equal(await within(closed, 15_000, 'the socket closed on shutdown'), 1001);
    assert.equal(await within(cli.exited, 20_000, 'shutdown after SIGINT'), 0);
  });
});
