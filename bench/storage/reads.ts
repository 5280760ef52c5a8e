import assert from 'node:assert/strict';
import type { SqlStore } from '../../src/store/sql-store.ts';

export interface ReadTimings {
  /** Median ms of `store.latestPrice(symbol)` (the latest-price table, by primary key). */
  readonly latestPrice: number;
  /** Median ms of `store.symbols()`: every symbol's last price, time and count. */
  readonly symbols: number;
  /** Median ms of the same answer by `DISTINCT ON` over the trades table. */
  readonly distinctOn: number;
  /** Median ms of one symbol's latest trade from the trades index (`ORDER BY … DESC LIMIT 1`). */
  readonly indexedLatest: number;
  /** Median ms of a page of 100 trades, first page and from a cursor deep in the symbol. */
  readonly tradesPage: number;
}

const DISTINCT_ON = `SELECT DISTINCT ON (symbol) symbol, price, ts_event, source, seq FROM trades ORDER BY symbol, ts_event DESC, source DESC, seq DESC`;
const INDEXED_LATEST = 'SELECT price FROM trades WHERE symbol = $1 ORDER BY ts_event DESC, source DESC, seq DESC LIMIT 1';

/** Times the reads the API makes, and checks the latest-price table against a full scan. */
export async function timeReads(store: SqlStore): Promise<ReadTimings> {
  await store.driver.query('ANALYZE trades');
  const symbols = (await store.symbols()).map((s) => s.symbol);
  const scan = (await store.driver.query<{ symbol: string; price: number; seq: unknown }>(DISTINCT_ON)).rows;
  const table = await Promise.all(symbols.map((symbol) => store.latestPrice(symbol)));
  assert.deepEqual(
    table.map((row) => [row!.symbol, row!.price, row!.seq]),
    scan.map((row) => [row.symbol, Number(row.price), Number(row.seq)]),
    'the latest-price table agrees with a scan of every trade',
  );
  let i = 0;
  const next = () => symbols[i++ % symbols.length]!;
  const deep = await store.trades({ symbol: symbols[0]!, limit: 10_000 });
  return {
    latestPrice: await median(200, () => store.latestPrice(next())),
    symbols: await median(50, () => store.symbols()),
    distinctOn: await median(5, () => store.driver.query(DISTINCT_ON)),
    indexedLatest: await median(200, () => store.driver.query(INDEXED_LATEST, [next()])),
    tradesPage: await median(100, (n) => store.trades({ symbol: symbols[0]!, limit: 100, cursor: n % 2 ? deep.nextCursor : null })),
  };
}

async function median(runs: number, read: (n: number) => Promise<unknown>): Promise<number> {
  await read(0);
  const times: number[] = [];
  for (let n = 0; n < runs; n++) {
    const start = performance.now();
    await read(n);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
