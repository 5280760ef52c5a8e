import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

/** The account administration API's bearer token, and where it is kept (never the token itself in output). */
export interface AdminToken {
  readonly token: string;
  /** `TICKFLOW_ADMIN_TOKEN`, or the file's path. */
  readonly where: string;
}

export interface AdminTokenSettings {
  /** `TICKFLOW_ADMIN_TOKEN`, already checked by the configuration. */
  readonly adminToken: string | undefined;
  readonly dataDir: string;
}

const TOKEN_PATTERN = /^[A-Za-z0-9._~+-]{16,}$/;

export function adminTokenFile(dataDir: string): string {
  return join(dataDir, 'admin-token');
}

/**
 * The token from TICKFLOW_ADMIN_TOKEN, else from `<data dir>/admin-token`, else a new one (256 random
 * bits) written there first, readable by this user only. Two processes starting at once agree: the
 * file is created exclusively and the loser reads the winner's.
 */
export function ensureAdminToken(settings: AdminTokenSettings): AdminToken {
  const existing = readAdminToken(settings);
  if (existing) return existing;
  const file = adminTokenFile(settings.dataDir);
  mkdirSync(settings.dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readAdminToken(settings)!;
}

/** The token, or `null` when neither the variable nor the file holds one. A file others may read is refused. */
export function readAdminToken(settings: AdminTokenSettings): AdminToken | null {
  if (settings.adminToken !== undefined) return { token: settings.adminToken, where: 'TICKFLOW_ADMIN_TOKEN' };
  const file = adminTokenFile(settings.dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`cannot read the admin token in ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if ((statSync(file).mode & 0o077) !== 0) throw new ConfigError(`the admin token in ${file} is readable by other users: chmod 600 ${file}`);
  if (!TOKEN_PATTERN.test(text)) throw new ConfigError(`the admin token in ${file} is not a token (at least 16 of A-Z a-z 0-9 . _ ~ + -); delete the file to have a new one made`);
  return { token: text, where: file };
}
