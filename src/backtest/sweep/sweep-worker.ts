import { parentPort, workerData } from 'node:worker_threads';
import { loadStrategy } from '../../strategy/load-strategy.ts';
import { TickflowError } from '../../errors.ts';
import { openBacktestData } from '../data/backtest-data.ts';
import { writeReport } from '../report/write-report.ts';
import { reportDir } from '../run-id.ts';
import { runBacktest } from '../run/run-backtest.ts';
import type { SweepJob, SweepMessage } from './sweep-job.ts';

const job = workerData as SweepJob;
const post = (message: SweepMessage) => parentPort!.postMessage(message);

try {
  const strategy = await loadStrategy(job.strategyPath);
  const data = await openBacktestData(job.paths, job.dataOptions);
  let events = 0;
  let postedAt = 0;
  try {
    const results = await runBacktest({ ...job, strategy, paramSets: job.runs.map((run) => run.params), log: () => {} }, data, (count) => {
      events += count;
      const now = performance.now();
      if (now - postedAt < 250) return;
      postedAt = now;
      post({ type: 'progress', bytesRead: data.bytesRead(), totalBytes: data.totalBytes, events });
    });
    for (const [at, result] of results.entries()) {
      const files = await writeReport(result, reportDir(job.reports, result));
      post({ type: 'run', run: { index: job.runs[at]!.index, params: job.runs[at]!.params, dir: files.dir, statistics: files.statistics } });
    }
  } finally {
    await data.close();
  }
  post({ type: 'done' });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), code: error instanceof TickflowError ? error.code : null });
}
