import type { AccountConfig } from '../../model/account.ts';
import type { LoadedStrategy } from '../../strategy/load-strategy.ts';
import type { BacktestConfiguration, BacktestResult, InputFile } from '../backtest-result.ts';
import type { MarketEvent } from '../data/market-event.ts';
import { BacktestRun, type RunOptions } from './backtest-run.ts';
import { finalAccount } from './final-account.ts';
import { SharedMarket } from './shared-market.ts';

export interface BacktestPlan {
  readonly strategy: LoadedStrategy;
  /** One run per set of parameter values, all fed by one pass over the data. */
  readonly paramSets: readonly Readonly<Record<string, unknown>>[];
  readonly account: AccountConfig;
  readonly seed: number;
  readonly benchmark: string | null;
  readonly timeZone: string;
  readonly riskFreeRate: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly tickflowVersion: string;
  readonly log: RunOptions['log'];
}

export interface BacktestInputs {
  readonly files: readonly InputFile[];
  batches(): AsyncIterable<readonly MarketEvent[]>;
}

export interface EventCounter {
  trades: number;
  quotes: number;
  bars: number;
  quoteBars: number;
}

/**
 * Streams the data once through every run of the plan and returns each run's result, in the order
 * of `paramSets`. `onBatch` is called after each batch (for progress). A strategy error stops
 * every run: no result is returned for a run that did not finish.
 */
export async function runBacktest(plan: BacktestPlan, inputs: BacktestInputs, onBatch: (events: number) => void = () => {}): Promise<BacktestResult[]> {
  const market = new SharedMarket(plan.benchmark);
  const runs = plan.paramSets.map((params) => new BacktestRun({ strategy: plan.strategy, params, account: plan.account, seed: plan.seed, benchmark: plan.benchmark, timeZone: plan.timeZone, log: plan.log, market }));
  const counts: EventCounter = { trades: 0, quotes: 0, bars: 0, quoteBars: 0 };
  let first = Number.NaN;
  let last = Number.NaN;
  for await (const batch of inputs.batches()) {
    if (batch.length === 0) continue;
    if (Number.isNaN(first)) {
      first = batch[0]!.tsEvent;
      for (const run of runs) await run.start(first);
      if (runs.some((run) => run.wantsBars)) market.buildBars(plan.strategy.definition.bars ?? ['1m']);
    }
    for (const event of batch) {
      count(counts, event);
      for (const run of runs) {
        const pending = run.event(event);
        if (pending) await pending;
      }
    }
    last = batch.at(-1)!.tsEvent;
    onBatch(batch.length);
  }
  if (Number.isNaN(first)) return [];
  for (const run of runs) await run.finish();
  return runs.map((run) => resultOf(plan, run, market, inputs.files, counts, first, last));
}

function count(counts: EventCounter, event: MarketEvent): void {
  if (event.type === 'trade') counts.trades++;
  else if (event.type === 'bar') counts.bars++;
  else if (event.type === 'quote') counts.quotes++;
  else counts.quoteBars++;
}

function resultOf(plan: BacktestPlan, run: BacktestRun, market: SharedMarket, files: readonly InputFile[], counts: EventCounter, first: number, last: number): BacktestResult {
  const benchmark = market.benchmarkFirst !== null ? plan.benchmark : null;
  const configuration: BacktestConfiguration = {
    strategyPath: plan.strategy.path,
    strategySha256: plan.strategy.sha256,
    strategyName: plan.strategy.definition.name,
    params: run.options.params,
    startingCash: plan.account.startingCash,
    accountType: plan.account.accountType,
    fees: { commission: plan.account.fees, regulatory: plan.account.regulatoryFees },
    fills: plan.account.fills,
    from: plan.from,
    to: plan.to,
    benchmark,
    riskFreeRate: plan.riskFreeRate,
    seed: plan.seed,
  };
  const stripBenchmark = benchmark === null;
  return {
    tickflowVersion: plan.tickflowVersion,
    configuration,
    inputs: files,
    firstEventAt: first,
    lastEventAt: last,
    counts: { ...counts },
    orders: run.recorder.orders,
    fills: run.recorder.fills,
    equity: stripBenchmark ? run.recorder.equity.map((point) => ({ ...point, benchmark: null })) : run.recorder.equity,
    daily: stripBenchmark ? run.recorder.daily.map((point) => ({ ...point, benchmark: null })) : run.recorder.daily,
    prices: market.priceMinutes.of(benchmark === null ? run.traded : [...run.traded, benchmark]),
    final: finalAccount(run.engine, run.accountId),
  };
}
