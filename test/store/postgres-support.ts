import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** PostgreSQL for the tests: DATABASE_URL, or the local server with trust auth. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A schema no other test uses, dropped by `drop`. Fails (never skips) with what to do when
 * PostgreSQL cannot be reached.
 */
export async function uniqueSchema(prefix: string): Promise<{ name: string; drop(): Promise<void> }> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${TEST_DATABASE_URL} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). ` +
        'Start it (here: `pg_ctlcluster 15 main start`) or point DATABASE_URL at one; these tests do not skip.',
      { cause: error },
    );
  }
  await client.end();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name,
    async drop() {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
