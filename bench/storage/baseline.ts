import { finished } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Trade } from '../../src/model/trade.ts';
import { TRADE_COLUMNS, tradeCopyRows } from '../../src/store/copy-binary.ts';

/**
 * The baselines: the same trades, encoded by the same code (COPY binary format), COPYed in autocommit (one COPY per
 * batch, no transaction around it, no conflict handling). `plain_trades` has the trades' columns
 * and nothing else; `indexed_trades` adds the same primary key and index as `trades`.
 */
export const BASELINE_TABLES = {
  plain: `CREATE TABLE plain_trades (source text COLLATE "C" NOT NULL, seq bigint NOT NULL, symbol text COLLATE "C" NOT NULL, ts_event bigint NOT NULL,
    ts_recv bigint NOT NULL, price double precision NOT NULL, size double precision NOT NULL, conditions text[])`,
  indexed: `CREATE TABLE indexed_trades (source text COLLATE "C" NOT NULL, seq bigint NOT NULL, symbol text COLLATE "C" NOT NULL, ts_event bigint NOT NULL,
    ts_recv bigint NOT NULL, price double precision NOT NULL, size double precision NOT NULL, conditions text[], PRIMARY KEY (source, seq));
    CREATE INDEX indexed_trades_symbol_time ON indexed_trades (symbol, ts_event, source, seq)`,
} as const;

export type Baseline = keyof typeof BASELINE_TABLES;

const COPY_COLUMNS = TRADE_COLUMNS.join(', ');

export async function copyBatchesPg(client: pg.Client, table: string, batches: readonly (readonly Trade[])[]): Promise<void> {
  for (const batch of batches) {
    const stream = client.query(copyFrom(`COPY ${table} (${COPY_COLUMNS}) FROM STDIN (FORMAT binary)`));
    stream.end(tradeCopyRows(batch));
    await finished(stream);
  }
}

export async function copyBatchesPglite(db: PGlite, table: string, batches: readonly (readonly Trade[])[]): Promise<void> {
  for (const batch of batches) {
    await db.query(`COPY ${table} (${COPY_COLUMNS}) FROM '/dev/blob' (FORMAT binary)`, [], { blob: new Blob([tradeCopyRows(batch)]) });
  }
}
