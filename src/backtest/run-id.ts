import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { BacktestResult } from './backtest-result.ts';

/**
 * A run's directory name: the strategy's name and a hash of everything that decides the result
 * (the strategy file, parameters, account, data and their checksums, options), so running the same
 * backtest again replaces its report and another configuration gets a directory of its own.
 */
export function runId(strategyName: string, decidingInputs: unknown): string {
  const slug = strategyName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'strategy';
  const hash = createHash('sha256').update(JSON.stringify(decidingInputs)).digest('hex').slice(0, 10);
  return `${slug}-${hash}`;
}

/** Where reports go: one exact directory (`--out` of a single run), or a run id's directory under a base. */
export interface ReportPlace {
  readonly exact: string | null;
  readonly base: string | null;
  /** The options that decide the result beyond the strategy, its parameters and the inputs. */
  readonly deciding: unknown;
}

export function reportDir(place: ReportPlace, result: BacktestResult): string {
  if (place.exact !== null) return place.exact;
  const { configuration } = result;
  const id = runId(configuration.strategyName, { strategy: configuration.strategySha256, params: configuration.params, deciding: place.deciding, inputs: result.inputs.map((file) => file.sha256) });
  return join(place.base ?? '.', id);
}
