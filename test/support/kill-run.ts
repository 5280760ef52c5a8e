import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trade } from '../../src/model/trade.ts';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { createStore } from '../../src/store/create-store.ts';
import { freePort, startCli, type RunningCli } from './cli.ts';
import { waitFor, within } from './wait.ts';

export const KILL_RATE = 10_000;
/** Children still running when a run failed half-way; the caller kills them. */
export const running: RunningCli[] = [];

interface Status {
  trades: number;
  source: { records: number; connected: boolean } | null;
  consumers: Array<{ name: string; lag: number }>;
}

async function status(port: number): Promise<Status | null> {
  const response = await fetch(`http://127.0.0.1:${port}/status`).catch(() => null);
  return response?.ok ? ((await response.json()) as Status) : null;
}

async function up(env: Record<string, string>): Promise<{ cli: RunningCli; port: number }> {
  const port = await freePort();
  const cli = startCli(['up'], { ...env, PORT: String(port) });
  running.push(cli);
  await waitFor(async () => (await status(port)) !== null, 'up serving /status', 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${cli.stderr()}`);
  });
  return { cli, port };
}

function archivedTrades(dataDir: string): Trade[] {
  const dir = join(dataDir, 'archive', 'raw-market-data');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { value: Trade }).value)
      .filter((value) => value.type === 'trade'),
  );
}

export interface KillOutcome {
  /** Trades the feed had read and handed on when it was killed (its status, asked just before). */
  readonly received: number;
  /** Trades per second the feed handed on over the second before the kill. */
  readonly rate: number;
  readonly archived: number;
  readonly archivedLines: number;
  readonly stored: number;
}

/**
 * `tickflow up` reads a simulator sending KILL_RATE trades/s (10 ms frames, as Finnhub sends them)
 * and is killed -9 the moment its status says the feed handed on 5,000 trades; the simulator goes
 * silent then. With the journal, a second `up` on the same data directory starts, catches up and
 * stops. Then the archive and the store are counted. What the feed handed on is the measure of what
 * was received: a busy machine ingests less than KILL_RATE (the feed pauses its socket and the
 * simulator's sends queue up unread), so what the simulator sent is not. `firstRunEnv` is added to
 * the killed run's environment only.
 */
export async function killAndRestart(journal: 'on' | 'off', firstRunEnv: Record<string, string> = {}): Promise<KillOutcome> {
  const simulator = await createFinnhubSimulator({ tradesPerSecond: KILL_RATE, frameIntervalMs: 10 });
  try {
    return await killAndCount(simulator, journal, firstRunEnv);
  } finally {
    await simulator.close();
  }
}

async function killAndCount(simulator: FinnhubSimulator, journal: 'on' | 'off', firstRunEnv: Record<string, string>): Promise<KillOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-kill-'));
  const env = { TICKFLOW_DATA_DIR: dataDir, TICKFLOW_SIMULATOR_URL: simulator.url, TICKFLOW_JOURNAL: journal, TICKFLOW_LOG_LEVEL: 'warn' };

  const first = await up({ ...env, ...firstRunEnv });
  const samples: Array<{ at: number; received: number }> = [];
  await waitFor(
    async () => {
      const received = (await status(first.port))?.source?.records ?? 0;
      if (received < 5_000) {
        samples.push({ at: performance.now(), received });
        return false;
      }
      first.cli.child.kill('SIGKILL');
      simulator.faults.goSilent(600_000);
      samples.push({ at: performance.now(), received });
      return true;
    },
    '5,000 trades through the first run',
    60_000,
  );
  const last = samples.at(-1)!;
  const secondBefore = samples.findLast((sample) => sample.at <= last.at - 1_000) ?? samples[0]!;
  const received = last.received;
  const rate = Math.round(((last.received - secondBefore.received) * 1_000) / (last.at - secondBefore.at));
  await within(first.cli.exited, 10_000, 'the killed run to exit');

  // Without the journal nothing is published again: the archive and the store hold what they held.
  if (journal === 'on') await restartAndStop(env);
  return { received, rate, ...(await countStored(dataDir)) };
}

async function restartAndStop(env: Record<string, string>): Promise<void> {
  const second = await up(env);
  await waitFor(
    async () => {
      const now = await status(second.port);
      // The feed connects only once the journal was published again: before that, no lag is no news.
      return now?.source?.connected === true && now.consumers.every((consumer) => consumer.lag === 0);
    },
    'the restarted run to publish the journal and catch up',
    30_000,
  );
  second.cli.child.kill('SIGINT');
  assert.equal(await within(second.cli.exited, 30_000, 'the restarted run to stop'), 0, second.cli.stderr());
}

async function countStored(dataDir: string): Promise<{ archived: number; archivedLines: number; stored: number }> {
  const trades = archivedTrades(dataDir);
  const archived = new Set(trades.map((trade) => `${trade.source}:${trade.seq}`)).size;
  const store = await createStore({ databaseUrl: undefined, dataDir });
  try {
    const stored = (await store.symbols()).reduce((sum, symbol) => sum + symbol.tradeCount, 0);
    return { archived, archivedLines: trades.length, stored };
  } finally {
    await store.close();
  }
}

