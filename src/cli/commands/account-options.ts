import type { Command } from 'commander';
import { FILL_FIELDS, validateAccountRequest, type AccountRequest } from '../../model/account-request.ts';
import { usageError } from '../usage-error.ts';

/** A paper account's settings on the command line (`tickflow accounts create`, `tickflow backtest`). */
export interface AccountOptions {
  readonly cash?: string;
  readonly type?: string;
  readonly multiplier?: string;
  readonly fees?: string;
  readonly perShare?: string;
  readonly feeMinimum?: string;
  readonly feeMaxPercent?: string;
  readonly makerBps?: string;
  readonly takerBps?: string;
  readonly regulatoryFees: boolean;
  readonly fill: readonly string[];
  readonly settlementSessions?: string;
}

export interface AccountOptionDefaults {
  readonly fees: 'zero' | 'per-share';
  readonly regulatoryFees: boolean;
}

export function accountOptions(command: Command, defaults: AccountOptionDefaults): Command {
  const feeModels = ['zero', 'per-share (0.005 a share, at least 1, at most 1 % per order)', 'percent (--maker-bps, --taker-bps)'].map((model) => (model.startsWith(defaults.fees) ? model.replace(/^([a-z-]+)/, '$1 (default)') : model));
  command
    .option('--cash <amount>', 'starting cash, USD, at most 2 decimals (default 100000)')
    .option('--type <type>', 'margin (default) or cash')
    .option('--multiplier <n>', 'margin accounts: buying power multiplier, 1 to 4 (default 2)')
    .option('--fees <model>', feeModels.join(', '))
    .option('--per-share <usd>', 'per-share fees: dollars a share')
    .option('--fee-minimum <usd>', 'per-share fees: minimum per order')
    .option('--fee-max-percent <pct>', 'per-share fees: at most this % of the order value')
    .option('--maker-bps <bps>', 'percent fees: basis points of resting (maker) fills')
    .option('--taker-bps <bps>', 'percent fees: basis points of taking (taker) fills');
  if (defaults.regulatoryFees) command.option('--no-regulatory-fees', 'leave out the SEC and FINRA TAF fees on sales of US equities (2024 rates; on by default)');
  else command.option('--regulatory-fees', 'SEC and FINRA TAF fees on sales of US equities (2024 rates)', false);
  return command
    .option('--fill <name=value>', `a fill-model setting, repeatable: ${Object.keys(FILL_FIELDS).join(', ')}`, (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--settlement-sessions <n>', 'cash accounts: sessions until sale proceeds settle (default 1)');
}

/** The account request the options stand for (as `POST /v1/accounts` takes it), checked as the server checks it. */
export function accountRequest(options: AccountOptions, defaults?: AccountOptionDefaults): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.cash !== undefined) body.cash = options.cash;
  if (options.type !== undefined) body.type = options.type;
  if (options.multiplier !== undefined) body.multiplier = numberOrText(options.multiplier);
  const feeParameters = { per_share: options.perShare, minimum: options.feeMinimum, maximum_percent: options.feeMaxPercent, maker_bps: options.makerBps, taker_bps: options.takerBps };
  const given = Object.fromEntries(Object.entries(feeParameters).filter(([, value]) => value !== undefined));
  const fees = options.fees ?? (Object.keys(given).length === 0 ? defaults?.fees : undefined);
  if (fees !== undefined) body.fees = Object.keys(given).length === 0 && fees !== 'percent' ? fees : { model: fees, ...given };
  else if (Object.keys(given).length > 0) throw usageError('fee parameters need --fees per-share or --fees percent');
  if (options.regulatoryFees) body.regulatory_fees = true;
  if (options.fill.length > 0) {
    body.fills = Object.fromEntries(
      options.fill.map((setting) => {
        const [name, value] = setting.split('=', 2);
        if (!name || value === undefined) throw usageError(`--fill takes name=value, e.g. latency_ms=200 (got ${setting})`);
        return [name, numberOrText(value)];
      }),
    );
  }
  if (options.settlementSessions !== undefined) body.settlement_sessions = numberOrText(options.settlementSessions);
  accountSettings(body);
  return body;
}

/** A request validated into the engine's form; a refusal is a usage error naming the option. */
export function accountSettings(body: Record<string, unknown>): AccountRequest {
  const valid = validateAccountRequest(body);
  if (typeof valid === 'string') throw usageError(valid.replace(/^fills\.([a-z_]+)/, '--fill $1'));
  return valid;
}

function numberOrText(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}
