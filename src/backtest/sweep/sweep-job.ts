import type { ErrorCode } from '../../errors.ts';
import type { BacktestDataOptions } from '../data/backtest-data.ts';
import type { ReportPlace } from '../run-id.ts';
import type { Statistics } from '../report/statistics.ts';
import type { BacktestPlan } from '../run/run-backtest.ts';

/** What one sweep worker runs: its share of the parameter sets over the whole data, in one pass. */
export interface SweepJob extends Omit<BacktestPlan, 'strategy' | 'paramSets' | 'log'> {
  /** Loaded again in the worker (a module does not cross threads). */
  readonly strategyPath: string;
  readonly runs: readonly { readonly index: number; readonly params: Readonly<Record<string, unknown>> }[];
  readonly paths: readonly string[];
  readonly dataOptions: BacktestDataOptions;
  readonly reports: ReportPlace;
}

/** One finished run of a sweep. */
export interface SweepRun {
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly dir: string;
  readonly statistics: Statistics;
}

export type SweepMessage =
  | { readonly type: 'progress'; readonly bytesRead: number; readonly totalBytes: number; readonly events: number }
  | { readonly type: 'run'; readonly run: SweepRun }
  /** `code`: a TickflowError's (a strategy's failure, a data file's), else `null`. */
  | { readonly type: 'failed'; readonly message: string; readonly code: ErrorCode | null }
  | { readonly type: 'done' };
