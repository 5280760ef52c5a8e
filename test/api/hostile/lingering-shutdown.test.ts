/**
 * Clients that hold sockets open cannot hold a shutdown: a request whose headers never finish, a
 * request whose body never finishes, an idle kept-alive socket and a plain TCP connection that sends
 * nothing. Ctrl-C stops `tickflow up` well within its shutdown bound, with exit status 0.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../../support/cli.ts';
import { waitFor, within } from '../../support/wait.ts';

const sockets: Socket[] = [];
let cli: RunningCli | undefined;
after(() => {
  for (const socket of sockets) socket.destroy();
  cli?.child.kill('SIGKILL');
});

async function open(port: number, first: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  if (first) socket.write(first);
  return socket;
}

it('stops within its bound while clients hold half-sent requests and idle sockets open', async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-linger-'));
  cli = startCli(['up'], { PORT: String(port), TICKFLOW_DATA_DIR: dataDir, TICKFLOW_LOG_LEVEL: 'warn', TICKFLOW_SYMBOLS: 'AAPL', TICKFLOW_SHUTDOWN_TIMEOUT_MS: '20000' });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, 'tickflow up ready', 60_000);

  await open(port, 'GET /healthz HTTP/1.1\r\nHost: tickflow\r\nX-Slow: ');
  await open(port, 'POST /v1/alerts HTTP/1.1\r\nHost: tickflow\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"symbol":');
  const idle = await open(port, 'GET /healthz HTTP/1.1\r\nHost: tickflow\r\n\r\n');
  await new Promise((resolve) => idle.once('data', resolve));
  await open(port, '');

  const signalled = performance.now();
  cli.child.kill('SIGINT');
  const code = await within(cli.exited, 30_000, 'tickflow up to stop');
  const ms = performance.now() - signalled;
  assert.equal(code, 0, cli.stderr());
  assert.doesNotMatch(cli.stderr(), /did not finish/);
  // The shutdown bound is 20 s; a shutdown held by the sockets would take all of it.
  assert.ok(ms < 15_000, `stopped after ${Math.round(ms)} ms`);
  // The embedded store was closed, so its lock is gone and the next start finds the directory free.
  assert.ok(readdirSync(dataDir).length > 0);
  assert.deepEqual(readdirSync(dataDir).filter((name) => name.endsWith('.lock')), []);
  assert.ok(!existsSync(join(dataDir, 'store.lock')));
});
