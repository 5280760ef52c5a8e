import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startCli } from '../support/cli.ts';
import { within } from '../support/wait.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-port-in-use-'));
const holder = createServer();
after(async () => {
  await new Promise((resolve) => holder.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

it('tickflow up on a port in use exits 2 with one line naming the port, before ingesting or locking the store', async () => {
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  const cli = startCli(['up'], { PORT: String(port), TICKFLOW_DATA_DIR: dataDir });
  assert.equal(await within(cli.exited, 15_000, 'exit on a port in use'), 2, cli.stderr());
  assert.equal(cli.stderr().trim(), `tickflow: PORT ${port} on 127.0.0.1 is already in use: stop what holds it, or set PORT to another port`);
  assert.equal(existsSync(join(dataDir, 'store', 'store.lock')), false, 'no store lock left');
  assert.deepEqual(readdirSync(dataDir), [], 'nothing written');
});
