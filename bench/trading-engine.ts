/**
 * The paper-trading engine against the real SPY day (250,601 trades, ../shared/data) with 1,000 open
 * orders across 50 symbols. The day's trades are dealt round-robin to 50 symbols (SPY's price path
 * for each), and every symbol gets 20 orders around the opening price: limit buys and sells, stops,
 * stop limits and trailing stops, some of which fill during the day. Each scenario runs in its own
 * process, in turns, and the figures are reported side by side as ratios to the replay alone:
 *
 *   read     the replay source into a sink that drops (the baseline)
 *   engine   replay → TradingEngine.trade per print (pure: no store, no bus)
 *   service  replay → TradingService.applyPrints, 500 prints a batch, on the embedded store (PGlite):
 *            the engine plus one durable transaction per batch, as the trading processor runs it
 *
 *   node bench/trading-engine.ts [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SPY = fileURLToPath(new URL('../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip', import.meta.url));
const SCENARIOS = ['read', 'engine', 'service'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Result {
  readonly scenario: Scenario;
  readonly trades: number;
  readonly seconds: number;
  readonly openOrdersAtStart: number;
  readonly openOrdersAtEnd: number;
  readonly fills: number;
  readonly maxRssMb: number;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, scenario: { type: 'string' } } });

if (values.scenario) {
  const { runEngineScenario } = await import('./trading-engine-scenario.ts');
  process.stdout.write(JSON.stringify(await runEngineScenario(values.scenario as Scenario, SPY)) + '\n');
} else {
  if (!existsSync(SPY)) throw new Error(`SPY data not found at ${SPY}`);
  const results: Result[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const scenario of SCENARIOS) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', scenario], { env: { ...process.env, TICKFLOW_LOG_LEVEL: 'warn' }, encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`${scenario} failed:\n${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Result;
      results.push(result);
      process.stderr.write(`round ${round} ${scenario}: ${Math.round(result.trades / result.seconds)} trades/s, ${result.fills} fills, ${result.maxRssMb} MB\n`);
    }
  }
  const median = (numbers: number[]) => numbers.sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  const rate = (scenario: Scenario) => median(results.filter((r) => r.scenario === scenario).map((r) => r.trades / r.seconds));
  const baseline = rate('read');
  console.log('| scenario | trades/s (median) | × replay alone | open orders start → end | fills | peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const last = results.filter((r) => r.scenario === scenario).at(-1)!;
    console.log(`| ${scenario} | ${Math.round(rate(scenario)).toLocaleString('en-US')} | ${(rate(scenario) / baseline).toFixed(2)}× | ${last.openOrdersAtStart} → ${last.openOrdersAtEnd} | ${last.fills} | ${last.maxRssMb} MB |`);
  }
}
