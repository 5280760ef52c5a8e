import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';

const running: RunningCli[] = [];
after(() => {
  for (const cli of running) cli.child.kill('SIGKILL');
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function jsonLines(path: string): Array<{ partition: number; offset: number; key: string; value: Record<string, unknown> }> {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('tickflow up (embedded)', () => {
  it('streams simulated trades through the pipeline, serves health, and drains on Ctrl-C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-up-'));
    const port = await freePort();
    const cli = startCli(['up'], { PORT: String(port), TICKFLOW_DATA_DIR: dataDir, TICKFLOW_SIM_RATE: '400', TICKFLOW_ARCHIVE_FLUSH_MS: '100' });
    running.push(cli);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await getJson(`${base}/readyz`).catch(() => ({ status: 0 }))).status === 200, 'readyz 200', 20_000);
    assert.match(cli.stdout(), new RegExp(`${base}/healthz`));
    assert.equal((await getJson(`${base}/healthz`)).body.status, 'ok');

    await waitFor(async () => {
      const { body } = await getJson(`${base}/status`);
      const consumers = body.consumers as Array<{ name: string; stats: Record<string, number> }>;
      const aggregator = consumers.find((consumer) => consumer.name === 'aggregator');
      return (body.trades as number) > 200 && (aggregator?.stats.metrics ?? 0) > 5 && (aggregator?.stats.bars ?? 0) > 0;
    }, 'trades, metrics and closed 1 s bars', 20_000);

    cli.child.kill('SIGINT');
    assert.equal(await within(cli.exited, 15_000, 'shutdown after SIGINT'), 0);
    assert.match(cli.stderr(), /shutdown complete/);

    const day = new Date().toISOString().slice(0, 10);
    const raw = jsonLines(join(dataDir, 'archive', 'raw-market-data', `${day}.jsonl`));
    const trades = raw.filter((line) => line.value.type === 'trade');
    assert.ok(trades.length > 200, `archived ${trades.length} trades`);
    const ids = new Set(trades.map((line) => `${line.value.source}:${line.value.seq}`));
    assert.equal(ids.size, trades.length, 'every trade has its own identity');
    assert.ok(trades.every((line) => line.key === line.value.symbol));
    // Drained: every trade the feed published reached the archive (the shutdown gaps come last).
    const gaps = raw.filter((line) => line.value.type === 'gap' && line.value.reason === 'shutdown');
    assert.ok(gaps.length > 0, 'shutdown gaps archived');

    const metrics = jsonLines(join(dataDir, 'archive', 'aggregated-metrics', `${day}.jsonl`)).map((line) => line.value);
    assert.ok(metrics.some((value) => value.type === 'window-metrics'));
    assert.ok(metrics.some((value) => value.type === 'bar' && value.interval === '1s'));
  });

  it('stops at start-up with a message naming a bad setting', async () => {
    const cli = startCli(['up'], { PORT: 'http', TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-up-')) });
    running.push(cli);
    assert.equal(await within(cli.exited, 15_000, 'exit on bad config'), 2);
    assert.match(cli.stderr(), /invalid configuration:\n\s+PORT: .*"http"/);
  });

  it('stops with a clear error, and without printing the key, when Finnhub rejects the key', async () => {
    const simulator = await createFinnhubSimulator();
    try {
      const cli = startCli(['up'], {
        PORT: String(await freePort()),
        FINNHUB_API_KEY: 'bad',
        FINNHUB_WS_URL: simulator.url,
        TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-up-')),
      });
      running.push(cli);
      assert.equal(await within(cli.exited, 20_000, 'exit on rejected key'), 1);
      const output = cli.stdout() + cli.stderr();
      assert.match(output, /rejected/i);
      assert.doesNotMatch(output, /token=bad/);
      assert.equal(simulator.stats.rejectedUpgrades, 1, 'a rejected key is not retried');
    } finally {
      await simulator.close();
    }
  });
});
