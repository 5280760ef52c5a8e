import type { AccountConfig } from '../../model/account.ts';
import type { BacktestDataOptions } from '../data/backtest-data.ts';
import type { ReportPlace } from '../run-id.ts';
import type { Statistics } from '../report/statistics.ts';

/** What one sweep worker runs: its share of the parameter sets over the whole data, in one pass. */
export interface SweepJob {
  readonly strategyPath: string;
  readonly runs: readonly { readonly index: number; readonly params: Readonly<Record<string, unknown>> }[];
  readonly account: AccountConfig;
  readonly seed: number;
  readonly benchmark: string | null;
  readonly timeZone: string;
  readonly riskFreeRate: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly tickflowVersion: string;
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
  | { readonly type: 'failed'; readonly message: string; readonly strategyError: boolean }
  | { readonly type: 'done' };
