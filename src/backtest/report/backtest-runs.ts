import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_FILE_NAMES } from './write-report.ts';

/**
 * Past runs on disk: `<backtests dir>/<run id>/` as writeReport leaves them. A run id is one
 * path segment of plain characters, never `.` or `..` (it starts with a letter or digit).
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface BacktestRunSummary {
  readonly id: string;
  readonly strategy: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly totalReturn: number | null;
  readonly sharpe: number | null;
  readonly maxDrawdown: number | null;
  /** The run directory's modification time (report.json holds no wall-clock time of its own), ISO 8601. */
  readonly finishedAt: string;
}

interface ReportJsonHead {
  readonly configuration?: { readonly strategyName?: unknown };
  readonly period?: { readonly firstDay?: unknown; readonly lastDay?: unknown };
  readonly statistics?: { readonly strategy?: { readonly totalReturn?: unknown; readonly sharpe?: unknown; readonly maxDrawdown?: unknown } };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' ? value : null);

async function summaryOf(dir: string, id: string): Promise<BacktestRunSummary | null> {
  try {
    const runDir = join(dir, id);
    const report = JSON.parse(await readFile(join(runDir, REPORT_FILE_NAMES.reportJson), 'utf8')) as ReportJsonHead;
    const strategy = report.statistics?.strategy;
    return {
      id,
      strategy: text(report.configuration?.strategyName) ?? '?',
      from: text(report.period?.firstDay),
      to: text(report.period?.lastDay),
      totalReturn: number(strategy?.totalReturn),
      sharpe: number(strategy?.sharpe),
      maxDrawdown: number(strategy?.maxDrawdown),
      finishedAt: (await stat(runDir)).mtime.toISOString(),
    };
  } catch {
    // Not a finished report (or not a run at all): not listed.
    return null;
  }
}

/** The finished runs in `dir`, most recent first; none when `dir` does not exist. */
export async function listBacktestRuns(dir: string): Promise<BacktestRunSummary[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const ids = entries.filter((entry) => entry.isDirectory() && RUN_ID_PATTERN.test(entry.name)).map((entry) => entry.name);
  const runs = (await Promise.all(ids.map((id) => summaryOf(dir, id)))).filter((run) => run !== null);
  return runs.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt) || a.id.localeCompare(b.id));
}
