import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { DirectoryLock } from './directory-lock.ts';
import { migrate } from './migrate.ts';
import type { SqlDriver, SqlResult, SqlSession } from './sql-driver.ts';
import { SqlStore, type SqlStoreOptions } from './sql-store.ts';
import { STORE_ERROR_CODES, StoreError } from './store-error.ts';

export interface PgliteStoreOptions extends SqlStoreOptions {
  /** The database directory (`<TICKFLOW_DATA_DIR>/store`), created on first use. */
  readonly dir: string;
}

/**
 * The embedded store: PostgreSQL 18 compiled to WebAssembly, in this process, persisted to `dir`.
 * One process at a time: PGlite itself would let two open one directory and corrupt it, so a lock
 * file next to the directory refuses the second.
 */
export async function openPgliteStore(options: PgliteStoreOptions): Promise<SqlStore> {
  const dir = resolve(options.dir);
  mkdirSync(dirname(dir), { recursive: true });
  const lock = DirectoryLock.acquire(`${dir}.lock`, 'the PGlite store');
  let db: PGlite | null = null;
  try {
    db = await PGlite.create(dir);
    const driver = new PgliteDriver(db);
    await migrate(driver);
    return new SqlStore(driver, options, async () => lock.release());
  } catch (error) {
    await db?.close().catch(() => {});
    lock.release();
    if (error instanceof StoreError) throw error;
    throw new StoreError(STORE_ERROR_CODES.UNAVAILABLE, `cannot open the PGlite store in ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

interface Queryable {
  query<R>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown>;
}

/** PGlite is one connection: its `transaction` queues everything else behind it. */
export class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite';
  readonly #db: PGlite;
  readonly #connectionState = new Set<string>();

  constructor(db: PGlite) {
    this.#db = db;
  }

  query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    return run<R>(this.#db, text, params);
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction((tx: Transaction) => work(this.#session(tx)));
    } catch (error) {
      this.#connectionState.clear();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }

  #session(tx: Queryable): SqlSession {
    return {
      query: <R>(text: string, params: readonly unknown[] = []) => run<R>(tx, text, params),
      exec: async (text) => void (await tx.exec(text)),
      // COPY FROM '/dev/blob' reads the blob handed to this query (PGlite's stand-in for STDIN).
      copyIn: async (table, columns, data) =>
        void (await tx.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' (FORMAT binary)`, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) })),
      connectionState: this.#connectionState,
    };
  }
}

async function run<R>(target: Queryable, text: string, params: readonly unknown[]): Promise<SqlResult<R>> {
  const result = await target.query<R>(text, [...params]);
  return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
}
