import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BacktestResult } from '../backtest-result.ts';
import { htmlReport } from './html-report.ts';
import { equityCsv, fillsCsv, ordersCsv } from './report-tables.ts';
import { reportJson } from './report-json.ts';
import { computeStatistics, type Statistics } from './statistics.ts';

/** The files of a written report: absolute paths. */
export interface ReportFiles {
  readonly dir: string;
  readonly reportJson: string;
  readonly ordersCsv: string;
  readonly fillsCsv: string;
  readonly equityCsv: string;
  readonly reportHtml: string;
  readonly statistics: Statistics;
}

export const REPORT_FILE_NAMES = { reportJson: 'report.json', ordersCsv: 'orders.csv', fillsCsv: 'fills.csv', equityCsv: 'equity.csv', reportHtml: 'report.html' } as const;

/**
 * Writes every file of the report into `dir`, all or nothing: the files go to a sibling temporary
 * directory that is then renamed to `dir`, replacing an earlier report there. A failure removes the
 * temporary directory and leaves `dir` as it was (an earlier report, or nothing).
 */
export async function writeReport(result: BacktestResult, dir: string): Promise<ReportFiles> {
  const target = resolve(dir);
  const statistics = computeStatistics(result);
  const contents: Record<keyof typeof REPORT_FILE_NAMES, string> = {
    reportJson: reportJson(result, statistics),
    ordersCsv: ordersCsv(result),
    fillsCsv: fillsCsv(result),
    equityCsv: equityCsv(result),
    reportHtml: htmlReport(result, statistics),
  };
  await mkdir(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  // Dot-named siblings: a listing of runs (backtest-runs.ts) skips them.
  const staging = join(dirname(target), `.${basename(target)}.writing-${suffix}`);
  const replaced = join(dirname(target), `.${basename(target)}.replaced-${suffix}`);
  let setAside = false;
  try {
    await mkdir(staging);
    for (const [key, name] of Object.entries(REPORT_FILE_NAMES)) await writeFile(join(staging, name), contents[key as keyof typeof REPORT_FILE_NAMES]);
    setAside = await rename(target, replaced).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (setAside) await rename(replaced, target);
    throw error;
  }
  if (setAside) await rm(replaced, { recursive: true, force: true });
  const path = (key: keyof typeof REPORT_FILE_NAMES) => join(target, REPORT_FILE_NAMES[key]);
  return { dir: target, reportJson: path('reportJson'), ordersCsv: path('ordersCsv'), fillsCsv: path('fillsCsv'), equityCsv: path('equityCsv'), reportHtml: path('reportHtml'), statistics };
}
