import { Worker } from 'node:worker_threads';
import { ERROR_CODES, InternalError, TickflowError, type ErrorCode } from '../../errors.ts';
import { StrategyError } from '../../strategy/strategy-error.ts';
import type { BacktestDataOptions } from '../data/backtest-data.ts';
import type { ReportPlace } from '../run-id.ts';
import type { BacktestPlan } from '../run/run-backtest.ts';
import type { SweepJob, SweepMessage, SweepRun } from './sweep-job.ts';

export interface SweepOptions {
  readonly plan: BacktestPlan;
  readonly paths: readonly string[];
  readonly dataOptions: BacktestDataOptions;
  readonly workers: number;
  readonly reports: ReportPlace;
  readonly onProgress?: (bytesRead: number, totalBytes: number, events: number) => void;
}

/**
 * Every parameter set of the plan, spread over worker threads: each worker streams the data once
 * for its share of the runs (every run of a worker sees each event in turn) and writes their
 * reports. Resolves with the runs in the plan's order; a failure in any worker stops them all.
 */
export async function runSweep(options: SweepOptions): Promise<SweepRun[]> {
  const { plan } = options;
  const { strategy, paramSets } = plan;
  const shares = Array.from({ length: options.workers }, () => [] as { index: number; params: Readonly<Record<string, unknown>> }[]);
  paramSets.forEach((params, index) => shares[index % options.workers]!.push({ index, params }));
  const progress = shares.map(() => ({ bytesRead: 0, totalBytes: 0, events: 0 }));
  const runs: SweepRun[] = [];
  const workers: Worker[] = [];
  try {
    await Promise.all(
      shares.map((share, at) => {
        const job: SweepJob = { ...sharedOf(plan), strategyPath: strategy.absolutePath, runs: share, paths: options.paths, dataOptions: options.dataOptions, reports: options.reports };
        const worker = new Worker(new URL('./sweep-worker.ts', import.meta.url), { workerData: job });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (message: SweepMessage) => {
            if (message.type === 'progress') {
              progress[at] = message;
              const sum = progress.reduce((total, part) => ({ bytesRead: total.bytesRead + part.bytesRead, totalBytes: total.totalBytes + part.totalBytes, events: total.events + part.events }), { bytesRead: 0, totalBytes: 0, events: 0 });
              options.onProgress?.(sum.bytesRead, sum.totalBytes, sum.events);
            } else if (message.type === 'run') runs.push(message.run);
            else if (message.type === 'failed') reject(failure(message.code, message.message));
            else resolve();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new InternalError(`sweep worker exited with status ${code}`))));
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return runs.sort((a, b) => a.index - b.index);
}

/** What crosses to a worker is data: the strategy module is loaded again there, the log stays here. */
function sharedOf(plan: BacktestPlan): Omit<BacktestPlan, 'strategy' | 'paramSets' | 'log'> {
  const notData = new Set(['strategy', 'paramSets', 'log']);
  return Object.fromEntries(Object.entries(plan).filter(([key]) => !notData.has(key))) as Omit<BacktestPlan, 'strategy' | 'paramSets' | 'log'>;
}

/** A worker's failure as this thread raises it: the same kind of error, or an internal one. */
function failure(code: ErrorCode | null, message: string): TickflowError {
  if (code === ERROR_CODES.STRATEGY) return new StrategyError(message);
  return code === null ? new InternalError(`sweep worker: ${message}`) : new TickflowError(code, message);
}
