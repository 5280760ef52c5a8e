/**
 * Replays the full SPY day (250,601 real trades, ../shared/data) through the embedded pipeline as
 * fast as possible. Each scenario runs in its own process (so peak memory is its own), in turns,
 * and the figures are reported side by side: the machine is shared and noisy, ratios say more than
 * absolute numbers.
 *
 *   node bench/replay-spy.ts [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SPY = fileURLToPath(new URL('../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip', import.meta.url));
const SCENARIOS = ['read', 'bus', 'signals', 'pipeline'] as const;
type Scenario = (typeof SCENARIOS)[number];

const DESCRIPTIONS: Record<Scenario, string> = {
  read: 'read + parse the zip only (replay source into a sink that drops)',
  bus: 'replay → memory bus → aggregator (window metrics + 1 s/1 min bars)',
  signals: 'replay → memory bus → aggregator → signals (the four default strategies)',
  pipeline: 'replay → memory bus → aggregator + signals + archive (fsync\'d JSON Lines), as `tickflow replay`',
};

interface Result {
  readonly scenario: Scenario;
  readonly trades: number;
  readonly signals: number;
  readonly seconds: number;
  readonly maxRssMb: number;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, scenario: { type: 'string' } } });

if (values.scenario) {
  const { runScenario } = await import('./replay-spy-scenario.ts');
  const result = await runScenario(values.scenario as Scenario, SPY);
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  if (!existsSync(SPY)) throw new Error(`SPY data not found at ${SPY}`);
  const rounds = Number(values.rounds);
  const results: Result[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of SCENARIOS) {
      const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-bench-'));
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', scenario], {
        env: { ...process.env, TICKFLOW_DATA_DIR: dataDir, TICKFLOW_LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      });
      rmSync(dataDir, { recursive: true, force: true });
      if (child.status !== 0) throw new Error(`${scenario} failed:\n${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Result;
      results.push(result);
      process.stderr.write(`round ${round} ${scenario}: ${Math.round(result.trades / result.seconds)} trades/s, ${result.maxRssMb} MB\n`);
    }
  }
  const median = (numbers: number[]) => numbers.sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  const baseline = median(results.filter((r) => r.scenario === 'read').map((r) => r.trades / r.seconds));
  console.log(`| scenario | trades | signals | trades/s (median of ${rounds}) | vs read only | peak RSS (max) |`);
  console.log('|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const mine = results.filter((r) => r.scenario === scenario);
    const rate = median(mine.map((r) => r.trades / r.seconds));
    console.log(`| ${scenario}: ${DESCRIPTIONS[scenario]} | ${mine[0]!.trades} | ${mine[0]!.signals} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / baseline).toFixed(2)}× | ${Math.max(...mine.map((r) => r.maxRssMb))} MB |`);
  }
}
