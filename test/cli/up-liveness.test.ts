import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';

// A "broker" that accepts connections and never answers: creating the topics hangs, as a slow start does.
const sockets = new Set<Socket>();
const silentBroker = createServer((socket) => {
  sockets.add(socket);
  socket.on('error', () => {});
});
const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-liveness-'));
let cli: RunningCli;
let base: string;

before(async () => {
  await new Promise<void>((resolve) => silentBroker.listen(0, '127.0.0.1', resolve));
  const brokerPort = (silentBroker.address() as { port: number }).port;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  cli = startCli(['up', '--bus', 'kafka'], { PORT: String(port), TICKFLOW_DATA_DIR: dataDir, KAFKA_BROKERS: `127.0.0.1:${brokerPort}` });
});

after(async () => {
  cli.child.kill('SIGKILL');
  await cli.exited;
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silentBroker.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; type: string; body: Record<string, unknown> } | null> {
  try {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
  } catch {
    return null;
  }
}

it('answers /healthz while the pipeline is still starting, and /readyz 503 saying what it waits for', async () => {
  await waitFor(async () => (await get('/healthz'))?.status === 200, '/healthz to answer 200 while Kafka does not answer', 30_000);
  const ready = await get('/readyz');
  assert.equal(ready?.status, 503);
  assert.deepEqual(ready?.body.ready, false);
  assert.match(String((ready?.body.reasons as string[])[0]), /^starting: (opening the store|starting the feed|creating the topics on Kafka at 127\.0\.0\.1:\d+)$/);
  const other = await get('/v1/symbols');
  assert.equal(other?.status, 503);
  assert.match(other?.type ?? '', /^application\/problem\+json/);
  assert.match(String(other?.body.detail), /^tickflow is not ready yet \((opening the store|starting the feed|creating the topics on Kafka at 127\.0\.0\.1:\d+)\); try again shortly$/);
  assert.equal(cli.stdout(), '', 'no banner before the pipeline is up');
});

