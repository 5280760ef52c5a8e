import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TradingService } from '../../trading/service/trading-service.ts';
import { counted } from '../counted.ts';

/** Where `tickflow up` keeps the keys of the paper account it made on its first start. */
export function defaultAccountFile(dataDir: string): string {
  return join(dataDir, 'paper-account.json');
}

/**
 * On a first start (no account yet) makes a paper account with the default cash and writes its keys
 * to a file only this user can read: the secret is shown once, never logged. Returns a banner line.
 */
export async function ensureDefaultAccount(trading: TradingService, dataDir: string): Promise<string> {
  const file = defaultAccountFile(dataDir);
  const accounts = await trading.accounts();
  if (accounts.length > 0) return `${counted(accounts.length, 'paper account')}${existsSync(file) ? `; the first one's keys in ${file}` : ''}`;
  const credentials = await trading.createAccount({});
  mkdirSync(dataDir, { recursive: true });
  const keys = { accountId: credentials.accountId, APCA_API_KEY_ID: credentials.keyId, APCA_API_SECRET_KEY: credentials.secret };
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return `new paper account ${credentials.accountId}; its keys (APCA_API_KEY_ID, APCA_API_SECRET_KEY) in ${file}`;
}
