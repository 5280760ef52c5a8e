import type { LiveStrategy } from '../../processors/strategy-runner/strategy-processor.ts';
import { DEFAULT_ACCOUNT } from '../../processors/trader/trader-config.ts';
import { loadStrategy } from '../../strategy/load-strategy.ts';
import { parseParamPairs, resolveParams } from '../../strategy/params.ts';
import type { TradingGateway } from '../../trading/gateway.ts';
import { tradingAccountResolver } from '../compose/default-trading-account.ts';
import { usageError } from '../usage-error.ts';

export interface StrategyOptions {
  readonly strategy?: string;
  readonly account?: string;
  readonly param: readonly string[];
}

/**
 * `up --strategy <file> [--account <id|default>] [--param name=value ...]`, checked before anything
 * starts: a module that does not load is a `StrategyError` (exit 1), a parameter the strategy refuses
 * a usage error naming the file and the parameter (exit 2). `null` without `--strategy`.
 */
export async function liveStrategyOf(options: StrategyOptions): Promise<LiveStrategy | null> {
  if (!options.strategy) {
    if (options.account !== undefined || options.param.length > 0) throw usageError('--account and --param go with --strategy <file>');
    return null;
  }
  const strategy = await loadStrategy(options.strategy);
  const given = parseParamPairs(options.param);
  if (typeof given === 'string') throw usageError(given);
  const params = resolveParams(strategy.definition.params, given);
  if (typeof params === 'string') throw usageError(`${strategy.path}: ${params}`);
  return { strategy, params, account: options.account ?? DEFAULT_ACCOUNT };
}

/** The id of the account the strategy trades, once the trading service is open; a usage error when there is no such account. */
export async function strategyAccountId(live: LiveStrategy, trading: TradingGateway, dataDir: string): Promise<string> {
  const id = await tradingAccountResolver(trading, dataDir)(live.account);
  if (id === null || (await trading.account(id)) === null) throw usageError(`--account ${live.account}: no such paper account (tickflow accounts list)`);
  return id;
}

/** The banner's line for the strategy. */
export function strategyLine(live: LiveStrategy, accountId: string): string {
  return `  strategy ${live.strategy.definition.name} on account ${accountId} (${live.strategy.path})`;
}
