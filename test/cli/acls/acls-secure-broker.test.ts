import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AclOperations, AclPermissionTypes, Admin, jsonSerializer, Producer, ResourcePatternTypes, ResourceTypes, stringSerializer } from '@platformatic/kafka';
import type { PrincipalGrant } from '../../../src/cli/acls/acl-formats.ts';
import { freePort, startCli, type RunningCli } from '../../support/cli.ts';
import { SecureBroker, type SaslCredentials } from '../../support/secure-broker.ts';
import { waitFor, within } from '../../support/wait.ts';

const PREFIX = 'acl-';
const PASSWORDS = { topics: secret(), archive: secret(), aggregator: secret(), signals: secret() } as const;
type Principal = keyof typeof PASSWORDS;

function secret(): string {
  return randomBytes(12).toString('hex');
}

describe('least-privilege principals on a broker with the ACL authorizer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-acls-'));
  const running: RunningCli[] = [];
  let broker: SecureBroker;
  let admin: Admin;

  before(async () => {
    broker = await SecureBroker.start({ users: PASSWORDS });
    admin = new Admin({ clientId: 'acls-test-admin', ...broker.saslSslConnection() });
  });

  after(async () => {
    for (const cli of running) cli.child.kill('SIGKILL');
    await admin?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function credentials(principal: Principal): SaslCredentials {
    return { mechanism: 'SCRAM-SHA-512', username: principal, password: PASSWORDS[principal] };
  }

  async function environment(principal: Principal): Promise<Record<string, string>> {
    return { ...broker.saslSslEnv(credentials(principal)), TICKFLOW_TOPIC_PREFIX: PREFIX, TICKFLOW_DATA_DIR: dataDir, PORT: String(await freePort()), TICKFLOW_PARTITIONS: '2', TICKFLOW_ARCHIVE_FLUSH_MS: '100' };
  }

  /** What `tickflow acls print <part> --format json` lists for `principal`, less what `withhold` picks. */
  async function printedGrants(part: string, principal: Principal, withhold: (grant: PrincipalGrant) => PrincipalGrant | null = (grant) => grant): Promise<PrincipalGrant[]> {
    const print = startCli(['acls', 'print', part, '--format', 'json', '--principal', `User:${principal}`], await environment(principal));
    assert.equal(await within(print.exited, 30_000, 'acls print'), 0, print.stderr());
    return (JSON.parse(print.stdout()) as PrincipalGrant[]).map(withhold).filter((grant) => grant !== null);
  }

  /** Grants exactly `grants` through the admin API, as the super user. */
  async function grant(grants: readonly PrincipalGrant[]): Promise<void> {
    await admin.createAcls({
      creations: grants.flatMap((entry) =>
        entry.operations.map((operation) => ({
          resourceType: ResourceTypes[entry.resourceType],
          resourceName: entry.name,
          resourcePatternType: ResourcePatternTypes[entry.patternType],
          principal: entry.principal,
          host: '*',
          operation: AclOperations[operation],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ),
    });
  }

  async function publish(topic: string, values: ReadonlyArray<{ symbol: string }>): Promise<void> {
    const producer = new Producer<string, unknown, string, string>({ clientId: 'acls-test-producer', ...broker.saslSslConnection(), serializers: { key: stringSerializer, value: jsonSerializer } });
    try {
      await producer.send({ messages: values.map((value) => ({ topic: `${PREFIX}${topic}`, key: value.symbol, value })) });
    } finally {
      await producer.close();
    }
  }

  function run(part: string, env: Record<string, string>): RunningCli {
    const cli = startCli(['run', part], env);
    running.push(cli);
    return cli;
  }

  it('creates the topics as a principal holding only `acls print topics`', async () => {
    await grant(await printedGrants('topics', 'topics'));
    const create = startCli(['topics', 'create'], await environment('topics'));
    assert.equal(await within(create.exited, 60_000, 'topics create'), 0, create.stderr());
    assert.equal(create.stdout().match(/^created /gm)?.length, 9, create.stdout());
  });

  it('runs the archive with read-only grants: exactly what `acls print archive` lists', async () => {
    const grants = await printedGrants('archive', 'archive');
    assert.ok(grants.every((entry) => !entry.operations.includes('WRITE') && !entry.operations.includes('CREATE')), 'read-only');
    await grant(grants);
    const now = Date.now();
    const trades = ['AAPL', 'MSFT', 'SPY'].map((symbol, index) => ({ type: 'trade', symbol, price: 100 + index, size: 10, tsEvent: now, tsRecv: now }));
    await publish('raw-market-data', trades);

    const env = await environment('archive');
    const archive = run('archive', env);
    const file = join(dataDir, 'archive', `${PREFIX}raw-market-data`, `${new Date(now).toISOString().slice(0, 10)}.jsonl`);
    const archived = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { value: { symbol: string } }).value.symbol) : []);
    await waitFor(() => archived().length === 3, `the archive to write ${file} (stderr: ${archive.stderr().slice(-2000)})`, 60_000);
    assert.deepEqual(archived().sort(), ['AAPL', 'MSFT', 'SPY']);
    archive.child.kill('SIGTERM');
    assert.equal(await within(archive.exited, 30_000, 'archive to stop'), 0, archive.stderr());
    assert.doesNotMatch(archive.stderr() + archive.stdout(), /denied/i);
  });

  it('runs the exactly-once aggregator with what `acls print aggregator` lists: its state topic and prefixed transactional ids', async () => {
    await grant(await printedGrants('aggregator', 'aggregator'));
    const now = Date.now();
    await publish('raw-market-data', Array.from({ length: 5 }, (_, seq) => ({ type: 'trade', source: 'acls-test', symbol: 'NVDA', price: 500 + seq, size: 10, conditions: null, tsEvent: now + seq, tsRecv: now + seq, seq })));

    const port = await freePort();
    const aggregator = run('aggregator', { ...(await environment('aggregator')), PORT: String(port), TICKFLOW_PUBLISH_EVERY: '1', TICKFLOW_INSTANCE_ID: 'acls-1' });
    type Status = { consumers?: Array<{ name: string; failures: number; stats: Record<string, number> }> };
    // Until the processors run, the port answers 503 with what it is starting.
    const aggregatorStatus = async () => ((await (await fetch(`http://127.0.0.1:${port}/status`).catch(() => null))?.json().catch(() => null)) as Status | null)?.consumers?.find((consumer) => consumer.name === 'aggregator');
    await waitFor(async () => ((await aggregatorStatus())?.stats.metrics ?? 0) >= 5, `the aggregator to publish metrics (stderr: ${aggregator.stderr().slice(-2000)})`, 60_000);
    assert.equal((await aggregatorStatus())?.failures, 0);
    aggregator.child.kill('SIGTERM');
    assert.equal(await within(aggregator.exited, 30_000, 'aggregator to stop'), 0, aggregator.stderr());
    assert.doesNotMatch(aggregator.stderr() + aggregator.stdout(), /denied/i);
  });

  it('stops signals whose principal lacks WRITE on its output, naming the topic', async () => {
    const output = `${PREFIX}trading-signals`;
    const grants = await printedGrants('signals', 'signals', (entry) => (entry.name === output ? { ...entry, operations: entry.operations.filter((operation) => operation !== 'WRITE') } : entry));
    assert.ok(grants.some((entry) => entry.name === output), 'still allowed to describe it');
    await grant(grants);
    // 0.5 % above the window's VWAP: the default vwap-deviation strategy (0.1 %) sells.
    const now = Date.now();
    await publish('aggregated-metrics', [
      { type: 'window-metrics', symbol: 'AAPL', window: 20, count: 20, vwap: 10, avg: 10.05, min: 10, max: 10.05, first: 10.05, last: 10.05, changePct: 0, volume: 1_000, tsStart: now - 500, tsEvent: now, tsRecv: now } as { symbol: string },
    ]);

    const signals = run('signals', await environment('signals'));
    assert.equal(await within(signals.exited, 90_000, 'signals to stop'), 1, signals.stderr());
    assert.ok(signals.stderr().includes(`tickflow: Kafka denied WRITE on topic '${output}' to this client: grant it (see \`tickflow acls print signals\`)`), signals.stderr());
  });
});
