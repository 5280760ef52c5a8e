import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/config.ts';
import { FILL_FIELDS, validateAccountRequest } from '../../model/account-request.ts';
import { usageError } from '../usage-error.ts';
import { adminRequest, type AdminAnswer } from './accounts-client.ts';

interface CommonOptions {
  readonly url?: string;
  readonly json: boolean;
}

interface CreateOptions extends CommonOptions {
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
  common(
    accounts
      .command('create')
      .description('create a paper account with its first API key; the secret is shown this once (only its hash is kept)')
      .option('--cash <amount>', 'starting cash, USD, at most 2 decimals (default 100000)')
      .option('--type <type>', 'margin (default) or cash')
      .option('--multiplier <n>', 'margin accounts: buying power multiplier, 1 to 4 (default 2)')
      .option('--fees <model>', 'zero (default), per-share (0.005 a share, at least 1, at most 1 % per order) or percent (--maker-bps, --taker-bps)')
      .option('--per-share <usd>', 'per-share fees: dollars a share')
      .option('--fee-minimum <usd>', 'per-share fees: minimum per order')
      .option('--fee-max-percent <pct>', 'per-share fees: at most this % of the order value')
      .option('--maker-bps <bps>', 'percent fees: basis points of resting (maker) fills')
      .option('--taker-bps <bps>', 'percent fees: basis points of taking (taker) fills')
      .option('--regulatory-fees', 'SEC and FINRA TAF fees on sales of US equities (2024 rates)', false)
      .option('--fill <name=value>', `a fill-model setting, repeatable: ${Object.keys(FILL_FIELDS).join(', ')}`, (value: string, all: string[]) => [...all, value], [] as string[])
      .option('--settlement-sessions <n>', 'cash accounts: sessions until sale proceeds settle (default 1)'),
  ).action((options: CreateOptions) => create(options));
  common(accounts.command('list').description('every paper account: id, type, cash, equity, creation time')).action((options: CommonOptions) => list(options));
  common(accounts.command('reset').description('reset an account to its starting cash: no positions, no open orders; its API keys stay').argument('<id>', 'the account id')).action((id: string, options: CommonOptions) =>
    reset(id, options),
  );
}

/** The request `create`'s options stand for, checked as the server checks it. */
export function createRequest(options: CreateOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.cash !== undefined) body.cash = options.cash;
  if (options.type !== undefined) body.type = options.type;
  if (options.multiplier !== undefined) body.multiplier = numberOrText(options.multiplier);
  const feeParameters = { per_share: options.perShare, minimum: options.feeMinimum, maximum_percent: options.feeMaxPercent, maker_bps: options.makerBps, taker_bps: options.takerBps };
  const given = Object.fromEntries(Object.entries(feeParameters).filter(([, value]) => value !== undefined));
  if (options.fees !== undefined) body.fees = Object.keys(given).length === 0 && options.fees !== 'percent' ? options.fees : { model: options.fees, ...given };
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
  const problem = validateAccountRequest(body);
  if (typeof problem === 'string') throw usageError(problem.replace(/^fills\.([a-z_]+)/, '--fill $1'));
  return body;
}

async function create(options: CreateOptions): Promise<void> {
  const body = createRequest(options);
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

function numberOrText(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}
