/**
 * Backtests on the real data of ../shared/data, each scenario in its own process (peak memory is
 * its own), in turns; ratios within one run are the figures to trust on a shared machine.
 *
 * - read: the SPY tick day (250,601 trades) read and parsed by the backtest's data layer, events dropped.
 * - tick: the same day through a user strategy (examples/sma-cross.ts on 1-minute bars built from
 *   the ticks) and the paper engine: the issue's target is ≥ 0.5× read.
 * - week-1d / week-5d: minute bars of SPY, AIG, BAC and IBM, one day and five days: wall time and
 *   peak RSS (memory should stay flat in the length of the data).
 * - sweep: 16 parameter combinations over the SPY tick day: one after another (16 runs, each reading
 *   the data, as a user would without a sweep), as one sweep on 1 worker thread (the data read once
 *   for all 16) and on 2 worker threads (8 runs each). Every run writes its report.
 *
 *   node bench/backtest.ts [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const SPY_TICKS = join(DATA, 'lean-spy-20131007/tick_spy_20131007_trade.zip');
const WEEK = join(DATA, 'lean-usa-week-20131007/minute');
const STRATEGY = fileURLToPath(new URL('../examples/sma-cross.ts', import.meta.url));
const GRID = ['fast=5,10,15,20', 'slow=30,40,50,60'];

const SCENARIOS = ['read', 'tick', 'week-1d', 'week-5d', 'sweep-serial', 'sweep-1-worker', 'sweep-2-workers'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Result {
  readonly scenario: Scenario;
  readonly events: number;
  readonly seconds: number;
  readonly maxRssMb: number;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, scenario: { type: 'string' } } });

if (values.scenario) {
  process.stdout.write(`${JSON.stringify(await scenario(values.scenario as Scenario))}\n`);
} else {
  const rounds = Number(values.rounds);
  const results: Result[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const name of SCENARIOS) {
      const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-bench-'));
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', name], { env: { ...process.env, TICKFLOW_DATA_DIR: dataDir }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      rmSync(dataDir, { recursive: true, force: true });
      if (child.status !== 0) throw new Error(`${name} failed:\n${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Result;
      results.push(result);
      process.stderr.write(`round ${round} ${name}: ${result.events} events in ${result.seconds.toFixed(2)} s, ${result.maxRssMb} MB\n`);
    }
  }
  const median = (numbers: number[]) => numbers.sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  const of = (name: Scenario) => results.filter((result) => result.scenario === name);
  const rate = (name: Scenario) => median(of(name).map((result) => result.events / result.seconds));
  const seconds = (name: Scenario) => median(of(name).map((result) => result.seconds));
  const rss = (name: Scenario) => Math.max(...of(name).map((result) => result.maxRssMb));
  console.log(`| scenario | events | events/s (median of ${rounds}) | wall time | vs read | peak RSS |`);
  console.log('|---|---|---|---|---|---|');
  for (const name of SCENARIOS) {
    const ratio = name === 'read' || name === 'tick' ? `${(rate(name) / rate('read')).toFixed(2)}×` : '';
    console.log(`| ${name} | ${of(name)[0]!.events.toLocaleString('en-US')} | ${Math.round(rate(name)).toLocaleString('en-US')} | ${seconds(name).toFixed(2)} s | ${ratio} | ${rss(name)} MB |`);
  }
  const paired = of('tick').map((tick, round) => of('read')[round]!.seconds / tick.seconds);
  console.log(`\ntick vs read, round by round: ${paired.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')} (median ${median([...paired]).toFixed(2)}×)`);
  console.log(`sweep of 16 on the SPY tick day: on 2 workers ${(seconds('sweep-serial') / seconds('sweep-2-workers')).toFixed(2)}× faster than the 16 runs one after another; on 1 worker ${(seconds('sweep-serial') / seconds('sweep-1-worker')).toFixed(2)}×`);
}

async function scenario(name: Scenario): Promise<Result> {
  const { openBacktestData } = await import('../src/backtest/data/backtest-data.ts');
  if (name === 'read') {
    const started = performance.now();
    const data = await openBacktestData([SPY_TICKS]);
    let events = 0;
    for await (const batch of data.batches()) events += batch.length;
    await data.close();
    return done(name, events, started);
  }
  const { runBacktest } = await import('../src/backtest/run/run-backtest.ts');
  const { loadStrategy } = await import('../src/strategy/load-strategy.ts');
  const { resolveParams } = await import('../src/strategy/params.ts');
  const { accountConfig, PER_SHARE_FEES, US_REGULATORY_FEES_2024 } = await import('../src/model/account.ts');
  const strategy = await loadStrategy(STRATEGY);
  const combos = name.startsWith('sweep') ? grid() : [{}];
  const paramSets = combos.map((combo) => resolveParams(strategy.definition.params, combo) as Record<string, unknown>);
  const plan = {
    strategy,
    paramSets,
    account: accountConfig({ id: 'backtest', startingCash: '100000', fees: PER_SHARE_FEES, regulatoryFees: US_REGULATORY_FEES_2024 }),
    seed: 1,
    benchmark: 'SPY',
    timeZone: 'America/New_York',
    riskFreeRate: 0,
    from: null,
    to: null,
    tickflowVersion: 'bench',
    log: () => {},
  };
  const paths = name === 'tick' || name.startsWith('sweep') ? [SPY_TICKS] : [WEEK];
  const dataOptions = name === 'week-1d' ? { from: '2013-10-07', to: '2013-10-07' } : {};
  const started = performance.now();
  let events = 0;
  if (name === 'sweep-1-worker' || name === 'sweep-2-workers') {
    const { runSweep } = await import('../src/backtest/sweep/run-sweep.ts');
    const runs = await runSweep({ plan, paths, dataOptions, workers: name === 'sweep-1-worker' ? 1 : 2, reports: { exact: null, base: join(process.env.TICKFLOW_DATA_DIR!, 'backtests'), deciding: {} } });
    if (runs.length !== 16) throw new Error(`sweep gave ${runs.length} runs`);
    return done(name, 16, started);
  }
  const { writeReport } = await import('../src/backtest/report/write-report.ts');
  for (const params of paramSets) {
    const data = await openBacktestData(paths, dataOptions);
    const [result] = await runBacktest({ ...plan, paramSets: [params] }, data, (count) => void (events += count));
    await data.close();
    if (name.startsWith('sweep')) await writeReport(result!, join(process.env.TICKFLOW_DATA_DIR!, 'backtests', String(events)));
  }
  return done(name, name.startsWith('sweep') ? 16 : events, started);
}

function grid(): Record<string, string>[] {
  const [fast, slow] = GRID.map((option) => option.split('=')[1]!.split(','));
  return fast!.flatMap((f) => slow!.map((s) => ({ fast: f, slow: s })));
}

function done(name: Scenario, events: number, started: number): Result {
  return { scenario: name, events, seconds: (performance.now() - started) / 1000, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
