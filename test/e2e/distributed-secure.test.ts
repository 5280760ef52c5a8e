import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RUNNABLE } from '../../src/cli/commands/run.ts';
import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';
import { createStream, readAll, startKinesalite, TEST_CREDENTIALS } from '../processors/kinesis/kinesis-support.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { freshDatabase } from '../support/database.ts';
import { SecureBroker } from '../support/secure-broker.ts';
import { waitFor, within } from '../support/wait.ts';

const running: RunningCli[] = [];
let broker: SecureBroker | undefined;
before(async () => {
  broker = await SecureBroker.start();
});
after(async () => {
  for (const cli of running) cli.child.kill('SIGKILL');
  await broker?.stop();
});

async function statusOf(port: number): Promise<PipelineStatus | null> {
  const response = await fetch(`http://127.0.0.1:${port}/status`).catch(() => null);
  return response?.ok ? ((await response.json()) as PipelineStatus) : null;
}

/** What shows a part did its work: the feed published, every consumer was handed records. */
function working(part: string, current: PipelineStatus | null): boolean {
  if (!current) return false;
  if (part === 'ingest') return (current.source?.records ?? 0) > 0;
  return current.consumers.length > 0 && current.consumers.every((consumer) => consumer.processed > 0);
}

describe('distributed mode on Kafka over SASL_SSL', () => {
  it('runs every processor as its own process over SASL_SSL with SCRAM-SHA-512, no secret in any output', async () => {
    const secure = broker!;
    const prefix = `secure-${randomBytes(4).toString('hex')}-`;
    const kinesis = await startKinesalite();
    const stream = `${prefix}raw`;
    await createStream(kinesis.client, stream, 1);
    const database = await freshDatabase();
    // A Finnhub REST stand-in: the API's answer for a symbol without fresh trades goes on price-events, the moving averages' input.
    const finnhub = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ c: 101.5, t: Math.floor(Date.now() / 1000) })));
    await new Promise<void>((resolve) => finnhub.listen(0, '127.0.0.1', resolve));
    const env = {
      ...secure.saslSslEnv(),
      TICKFLOW_TOPIC_PREFIX: prefix,
      TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-secure-')),
      DATABASE_URL: database.url,
      TICKFLOW_SIM_RATE: '200',
      TICKFLOW_SYMBOLS: 'AAPL,MSFT',
      TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 2, slow: 4, interval: '1s' }] }),
      TICKFLOW_LOG_LEVEL: 'info',
      KINESIS_STREAM: stream,
      KINESIS_ENDPOINT: kinesis.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    };
    try {
      const create = startCli(['topics', 'create', '--partitions', '2'], { ...env, PORT: '0' });
      assert.equal(await within(create.exited, 60_000, 'topics create'), 0, create.stderr());

      const parts: Array<{ part: string; cli: RunningCli; port: number }> = [];
      for (const part of [...RUNNABLE].reverse()) {
        const port = await freePort();
        const quotes: Record<string, string> = part === 'api' ? { FINNHUB_API_KEY: 'test-key', FINNHUB_REST_URL: `http://127.0.0.1:${(finnhub.address() as AddressInfo).port}`, QUOTE_PROVIDERS: 'finnhub' } : {};
        const cli = startCli(['run', part], { ...env, ...quotes, PORT: String(port), TICKFLOW_INSTANCE_ID: `${prefix}${part}` });
        running.push(cli);
        parts.push({ part, cli, port });
      }
      const lastStatus = new Map<string, PipelineStatus | null>();
      const status = async (part: string, port: number) => {
        lastStatus.set(part, await statusOf(port));
        return lastStatus.get(part) ?? null;
      };
      for (const { part, port, cli } of parts) {
        await waitFor(async () => working(part, await status(part, port)), `${part} working over SASL_SSL`, 120_000).catch((error: Error) =>
          assert.fail(`${error.message}: ${JSON.stringify(lastStatus.get(part))}\n${cli.stderr().slice(-3_000)}`),
        );
        if (part === 'api') {
          const quote = await fetch(`http://127.0.0.1:${port}/v1/prices/latest?symbol=IBM`);
          assert.equal(quote.status, 200, await quote.clone().text());
          assert.equal(((await quote.json()) as { source: string }).source, 'finnhub');
        }
      }
      await waitFor(async () => (await readAll(kinesis.client, stream)).length > 0, 'raw trades in Kinesis', 30_000);
      // The storage processor writes a batch once 500 records wait or the oldest waited a second.
      await waitFor(async () => (await database.query('SELECT count(*)::int AS n FROM trades')).n > 0, 'trades stored', 30_000);

      for (const { cli } of parts) cli.child.kill('SIGINT');
      for (const { cli, part } of parts) assert.equal(await within(cli.exited, 40_000, `${part} to stop`), 0, cli.stderr());
      for (const { cli, part } of [...parts, { cli: create, part: 'topics create' }]) {
        assert.ok(!`${cli.stdout()}${cli.stderr()}`.includes(secure.adminCredentials.password), `${part} printed the SASL password`);
      }
    } finally {
      finnhub.close();
      await kinesis.close();
      await database.drop();
    }
  });

  it('stops a processor at start-up within seconds on a wrong password, saying which variables to fix and not the password', async () => {
    const secure = broker!;
    const password = `wrong-${randomBytes(8).toString('hex')}`;
    const startedAt = Date.now();
    const cli = startCli(['run', 'aggregator'], {
      ...secure.saslSslEnv({ ...secure.adminCredentials, password }),
      TICKFLOW_TOPIC_PREFIX: `secure-${randomBytes(4).toString('hex')}-`,
      PORT: '0',
      TICKFLOW_LOG_LEVEL: 'trace',
    });
    running.push(cli);
    assert.notEqual(await within(cli.exited, 20_000, 'the refused processor to exit'), 0);
    assert.ok(Date.now() - startedAt < 20_000, `exited after ${Date.now() - startedAt} ms`);
    assert.match(cli.stderr(), new RegExp(`Kafka at ${secure.saslSslBrokers} rejected the SASL/SCRAM-SHA-512 credentials of user 'admin' \\(check KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD`));
    assert.ok(!`${cli.stdout()}${cli.stderr()}`.includes(password), 'the password is printed');
  });

  it('creates the topics over mutual TLS, the certificate naming the principal', async () => {
    const secure = broker!;
    const cli = startCli(['topics', 'create', '--partitions', '1'], { ...secure.sslEnv(await secure.clientCertificate('admin')), TICKFLOW_TOPIC_PREFIX: `mtls-${randomBytes(4).toString('hex')}-`, PORT: '0' });
    assert.equal(await within(cli.exited, 60_000, 'topics create over mTLS'), 0, cli.stderr());
    assert.match(cli.stdout(), /^created /m);
  });
});
