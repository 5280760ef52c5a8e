import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';

const running: RunningCli[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-accounts-e2e-'));
after(() => {
  for (const cli of running) cli.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Created {
  readonly id: string;
  readonly api_key_id: string;
  readonly secret: string;
  readonly cash: string;
}

/** `tickflow accounts …` to its exit. */
async function accounts(args: readonly string[], env: Record<string, string>): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli = startCli(['accounts', ...args], env);
  running.push(cli);
  const code = await within(cli.exited, 30_000, `tickflow accounts ${args.join(' ')}`);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

async function alpacaAccount(base: string, created: Created): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/v2/account`, { headers: { 'apca-api-key-id': created.api_key_id, 'apca-api-secret-key': created.secret } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('tickflow accounts', () => {
  it('creates an account before the first start (the embedded store directly), then against the running tickflow, whose /v2 takes both keys', async () => {
    const port = await freePort();
    const env = { PORT: String(port), TICKFLOW_DATA_DIR: dataDir, TICKFLOW_SIM_RATE: '20', TICKFLOW_LOG_LEVEL: 'warn' };
    const base = `http://127.0.0.1:${port}`;

    const offline = await accounts(['create', '--cash', '12345.67', '--json'], env);
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stderr, /no tickflow answered; done in the embedded store in .*store directly/);
    const early = JSON.parse(offline.stdout) as Created;
    assert.equal(early.cash, '12345.67');

    const up = startCli(['up'], env);
    running.push(up);
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 'readyz 200', 30_000);
    const tokenFile = join(dataDir, 'admin-token');
    assert.match(up.stdout(), new RegExp(`accounts ${base}/v1/accounts .*admin token in ${tokenFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();

    const earlyAccount = await alpacaAccount(base, early);
    assert.equal(earlyAccount.status, 200);
    assert.equal(earlyAccount.body.id, early.id);
    assert.equal(earlyAccount.body.cash, '12345.67');

    const online = await accounts(['create', '--cash', '5000', '--type', 'cash', '--fees', 'per-share'], env);
    assert.equal(online.code, 0, online.stderr);
    assert.doesNotMatch(online.stderr, /embedded store/);
    const keyId = /^key id +(PK\w+)$/m.exec(online.stdout)?.[1];
    const secret = /^secret +(\w+) /m.exec(online.stdout)?.[1];
    const id = /^account +(\S+) \(cash, cash 5000\)$/m.exec(online.stdout)?.[1];
    assert.ok(keyId && secret && id, online.stdout);
    assert.match(online.stdout, new RegExp(`^export APCA_API_KEY_ID=${keyId} APCA_API_SECRET_KEY=${secret} APCA_API_BASE_URL=${base}$`, 'm'));
    const later = await alpacaAccount(base, { id, api_key_id: keyId, secret, cash: '5000' });
    assert.equal(later.status, 200);
    assert.equal(later.body.cash, '5000');

    const listed = await accounts(['list', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { accounts: Array<{ id: string }> }).accounts.map((account) => account.id), [early.id, id]);
    const table = await accounts(['list'], env);
    assert.match(table.stdout, /^ID +TYPE +CASH +EQUITY +OPEN ORDERS +CREATED$/m);
    assert.match(table.stdout, new RegExp(`^${id} +cash +5000 +5000 +0 +\\d{4}-`, 'm'));

    const reset = await accounts(['reset', early.id], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, new RegExp(`account ${early.id} reset: cash 12345.67`));
    const unknown = await accounts(['reset', 'no-such-account'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no account no-such-account/);

    // The store is held by the running tickflow: asking a port where nothing listens cannot fall back.
    const elsewhere = await accounts(['list', '--url', `http://127.0.0.1:${await freePort()}`], env);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /no tickflow answers at http:\/\/127\.0\.0\.1:\d+, and the embedded store is held by a running process/);

    const wrongToken = await accounts(['list'], { ...env, TICKFLOW_ADMIN_TOKEN: 'not-the-server-token-at-all' });
    assert.equal(wrongToken.code, 2);
    assert.match(wrongToken.stderr, /refused the admin token from TICKFLOW_ADMIN_TOKEN/);
    assert.doesNotMatch(wrongToken.stderr, /not-the-server-token-at-all/);
    const badCash = await accounts(['create', '--cash', '10.001'], env);
    assert.equal(badCash.code, 2);
    assert.match(badCash.stderr, /cash must be a number > 0 .* at most 2 decimals/);

    up.child.kill('SIGINT');
    assert.equal(await within(up.exited, 30_000, 'shutdown after SIGINT'), 0);
    for (const output of [up.stdout(), up.stderr()]) assert.ok(!output.includes(token), 'the admin token is never printed');
  });
});
