import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from './migrate.ts';
import { connectFailure } from './postgres-connect-error.ts';
import { postgresConnection } from './postgres-tls.ts';
import type { SqlDriver, SqlResult, SqlSession } from './sql-driver.ts';
import { SqlStore, type SqlStoreOptions } from './sql-store.ts';
import { STORE_ERROR_CODES, StoreError } from './store-error.ts';

export interface PostgresStoreOptions extends SqlStoreOptions {
  /** `postgres://user:password@host:port/database` (DATABASE_URL), with libpq's TLS parameters (`sslmode`, `sslrootcert`, …). */
  readonly url: string;
  /** Tables live in this schema (created if missing) instead of the search path's default. */
  readonly schema?: string;
  /** Connections in the pool; default 4. */
  readonly poolSize?: number;
  /** How long to wait for a connection; default 10 000 ms. */
  readonly connectTimeoutMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The store on PostgreSQL through `pg` (which sets TCP_NODELAY itself; postgres.js without it stalls
 * every COPY ~44 ms, see the measurements) and pg-copy-streams for COPY FROM STDIN.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<SqlStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError(STORE_ERROR_CODES.INVALID_QUERY, `schema must be lower-case letters, digits and _ (got ${JSON.stringify(schema)})`);
  }
  const { connectionString, ssl } = postgresConnection(options.url);
  const pool = new pg.Pool({
    connectionString,
    ssl,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'tickflow',
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const driver = new PostgresDriver(pool, maskUrl(options.url));
  try {
    if (schema) await createSchema(driver, schema);
    await migrate(driver);
    return new SqlStore(driver, options);
  } catch (error) {
    await driver.close();
    throw error;
  }
}

async function createSchema(driver: PostgresDriver, schema: string): Promise<void> {
  try {
    await driver.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    // Two processes creating it at once: one of them loses the race on the catalog, harmlessly.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

export class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #where: string;
  /** Session state per pooled connection (connections come and go with the pool). */
  readonly #connectionState = new WeakMap<pg.PoolClient, Set<string>>();
  #closed: Promise<void> | null = null;

  constructor(pool: pg.Pool, where: string) {
    this.#pool = pool;
    this.#where = where;
    // An idle connection that breaks must not crash the process; the next query reports it.
    pool.on('error', () => {});
  }

  async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const client = await this.#connect();
    try {
      return toResult<R>(await client.query(text, [...params]));
    } finally {
      client.release();
    }
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.#connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(this.#session(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      this.#connectionState.get(client)?.clear();
      throw error;
    } finally {
      // A connection that could not roll back is in an unknown state: the pool drops it.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.#closed ??= this.#pool.end();
    return this.#closed;
  }

  async #connect(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw connectFailure(error, this.#where);
    }
  }

  #session(client: pg.PoolClient): SqlSession {
    let state = this.#connectionState.get(client);
    if (!state) this.#connectionState.set(client, (state = new Set()));
    return {
      query: async <R>(text: string, params: readonly unknown[] = [], name?: string) => toResult<R>(await client.query({ text, values: [...params], ...(name ? { name } : {}) })),
      exec: async (text) => void (await client.query(text)),
      copyIn: async (table, columns, data) => {
        const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT binary)`));
        stream.end(data);
        // Resolves once the server acknowledged the COPY; rejects with its error (e.g. 23505).
        await finished(stream);
      },
      connectionState: state,
    };
  }
}

function toResult<R>(result: pg.QueryResult | pg.QueryResult[]): SqlResult<R> {
  const last = Array.isArray(result) ? result[result.length - 1]! : result;
  return { rows: last.rows as R[], rowCount: last.rowCount ?? 0 };
}

/** The URL without its password (`pg` also takes one as a `password` parameter), for messages. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
