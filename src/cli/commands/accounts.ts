import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/config.ts';
import { usageError } from '../usage-error.ts';
import { accountOptions, accountRequest, type AccountOptions } from './account-options.ts';
import { adminRequest, type AdminAnswer } from './accounts-client.ts';

interface CommonOptions {
  readonly url?: string;
  readonly json: boolean;
}

type CreateOptions = CommonOptions & AccountOptions;

const EXAMPLES = `
Examples:
  tickflow accounts create --cash 100000
  tickflow accounts create --cash 25000 --type cash --fees per-share --regulatory-fees
  tickflow accounts create --cash 50000 --type margin --multiplier 4 --fees percent --maker-bps 10 --taker-bps 20 --fill latency_ms=200 --fill participation=0.1
  tickflow accounts list --json
  tickflow accounts reset 1f0c…

They ask the running tickflow (--url, default http://127.0.0.1:$PORT) with the admin token from
TICKFLOW_ADMIN_TOKEN or <TICKFLOW_DATA_DIR>/admin-token. When none runs, they open the embedded store
directly, so an account can be made before the first start.`;

export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('paper-trading accounts: create (prints its API key once), list, reset').addHelpText('after', EXAMPLES);
  const common = (command: Command) =>
    command.option('--url <url>', 'the tickflow that runs the trading service (default http://127.0.0.1:<PORT>)').option('--json', 'print the answer as JSON', false);
  accountOptions(common(accounts.command('create').description('create a paper account with its first API key; the secret is shown this once (only its hash is kept)')), {
    fees: 'zero',
    regulatoryFees: false,
  }).action((options: CreateOptions) => create(options));
  common(accounts.command('list').description('every paper account: id, type, cash, equity, creation time')).action((options: CommonOptions) => list(options));
  common(accounts.command('reset').description('reset an account to its starting cash: no positions, no open orders; its API keys stay').argument('<id>', 'the account id')).action((id: string, options: CommonOptions) =>
    reset(id, options),
  );
}

async function create(options: CreateOptions): Promise<void> {
  const body = accountRequest(options);
  const config = loadConfig();
  const url = urlOf(config, options);
  const answer = await adminRequest(config, url, 'POST', '/v1/accounts', body);
  tellWhere(answer);
  const account = answer.body;
  if (options.json) return void console.log(JSON.stringify(account, null, 2));
  console.log(
    [
      `account  ${String(account.id)} (${String(account.type)}${account.type === 'margin' ? ` ×${String(account.multiplier)}` : ''}, cash ${String(account.cash)})`,
      `key id   ${String(account.api_key_id)}`,
      `secret   ${String(account.secret)}   (shown this once: only its hash is kept)`,
      '',
      `export APCA_API_KEY_ID=${String(account.api_key_id)} APCA_API_SECRET_KEY=${String(account.secret)} APCA_API_BASE_URL=${url}`,
    ].join('\n'),
  );
}

async function list(options: CommonOptions): Promise<void> {
  const config = loadConfig();
  const answer = await adminRequest(config, urlOf(config, options), 'GET', '/v1/accounts');
  tellWhere(answer);
  if (options.json) return void console.log(JSON.stringify(answer.body, null, 2));
  const accounts = (answer.body.accounts ?? []) as ReadonlyArray<Record<string, unknown>>;
  if (accounts.length === 0) return void console.log('no paper accounts yet: tickflow accounts create --cash 100000');
  const rows = [['ID', 'TYPE', 'CASH', 'EQUITY', 'OPEN ORDERS', 'CREATED'], ...accounts.map((a) => [a.id, a.type === 'margin' ? `margin ×${String(a.multiplier)}` : a.type, a.cash, a.equity, a.open_orders, a.created_at].map(String))];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => (column >= 2 && column <= 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

async function reset(id: string, options: CommonOptions): Promise<void> {
  const config = loadConfig();
  const answer = await adminRequest(config, urlOf(config, options), 'POST', `/v1/accounts/${encodeURIComponent(id)}/reset`);
  tellWhere(answer);
  if (options.json) return void console.log(JSON.stringify(answer.body, null, 2));
  console.log(`account ${String(answer.body.id)} reset: cash ${String(answer.body.cash)}, no positions, no open orders; its API keys still work`);
}

function urlOf(config: Config, options: CommonOptions): string {
  const url = options.url ?? `http://127.0.0.1:${config.port}`;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw usageError(`--url must be an http:// or https:// URL (got ${url})`);
  return url.replace(/\/+$/, '');
}

/** On stderr, so stdout stays the answer (`--json`). */
function tellWhere(answer: AdminAnswer): void {
  if (answer.via.kind === 'offline') console.error(`tickflow: no tickflow answered; done in the embedded store in ${answer.via.store} directly`);
}
