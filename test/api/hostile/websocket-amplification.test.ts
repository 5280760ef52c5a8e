/**
 * Issue #11, "WebSocket amplification": clients that flood /ws/stream with subscribes for 1,000
 * symbols and never read. Each used to be answered with its whole subscription set (~38 KB), queued
 * without a byte bound, and kept alive by its own messages: ten of them doubled the server's RSS
 * and held /healthz for seconds. Against the API on a real listener, its hub fed at 2,000 trades/s,
 * they must be closed, RSS must stay near where it was, and /healthz must answer quickly throughout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.ts';
import { NotificationHub } from '../../../src/notify/notification-hub.ts';
import { idleStatus } from '../../support/pipeline-status.ts';
import { trade } from '../../notify/records.ts';
import { within } from '../../support/wait.ts';
import { maskedTextFrame, openUnreadClient, type UnreadClient } from './unread-ws-client.ts';

const CLIENTS = 10;
const SYMBOLS = 1_000;
/** How long the clients may flood; they are closed within a second or two. */
const FLOOD_MS = 20_000;
/**
 * Coarse bounds. Measured on 2 busy cores: RSS +19 to +45 MB and /healthz at worst 0.3 to 1.3 s with
 * the limits in place; without them no client was closed in 20 s, RSS grew by 342 MB and /healthz
 * took 8.1 s.
 */
const MAX_RSS_GROWTH_BYTES = 250 * 1024 * 1024;
const MAX_HEALTHZ_MS = 5_000;
const TRADES_PER_TICK = 20;
const TICK_MS = 10;


async function timedHealthz(port: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(30_000) });
  await response.arrayBuffer();
  assert.equal(response.status, 200);
  return performance.now() - started;
}

describe('clients that flood /ws/stream with subscribes and never read', () => {
  let app: FastifyInstance;
  let hub: NotificationHub;
  let port: number;
  let feed: NodeJS.Timeout;

  before(async () => {
    hub = new NotificationHub();
    app = await buildApp({ status: idleStatus, notify: { hub, instance: 'hostile-1' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    let seq = 0;
    // The bus path (deliverBatch), at 2,000 trades/s over the symbols the clients subscribe to.
    feed = setInterval(() => hub.deliverBatch(Array.from({ length: TRADES_PER_TICK }, () => trade(`HOSTILE${String(seq % SYMBOLS).padStart(4, '0')}`, seq++))), TICK_MS);
  });
  after(async () => {
    clearInterval(feed);
    await within(app.close(), 10_000, 'app.close()');
  });

  it(`closes ${CLIENTS} of them while RSS stays bounded and /healthz answers`, async () => {
    const symbols = ['*', ...Array.from({ length: SYMBOLS - 1 }, (_, n) => `HOSTILE${String(n).padStart(4, '0')}`)];
    const frame = maskedTextFrame(JSON.stringify({ op: 'subscribe', symbols }));
    const clients: UnreadClient[] = await Promise.all(Array.from({ length: CLIENTS }, () => openUnreadClient(port, '/ws/stream')));
    let healthzQuiet = 0;
    for (let n = 0; n < 10; n++) healthzQuiet = Math.max(healthzQuiet, await timedHealthz(port));
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    let healthzWorst = 0;
    let closed = 0;
    let closedAt = 0;
    const floodAt = Date.now();
    void Promise.all(clients.map((client) => client.closed.then(() => closed++))).then(() => (closedAt = Date.now()));
    for (const client of clients) client.flood(frame);

    // Sample while the flood lasts, and for ten samples after the last client is gone.
    const deadline = floodAt + FLOOD_MS;
    for (let afterwards = 0; Date.now() < deadline && afterwards < 10; afterwards += closedAt ? 1 : 0) {
      healthzWorst = Math.max(healthzWorst, await timedHealthz(port));
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const client of clients) client.stop();
    const sent = clients.reduce((sum, client) => sum + client.sent(), 0);
    const growthMb = (rssPeak - rssBefore) / 1024 / 1024;
    console.log(
      `${CLIENTS} clients, ${sent} subscribe frames of ${frame.length} bytes written; ${closed} closed by the server ${closedAt ? `${closedAt - floodAt} ms` : 'not'} into the flood; ` +
        `RSS ${(rssBefore / 1024 / 1024).toFixed(0)} MB, peak +${growthMb.toFixed(0)} MB; /healthz worst ${healthzWorst.toFixed(0)} ms (before the flood ${healthzQuiet.toFixed(0)} ms)`,
    );

    assert.equal(closed, CLIENTS, `clients the server closed within ${FLOOD_MS} ms`);
    assert.ok(rssPeak - rssBefore < MAX_RSS_GROWTH_BYTES, `RSS grew by ${growthMb.toFixed(0)} MB`);
    assert.ok(healthzWorst < MAX_HEALTHZ_MS, `the slowest /healthz took ${healthzWorst.toFixed(0)} ms`);
    const stats = hub.stats();
    assert.equal(stats.rateClosed + stats.unreadClosed, CLIENTS, 'closes counted (Prometheus reads these)');
    assert.equal(stats.streamClients, 0);
  });
});

describe('a client that keeps sending, slowly, and never reads', () => {
  let app: FastifyInstance;
  let hub: NotificationHub;
  let port: number;
  let feed: NodeJS.Timeout;
  const MAX_UNREAD_MS = 1_000;

  before(async () => {
    hub = new NotificationHub({ maxUnreadMs: MAX_UNREAD_MS });
    // A heartbeat far longer than the test: only the unread bytes can drop the client.
    app = await buildApp({ status: idleStatus, notify: { hub, instance: 'hostile-2', heartbeatMs: 60_000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    let seq = 0;
    // ~2 KB trades at 2,000/s: the kernel's buffers for the client fill within seconds.
    const padding = Array.from({ length: 200 }, () => 'padding');
    feed = setInterval(() => hub.deliverBatch(Array.from({ length: TRADES_PER_TICK }, () => trade('AAPL', seq++, { conditions: padding }))), TICK_MS);
  });
  after(async () => {
    clearInterval(feed);
    await within(app.close(), 10_000, 'app.close()');
  });

  it('is closed for not reading, though its messages keep it alive for the heartbeat', async () => {
    const client = await openUnreadClient(port, '/ws/stream');
    client.write(maskedTextFrame(JSON.stringify({ op: 'subscribe', symbols: ['*'] })));
    const subscribeAgain = maskedTextFrame(JSON.stringify({ op: 'subscribe', symbols: ['AAPL'] }));
    const trickle = setInterval(() => client.write(subscribeAgain), 500);
    try {
      const started = Date.now();
      await within(client.closed, FLOOD_MS, 'the server closing the client that does not read');
      console.log(`a client that sends every 500 ms and never reads: closed ${Date.now() - started} ms after subscribing`);
    } finally {
      clearInterval(trickle);
      client.stop();
    }
    assert.equal(hub.stats().unreadClosed, 1);
    assert.equal(hub.stats().rateClosed, 0);
  });
});
