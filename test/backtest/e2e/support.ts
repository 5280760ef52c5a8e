import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCli } from '../../support/cli.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DATA = join(ROOT, '../shared/data');
export const WEEK = join(DATA, 'lean-usa-week-20131007/minute');
export const SPY_TICKS = join(DATA, 'lean-spy-20131007/tick_spy_20131007_trade.zip');

export interface CliRun {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tickflow backtest <args>` in the project folder with a fresh data directory. */
export async function backtestCli(args: readonly string[], dataDir = mkdtempSync(join(tmpdir(), 'tickflow-backtest-'))): Promise<CliRun & { readonly dataDir: string }> {
  const cli = startCli(['backtest', ...args], { TICKFLOW_DATA_DIR: dataDir }, ROOT);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr(), dataDir };
}

export function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
