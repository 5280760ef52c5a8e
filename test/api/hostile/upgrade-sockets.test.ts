/**
 * A hostile client's `Connection: Upgrade` to routes that are not WebSocket endpoints: every such
 * socket must be closed by the server once answered, or a few thousand exhaust the descriptors.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { buildApp } from '../../../src/api/app.ts';
import { NotificationHub } from '../../../src/notify/notification-hub.ts';
import { idleStatus } from '../../support/pipeline-status.ts';
import { within } from '../../support/wait.ts';

const REQUESTS = 2_000;
const AT_ONCE = 200;
/** The server answers at once; a socket still open this long after its answer was leaked. */
const CLOSE_WITHIN_MS = 5_000;


const openDescriptors = () => readdirSync('/proc/self/fd').length;

/** Sends an upgrade request and resolves with whether the server closed the socket after answering. */
function upgradeRequest(port: number, path: string): Promise<{ answered: boolean; closedByServer: boolean }> {
  return new Promise((resolve) => {
    let answered = false;
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: tickflow\r\nConnection: Upgrade\r\nUpgrade: foo\r\n\r\n`));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answered, closedByServer: false });
    }, CLOSE_WITHIN_MS);
    socket.on('data', () => (answered = true));
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answered, closedByServer: true });
    });
    socket.on('error', () => {});
  });
}

describe('upgrade requests to routes that do not upgrade', () => {
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    app = await buildApp({ status: idleStatus, notify: { hub: new NotificationHub(), instance: 'hostile-1' } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  // A leaked socket would hold close() forever: bounded, so a regression fails instead of hanging.
  after(() => within(app.close(), 10_000, 'app.close()'));

  it(`closes every socket of ${REQUESTS} such requests, and descriptors come back`, async () => {
    const before = openDescriptors();
    const paths = ['/healthz', '/readyz', '/ws/other', '/no/such/route', '/docs/json'];
    let leaked = 0;
    let unanswered = 0;
    for (let sent = 0; sent < REQUESTS; sent += AT_ONCE) {
      const results = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => upgradeRequest(port, paths[(sent + i) % paths.length]!)));
      leaked += results.filter((result) => !result.closedByServer).length;
      unanswered += results.filter((result) => !result.answered).length;
    }
    assert.equal(unanswered, 0, 'every request was answered');
    assert.equal(leaked, 0, `sockets the server left open after answering (of ${REQUESTS})`);
    assert.ok(openDescriptors() < before + 50, `descriptors ${before} → ${openDescriptors()}`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'still serving');
  });

  it('still upgrades the WebSocket endpoints', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/stream`);
    const hello = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data)) as { type: string }));
      ws.once('error', reject);
    });
    assert.equal(hello.type, 'hello');
    ws.terminate();
  });
});
