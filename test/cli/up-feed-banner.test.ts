import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';

const dataDirs: string[] = [];
const clis: RunningCli[] = [];
let simulator: FinnhubSimulator | undefined;
after(async () => {
  for (const cli of clis) cli.child.kill('SIGKILL');
  await simulator?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

async function up(env: Record<string, string>): Promise<RunningCli> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-feed-banner-'));
  dataDirs.push(dataDir);
  const cli = startCli(['up'], { PORT: String(await freePort()), TICKFLOW_DATA_DIR: dataDir, TICKFLOW_SYMBOLS: 'AAPL', ...env });
  clis.push(cli);
  return cli;
}

it('with a key but no connection, the banner says the feed is not connected and why, and a later line says when it connects', async () => {
  const feedPort = await freePort();
  const cli = await up({ FINNHUB_API_KEY: 'k3y-not-shown', FINNHUB_WS_URL: `ws://127.0.0.1:${feedPort}` });
  await waitFor(() => cli.stdout().includes('Ctrl-C drains and stops'), 'the banner', 45_000);
  const lines = cli.stdout().split('\n');
  assert.equal(lines[0], 'tickflow is up: 1 symbol from live Finnhub, on the embedded bus');
  assert.match(lines[1] ?? '', new RegExp(`^  feed     NOT connected to ws://127\\.0\\.0\\.1:${feedPort}\\S* yet: connect ECONNREFUSED 127\\.0\\.0\\.1:${feedPort}; retrying, /readyz stays 503 until it connects$`));

  simulator = await createFinnhubSimulator({ port: feedPort });
  await waitFor(() => /\nfeed connected to ws:\/\/127\.0\.0\.1:\d+\S* after [\d.]+ s more\n/.test(cli.stdout()), 'the line saying the feed connected', 30_000);
  assert.doesNotMatch(cli.stdout() + cli.stderr(), /k3y-not-shown/);
});

it('with a key the feed refuses, the banner says why it is not connected and tickflow exits 1', async () => {
  simulator ??= await createFinnhubSimulator({ port: 0 });
  const cli = await up({ FINNHUB_API_KEY: 'bad', FINNHUB_WS_URL: simulator.url });
  assert.equal(await within(cli.exited, 45_000, 'tickflow up to stop on a refused key'), 1, cli.stderr());
  const feedLines = cli.stdout().split('\n').filter((line) => line.startsWith('  feed'));
  assert.equal(feedLines.length, 1, cli.stdout());
  assert.match(feedLines[0] ?? '', /^ {2}feed {5}NOT connected to ws:\/\/127\.0\.0\.1:\d+\S*: .*(401|key|token)/i);
});
