import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { postgresConnection } from '../../src/store/postgres-tls.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { startTlsPostgres, type TlsPostgres } from '../support/tls-postgres.ts';
import { waitFor, within } from '../support/wait.ts';

let server: TlsPostgres;
const running: RunningCli[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-pgtls-e2e-'));
before(async () => {
  server = await startTlsPostgres();
});
after(async () => {
  for (const cli of running) cli.child.kill('SIGKILL');
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function storedTrades(url: string): Promise<number> {
  const client = new pg.Client(postgresConnection(url));
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM trades');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

function neverShowsThePassword(cli: RunningCli): void {
  for (const output of [cli.stdout(), cli.stderr()]) {
    assert.ok(!output.includes(server.password) && !output.includes(encodeURIComponent(server.password)), `the password was printed:\n${output.slice(-2000)}`);
  }
}

describe('tickflow on PostgreSQL over TLS', () => {
  it('tickflow up stores the simulated trades through verify-full (PGSSLMODE, PGSSLROOTCERT), and never prints the password', async () => {
    const port = await freePort();
    const plainUrl = server.url('127.0.0.1', {});
    const cli = startCli(['up'], {
      PORT: String(port),
      TICKFLOW_DATA_DIR: join(dataDir, 'up'),
      TICKFLOW_SIM_RATE: '200',
      TICKFLOW_STORE_FLUSH_MS: '100',
      TICKFLOW_LOG_LEVEL: 'debug',
      DATABASE_URL: plainUrl,
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: server.caFile,
    });
    running.push(cli);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, 'readyz 200', 30_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${cli.stderr().slice(-3000)}\n${server.log().slice(-2000)}`);
    });
    const verified = server.url('127.0.0.1', { sslmode: 'verify-full', sslrootcert: server.caFile });
    await waitFor(async () => (await storedTrades(verified)) > 20, 'trades stored over TLS', 20_000);
    cli.child.kill('SIGINT');
    assert.equal(await within(cli.exited, 20_000, 'shutdown after SIGINT'), 0, cli.stderr().slice(-2000));
    neverShowsThePassword(cli);
  });

  it('tickflow run storage with a CA that did not sign the server’s certificate stops at start-up with one clear line', async () => {
    const cli = startCli(['run', 'storage'], {
      TICKFLOW_DATA_DIR: join(dataDir, 'storage'),
      DATABASE_URL: server.url('127.0.0.1', { sslmode: 'verify-full', sslrootcert: server.foreignCaFile }),
    });
    running.push(cli);
    assert.equal(await within(cli.exited, 20_000, 'exit on an untrusted certificate'), 1, cli.stderr());
    assert.match(cli.stderr(), /^tickflow: cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres\?sslmode=verify-full&sslrootcert=\S+: the server's TLS certificate is not signed by a CA tickflow trusts \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\): give the CA that signed it with sslrootcert=\/path\/to\/ca\.pem$/m);
    neverShowsThePassword(cli);
  });
});
