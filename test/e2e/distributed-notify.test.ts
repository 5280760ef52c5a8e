import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { ADMIN, ADMIN_TOKEN } from '../support/admin.ts';
import { freshDatabase } from '../support/database.ts';
import { freePort, startCli, stuckReport, type RunningCli } from '../support/cli.ts';
import { KAFKA_BROKERS, requireBroker } from '../support/kafka.ts';
import { waitFor, within } from '../support/wait.ts';
import { openCollecting } from '../support/ws-client.ts';

const running: RunningCli[] = [];
const sockets: WebSocket[] = [];
after(() => {
  for (const socket of sockets) socket.terminate();
  for (const cli of running) cli.child.kill('SIGKILL');
});

async function collect(url: string): Promise<Array<Record<string, unknown>>> {
  const { socket, messages } = await openCollecting(url);
  sockets.push(socket);
  return messages;
}

const signalKey = (message: Record<string, unknown>) => `${message.strategy}|${message.symbol}|${message.tsEvent}|${message.side}`;

describe('signals and notifications in distributed mode on Kafka', () => {
  before(() => requireBroker());

  it('runs signals and alerts as their own processes; every notify instance delivers every signal and firing to its own clients', async () => {
    const prefix = `e2e-${randomBytes(4).toString('hex')}-`;
    const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-notify-'));
    const env = {
      TICKFLOW_TOPIC_PREFIX: prefix,
      TICKFLOW_DATA_DIR: dataDir,
      KAFKA_BROKERS: KAFKA_BROKERS.join(','),
      TICKFLOW_SIM_RATE: '300',
      TICKFLOW_SYMBOLS: 'AAPL,MSFT,NVDA',
      TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 2, slow: 4, interval: '1s' }] }),
      TICKFLOW_LOG_LEVEL: 'warn',
      TICKFLOW_ALERTS_RELOAD_MS: '200',
      // One admin token for every process, as distributed deployments set it.
      TICKFLOW_ADMIN_TOKEN: ADMIN_TOKEN,
    };
    const database = await freshDatabase();
    const create = startCli(['topics', 'create', '--partitions', '2'], { ...env, PORT: '0' });
    assert.equal(await within(create.exited, 30_000, 'topics create'), 0, create.stderr());

    const parts = [];
    const layout = [['notify', 'a'], ['notify', 'b'], ['api', 'api'], ['alerts', 'alerts'], ['signals', 'signals'], ['aggregator', 'aggregator'], ['ingest', 'ingest']] as const;
    for (const [part, instance] of layout) {
      const port = await freePort();
      const cli = startCli(['run', part], { ...env, PORT: String(port), TICKFLOW_INSTANCE_ID: `${prefix}${instance}`, DATABASE_URL: database.url });
      running.push(cli);
      parts.push({ part, instance, cli, port });
    }
    for (const { port, instance } of parts) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, `${instance} ready`, 40_000);
    }
    const [a, b] = await Promise.all(parts.filter(({ part }) => part === 'notify').map(({ port }) => collect(`ws://127.0.0.1:${port}/ws/notifications`)));
    const signalsOf = (messages: Array<Record<string, unknown>>) => new Set(messages.filter((message) => message.type === 'signal').map(signalKey));
    await waitFor(() => signalsOf(a!).size >= 3, 'signals reach the clients of instance a', 60_000);
    // Both instances read every partition in groups of their own: b's client sees what a's sees.
    const fromA = [...signalsOf(a!)].slice(0, 3);
    await waitFor(() => fromA.every((key) => signalsOf(b!).has(key)), 'the same signals at instance b', 20_000);

    // A rule created through the API process is evaluated by the alerts process; its firing
    // reaches the clients of both notify instances, and the API lists it from PostgreSQL.
    const api = `http://127.0.0.1:${parts.find(({ part }) => part === 'api')!.port}`;
    const created = await fetch(`${api}/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN },
      body: JSON.stringify({ symbol: 'NVDA', condition: { kind: 'price-above', threshold: 0.01 } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    const firingsOf = (messages: Array<Record<string, unknown>>) => messages.filter((message) => message.type === 'alert' && message.ruleId === id);
    await waitFor(() => firingsOf(a!).length > 0 && firingsOf(b!).length > 0, 'the firing at both instances', 30_000);
    await waitFor(async () => {
      const { firings } = (await (await fetch(`${api}/v1/alerts/firings?ruleId=${id}`)).json()) as { firings: unknown[] };
      return firings.length === 1;
    }, 'the firing stored once', 10_000);

    for (const { cli } of parts.reverse()) cli.child.kill('SIGINT');
    // Longer than each process's own shutdown bound (20 s), so a process that overruns it exits 1 with its stderr shown.
    for (const { cli, instance } of parts) {
      const code = await within(cli.exited, 30_000, `${instance} to stop`).catch(async (error: Error) => assert.fail(`${error.message}: ${await stuckReport(cli)}`));
      assert.equal(code, 0, cli.stderr());
    }
    assert.equal(firingsOf(a!).length, 1, 'once per crossing: the price stayed above the threshold');
    await database.drop();
  });
});
