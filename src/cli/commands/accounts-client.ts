import type { Config } from '../../config/config.ts';
import { ConfigError, ERROR_CODES, TickflowError } from '../../errors.ts';
import { STORE_ERROR_CODES } from '../../store/store-error.ts';
import { adminTokenFile, readAdminToken } from '../admin-token.ts';
import { openOfflineAccounts } from '../compose/offline-accounts.ts';
import { usageError } from '../usage-error.ts';

export interface AdminAnswer {
  readonly body: Record<string, unknown>;
  /** Where the request went: the server's URL, or the embedded store opened directly. */
  readonly via: { readonly kind: 'server'; readonly url: string } | { readonly kind: 'offline'; readonly store: string };
}

export const ACCOUNTS_CLIENT_DEFAULTS = { timeoutMs: 15_000 } as const;

/** Network failures that mean nobody listens there (as opposed to a server that answered badly). */
const NOBODY_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * One request to the account administration API: to the tickflow at `url` with the admin token;
 * when nothing listens there, to the same routes over the embedded store opened in this process,
 * unless a running tickflow holds that store (TRADING_UNREACHABLE) or the store is PostgreSQL.
 */
export async function adminRequest(config: Config, url: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<AdminAnswer> {
  const token = readAdminToken(config);
  let response: Response;
  try {
    response = await fetch(new URL(path, url), {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(ACCOUNTS_CLIENT_DEFAULTS.timeoutMs),
    });
  } catch (error) {
    const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
    if (!NOBODY_THERE.has(code)) throw new TickflowError(ERROR_CODES.TRADING_UNREACHABLE, `tickflow at ${url} did not answer: ${code || (error as Error).message}`, { canRetry: true, cause: error });
    return offline(config, url, method, path, body);
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return { body: answer, via: { kind: 'server', url } };
  const detail = typeof answer.detail === 'string' ? answer.detail : `HTTP ${response.status}`;
  if (response.status === 401) {
    throw new ConfigError(token ? `tickflow at ${url} refused the admin token from ${token.where}: is it this server's? (${detail})` : `no admin token: TICKFLOW_ADMIN_TOKEN is unset and ${adminTokenFile(config.dataDir)} does not exist (run with the server's TICKFLOW_DATA_DIR)`);
  }
  if (response.status === 404 && /^no route /.test(detail)) throw new TickflowError(ERROR_CODES.TRADING_UNREACHABLE, `tickflow at ${url} does not run the trading service (no /v1/accounts there): ask the process that runs it (tickflow up, or run trading)`);
  return failed(response.status, detail);
}

async function offline(config: Config, url: string, method: 'GET' | 'POST', path: string, body: unknown): Promise<AdminAnswer> {
  if (config.databaseUrl) throw new TickflowError(ERROR_CODES.TRADING_UNREACHABLE, `no tickflow answers at ${url}, and the store is PostgreSQL (DATABASE_URL), which a running trading service elsewhere may hold: start tickflow, or give --url`, { canRetry: true });
  let accounts;
  try {
    accounts = await openOfflineAccounts(config);
  } catch (error) {
    if ((error as { code?: unknown }).code !== STORE_ERROR_CODES.LOCKED) throw error;
    throw new TickflowError(ERROR_CODES.TRADING_UNREACHABLE, `no tickflow answers at ${url}, and the embedded store is held by a running process (${(error as Error).message}): give the --url (or PORT) of that tickflow`, { canRetry: true, cause: error });
  }
  try {
    const response = await accounts.app.inject({ method, url: path, headers: { authorization: `Bearer ${accounts.token}` }, ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}) });
    const answer = response.json<Record<string, unknown>>();
    if (response.statusCode >= 400) return failed(response.statusCode, typeof answer.detail === 'string' ? answer.detail : `HTTP ${response.statusCode}`);
    return { body: answer, via: { kind: 'offline', store: accounts.where } };
  } finally {
    await accounts.close();
  }
}

/** A refused body is the command line's fault (exit 2); anything else is a failure (exit 1). */
function failed(status: number, detail: string): never {
  if (status === 400 || status === 422) throw usageError(detail);
  throw new TickflowError(ERROR_CODES.HTTP_PROBLEM, status === 404 ? detail : `tickflow answered ${status}: ${detail}`, { canRetry: status >= 500 });
}
