import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { accountConfig, type AccountConfig } from '../../model/account.ts';
import { openBacktestData } from '../../backtest/data/backtest-data.ts';
import { summaryTable } from '../../backtest/report/summary-table.ts';
import { writeReport } from '../../backtest/report/write-report.ts';
import { reportDir, type ReportPlace } from '../../backtest/run-id.ts';
import { runBacktest, type BacktestPlan } from '../../backtest/run/run-backtest.ts';
import { gridCombinations, parseGrid } from '../../backtest/sweep/grid.ts';
import { runSweep } from '../../backtest/sweep/run-sweep.ts';
import { sweepTable } from '../../backtest/sweep/sweep-table.ts';
import { loadStrategy, type LoadedStrategy } from '../../strategy/load-strategy.ts';
import { parseParamPairs, resolveParams, type ParamSchema } from '../../strategy/params.ts';
import { timeZoneOf } from '../../trading/calendar/calendar.ts';
import { marketOf } from '../../trading/calendar/market.ts';
import { TICKFLOW_VERSION } from '../../version.ts';
import { usageError } from '../usage-error.ts';
import { accountOptions, accountSettings, accountRequest, type AccountOptionDefaults, type AccountOptions } from './account-options.ts';
import { ProgressLine } from './backtest-progress.ts';

interface BacktestOptions extends AccountOptions {
  readonly strategy?: string;
  readonly param: readonly string[];
  readonly grid: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly symbol: readonly string[];
  readonly quotes: boolean;
  readonly benchmark: string;
  readonly riskFree: string;
  readonly seed: string;
  readonly out?: string;
  readonly workers?: string;
  readonly progress?: boolean;
  readonly quiet: boolean;
  readonly listParams: boolean;
}

const FEES: AccountOptionDefaults = { fees: 'per-share', regulatoryFees: true };

const EXAMPLES = `
Examples:
  tickflow backtest --strategy examples/sma-cross.ts ../shared/data/lean-usa-week-20131007/minute
  tickflow backtest --strategy examples/sma-cross.ts --param fast=5 --param slow=20 --symbol SPY --from 2013-10-08 ../shared/data/lean-usa-week-20131007/minute
  tickflow backtest --strategy examples/buy-and-hold.ts ../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip
  tickflow backtest --strategy examples/sma-cross.ts --grid fast=5,10,20 --grid slow=30,60 ../shared/data/lean-usa-week-20131007/minute
  tickflow backtest --strategy examples/sma-cross.ts --list-params

Data: Lean zips (tick trades, second/minute/hour trade bars, daily bars; quotes with --quotes) and
tickflow's JSON Lines archives; files or folders, merged in event-time order. Reports go to
<data dir>/backtests/<run id>/ (report.html, report.json, orders.csv, fills.csv, equity.csv) and are
listed on the dashboard.
`;

const repeatable = (value: string, all: string[]) => [...all, value];

export function registerBacktest(program: Command): void {
  const command = program
    .command('backtest')
    .description('run a strategy of yours over recorded data on a paper account, and report how it did')
    .argument('[data...]', 'files or folders of recorded data')
    .option('--strategy <file>', 'the strategy module (.ts or .js) whose default export is defineStrategy({...})')
    .option('--param <name=value>', 'a strategy parameter, repeatable', repeatable, [] as string[])
    .option('--grid <name=v1,v2,...>', 'sweep a parameter over values, repeatable: every combination runs', repeatable, [] as string[])
    .option('--from <YYYY-MM-DD>', 'first day of data (inclusive)')
    .option('--to <YYYY-MM-DD>', 'last day of data (inclusive)')
    .option('--symbol <symbol>', 'only this symbol, repeatable (default every symbol of the data)', repeatable, [] as string[])
    .option('--quotes', 'read quote data too (onQuote, onQuoteBar)', false)
    .option('--benchmark <symbol>', 'held buy-and-hold alongside for comparison, or "none"', 'SPY')
    .option('--risk-free <rate>', 'risk-free rate per year for Sharpe and Sortino, e.g. 0.02', '0')
    .option('--seed <n>', 'seed of ctx.random()', '1')
    .option('--out <dir>', 'where the report goes (default <data dir>/backtests/<run id>)')
    .option('--workers <n>', 'sweeps: worker threads (default the number of cores)')
    .option('--no-progress', 'no progress line (there is none when stderr is not a terminal)')
    .option('--quiet', "leave out the strategy's log lines", false)
    .option('--list-params', "print the strategy's parameters and stop", false);
  accountOptions(command, FEES).addHelpText('after', EXAMPLES).action((data: string[], options: BacktestOptions) => backtest(data, options));
}

async function backtest(paths: readonly string[], options: BacktestOptions): Promise<void> {
  if (!options.strategy) throw usageError('--strategy <file> is required, e.g. --strategy examples/sma-cross.ts');
  const strategy = await loadStrategy(options.strategy);
  if (options.listParams) return void process.stdout.write(describeParams(strategy));
  if (paths.length === 0) throw usageError('give the data to run over, e.g. ../shared/data/lean-usa-week-20131007/minute');
  const from = dayOption('--from', options.from);
  const to = dayOption('--to', options.to);
  if (from && to && from > to) throw usageError(`--from ${from} is after --to ${to}`);
  const paramSets = parameterSets(strategy, options);
  const account = accountOf(options);
  const benchmark = options.benchmark.toLowerCase() === 'none' ? null : options.benchmark;
  const riskFreeRate = Number(options.riskFree);
  if (!Number.isFinite(riskFreeRate) || riskFreeRate < -0.5 || riskFreeRate > 1) throw usageError(`--risk-free must be a yearly rate such as 0.02 (got ${options.riskFree})`);
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw usageError(`--seed must be a whole number ≥ 0 (got ${options.seed})`);
  const dataOptions = { ...(options.symbol.length ? { symbols: options.symbol } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), quotes: options.quotes };
  const quiet = options.quiet;
  const plan: BacktestPlan = {
    strategy,
    paramSets,
    account,
    seed,
    benchmark,
    timeZone: timeZoneOf(marketOf(benchmark ?? 'SPY') ?? 'us-equity'),
    riskFreeRate,
    from,
    to,
    tickflowVersion: TICKFLOW_VERSION,
    log: quiet ? () => {} : (time, level, message, fields) => process.stderr.write(`${new Date(time).toISOString()} ${level.padEnd(4)} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`),
  };
  const reports: ReportPlace = {
    base: options.out && paramSets.length === 1 ? null : (options.out ?? join(loadConfig().dataDir, 'backtests')),
    exact: options.out && paramSets.length === 1 ? options.out : null,
    deciding: { account, dataOptions, benchmark, riskFreeRate, seed },
  };

  if (paramSets.length > 1) {
    const workers = workerCount(options.workers, paramSets.length);
    const progress = options.progress !== false && process.stderr.isTTY ? new ProgressLine(`sweep ${strategy.definition.name} (${paramSets.length} runs on ${workers} workers)`) : null;
    const runs = await runSweep({ plan, paths, dataOptions, workers, reports, onProgress: (read, total, events) => progress?.update(read, total, events) });
    progress?.clear();
    process.stdout.write(sweepTable(runs));
    return;
  }

  const data = await openBacktestData(paths, dataOptions);
  const progress = options.progress !== false && process.stderr.isTTY ? new ProgressLine(`backtest ${strategy.definition.name}`) : null;
  const startedAt = performance.now();
  let events = 0;
  let results;
  try {
    results = await runBacktest(progress ? { ...plan, log: withCleared(progress, plan.log) } : plan, data, (count) => {
      events += count;
      progress?.update(data.bytesRead(), data.totalBytes, events);
    });
  } finally {
    progress?.clear();
    await data.close();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const rejected = data.rejected();
  if (rejected.count > 0) process.stderr.write(`tickflow: ${rejected.count} malformed line${rejected.count === 1 ? '' : 's'} left out, e.g.\n${rejected.examples.map((example) => `  ${example}`).join('\n')}\n`);
  const [result] = results;
  if (!result) throw usageError(`no data to run over in ${paths.join(', ')}${from || to ? ` between ${from ?? 'the start'} and ${to ?? 'the end'}` : ''}${options.symbol.length ? ` for ${options.symbol.join(', ')}` : ''}`);
  const files = await writeReport(result, reportDir(reports, result));
  process.stdout.write(summaryTable(result, files.statistics));
  process.stdout.write(`\n${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${Math.round(events / Math.max(seconds, 1e-3)).toLocaleString('en-US')} events/s)\n`);
  process.stdout.write(`report   ${relative(process.cwd(), files.reportHtml) || files.reportHtml}\n`);
  process.stdout.write(`files    ${relative(process.cwd(), files.dir) || files.dir}/{report.json,orders.csv,fills.csv,equity.csv}\n`);
}

function withCleared(progress: ProgressLine, log: BacktestPlan['log']): BacktestPlan['log'] {
  return (...args) => {
    progress.clear();
    log(...args);
  };
}

function parameterSets(strategy: LoadedStrategy, options: BacktestOptions): Record<string, unknown>[] {
  const given = parseParamPairs(options.param);
  if (typeof given === 'string') throw usageError(given);
  const grid = parseGrid(options.grid);
  if (typeof grid === 'string') throw usageError(grid);
  return gridCombinations(grid).map((combination) => {
    const values = resolveParams(strategy.definition.params, { ...given, ...combination });
    if (typeof values === 'string') throw usageError(`${strategy.path}: ${values}`);
    return values;
  });
}

function accountOf(options: BacktestOptions): AccountConfig {
  const settings = accountSettings(accountRequest(options, FEES));
  return accountConfig({ ...settings, id: 'backtest', startingCash: settings.startingCash ?? '100000' });
}

function dayOption(flag: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw usageError(`${flag} must be a day as YYYY-MM-DD (got ${value})`);
  return value;
}

function workerCount(option: string | undefined, runs: number): number {
  const count = option === undefined ? cpus().length : Number(option);
  if (!Number.isSafeInteger(count) || count < 1 || count > 64) throw usageError(`--workers must be a whole number from 1 to 64 (got ${option})`);
  return Math.min(count, runs);
}

function describeParams(strategy: LoadedStrategy): string {
  const params: ParamSchema = strategy.definition.params ?? {};
  const lines = [`${strategy.definition.name}${strategy.definition.description ? `: ${strategy.definition.description}` : ''}`, ''];
  if (Object.keys(params).length === 0) lines.push('no parameters');
  for (const [name, spec] of Object.entries(params)) {
    const range = 'min' in spec || 'max' in spec ? ` ${'min' in spec && spec.min !== undefined ? spec.min : ''}..${'max' in spec && spec.max !== undefined ? spec.max : ''}` : '';
    const kind = spec.type === 'enum' ? spec.values.join('|') : `${spec.type}${range}`;
    lines.push(`  --param ${`${name}=<${kind}>`.padEnd(34)} default ${String(spec.default)}${spec.description ? `  ${spec.description}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
