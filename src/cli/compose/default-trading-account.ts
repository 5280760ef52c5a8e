import { readFileSync } from 'node:fs';
import type { TradingGateway } from '../../trading/gateway.ts';
import { DEFAULT_ACCOUNT } from '../../processors/trader/trader-config.ts';
import { defaultAccountFile } from '../commands/default-account.ts';

/**
 * Resolves a trader's `account`: an id stays as it is; `default` is the paper account `tickflow up`
 * made (its id in `<data dir>/paper-account.json`), or else the first account the service holds.
 * `null` while there is none; once found, the answer is kept.
 */
export function tradingAccountResolver(trading: TradingGateway, dataDir: string): (account: string) => Promise<string | null> {
  let resolved: string | null = null;
  return async (account) => {
    if (account !== DEFAULT_ACCOUNT) return account;
    resolved ??= await defaultAccountId(trading, dataDir);
    return resolved;
  };
}

async function defaultAccountId(trading: TradingGateway, dataDir: string): Promise<string | null> {
  const fromFile = accountIdInFile(defaultAccountFile(dataDir));
  if (fromFile !== null && (await trading.account(fromFile)) !== null) return fromFile;
  return (await trading.accounts())[0]?.id ?? null;
}

function accountIdInFile(file: string): string | null {
  try {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as { accountId?: unknown };
    return typeof keys.accountId === 'string' ? keys.accountId : null;
  } catch {
    return null;
  }
}
