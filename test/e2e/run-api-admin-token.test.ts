import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { KAFKA_BROKERS, requireBroker } from '../support/kafka.ts';
import { waitFor, within } from '../support/wait.ts';

let api: RunningCli | undefined;

after(async () => {
  if (api && api.child.exitCode === null) {
    api.child.kill('SIGINT');
    await within(api.exited, 30_000, 'run api stopping').catch(() => api?.child.kill('SIGKILL'));
  }
});

describe('tickflow run api: the admin token in distributed mode', () => {
  before(() => requireBroker());

  it('without TICKFLOW_ADMIN_TOKEN generates one into its data directory, logs where (never the token), and changes need it', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-run-api-'));
    api = startCli(['run', 'api'], {
      PORT: String(port),
      TICKFLOW_DATA_DIR: dataDir,
      KAFKA_BROKERS: KAFKA_BROKERS.join(','),
      TICKFLOW_TOPIC_PREFIX: `e2e-${randomBytes(4).toString('hex')}-`,
      TICKFLOW_PARTITIONS: '1',
      TICKFLOW_LOG_LEVEL: 'info',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 'run api ready', 40_000);

    const file = join(dataDir, 'admin-token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    await waitFor(() => api!.stderr().includes('running on Kafka'), 'the start-up line', 10_000);
    assert.ok(api.stderr().includes(`"adminTokenIn":${JSON.stringify(file)}`), `the log says where the token is:\n${api.stderr().slice(-2000)}`);

    const rule = JSON.stringify({ symbol: 'AAPL', condition: { kind: 'price-above', threshold: 1_000_000 } });
    const refused = await fetch(`${base}/v1/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rule });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="tickflow"');
    const created = await fetch(`${base}/v1/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: rule });
    assert.equal(created.status, 201, await created.clone().text());
    assert.equal((await fetch(`${base}/v1/alerts`)).status, 200, 'reads stay open');

    api.child.kill('SIGINT');
    assert.equal(await within(api.exited, 30_000, 'run api stopping'), 0);
    assert.ok(!api.stderr().includes(token) && !api.stdout().includes(token), 'the token is never printed');
  });
});
