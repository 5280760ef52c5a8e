import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDriver } from './sql-driver.ts';
import { STORE_ERROR_CODES, StoreError } from './store-error.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The migration files `NNN_name.sql` in version order. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_NAME.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(match[1]), name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new StoreError(STORE_ERROR_CODES.MIGRATION, `two migrations have version ${migrations[i]!.version}`);
    }
  }
  return migrations;
}

export interface MigrationReport {
  /** Versions applied by this call (empty when the schema was up to date). */
  readonly applied: readonly number[];
}

/**
 * Applies the migrations not yet recorded in `tickflow_migrations`, in order, in one transaction.
 * The transaction first takes an advisory lock scoped to the current schema, so two processes
 * starting at once take turns and the second finds nothing to do. A recorded migration whose file
 * changed since is an error: the schema would no longer match what the files say.
 */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationReport> {
  try {
    return await driver.transaction(async (session) => {
      await session.query(`SELECT pg_advisory_xact_lock(hashtext('tickflow-migrations'), hashtext(coalesce(current_schema(), '')))`);
      await session.exec(`CREATE TABLE IF NOT EXISTS tickflow_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await session.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM tickflow_migrations');
      const recorded = new Map(rows.map((row) => [Number(row.version), row]));
      const applied: number[] = [];
      for (const migration of migrations) {
        const done = recorded.get(migration.version);
        if (done) {
          if (done.checksum !== migration.checksum) {
            throw new StoreError(
              STORE_ERROR_CODES.MIGRATION,
              `migration ${pad(migration.version)}_${migration.name}.sql changed after it was applied (as ${pad(migration.version)}_${done.name}); add a new migration instead`,
            );
          }
          continue;
        }
        await session.exec(migration.sql);
        await session.query('INSERT INTO tickflow_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
        applied.push(migration.version);
      }
      return { applied };
    });
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(STORE_ERROR_CODES.MIGRATION, `migrating the store failed: ${(error as Error).message}`, { cause: error });
  }
}

const pad = (version: number): string => String(version).padStart(3, '0');
