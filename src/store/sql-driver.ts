/**
 * What the SQL store needs from a database client: the one seam between PGlite and `pg`. Everything
 * else (statements, COPY text, idempotence, migrations) is shared.
 */
export interface SqlResult<R> {
  readonly rows: R[];
  /** Rows inserted, updated or deleted (0 for a SELECT's result here). */
  readonly rowCount: number;
}

export interface SqlSession {
  /**
   * One statement, parameters as `$1…`. A `name` makes it a prepared statement on the connection
   * (parsed and planned once; PostgreSQL only), for the statements every batch runs.
   */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], name?: string): Promise<SqlResult<R>>;
  /** Several statements without parameters (migrations, fixed control statements). */
  exec(text: string): Promise<void>;
  /** Loads `data`, a COPY binary-format stream (`copy-binary.ts`), into `table (columns)`. */
  copyIn(table: string, columns: readonly string[], data: Uint8Array): Promise<void>;
  /**
   * Lives as long as the connection: which session-level objects (temporary tables) exist on it.
   * Drivers empty it when a transaction fails, since what the transaction created is rolled back.
   */
  readonly connectionState: Set<string>;
}

export interface SqlDriver {
  readonly kind: 'pglite' | 'postgres';
  /** One statement outside a transaction (reads). */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** Runs `work` in a transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
