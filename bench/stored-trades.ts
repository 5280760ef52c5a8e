import pg from 'pg';
import { postgresConnection } from '../src/store/postgres-tls.ts';
import { within, type MeasuringWindow } from './measuring-window.ts';

export interface StoredTrades {
  /** Per trade row that became visible within the window: when it was first seen − its `ts_recv`, ms. */
  readonly latencies: number[];
  /** Rows the count said were stored but the look-back did not find (stored later than `lookbackMs` after receipt). */
  readonly missed: number;
  readonly polls: number;
}

/**
 * Watches the `trades` table of a tickflow store from outside, as a reader of the database would see
 * it. Every `pollMs` it reads the stored-trade count in `latest_prices` (nine rows, written in the
 * same transaction as the trades); when it moved, it fetches the rows received in the last
 * `lookbackMs` that it has not seen (on the primary key: `seq` ≥ receipt ms × 1000, see
 * IngestSequence) and dates them to the start of the poll that saw the count move, so a row is
 * dated at most one poll interval (plus a round trip) after it became visible.
 */
export async function timeStoredTrades(url: string, source: string, window: MeasuringWindow, pollMs = 3, lookbackMs = 5_000): Promise<StoredTrades> {
  const client = new pg.Client(postgresConnection(url));
  await client.connect();
  const latencies: number[] = [];
  const seen = new Set<number>();
  let counted = 0;
  let missed = 0;
  let polls = 0;
  try {
    while (Date.now() < window.to) {
      const polledAt = Date.now();
      polls++;
      const total = await storedCount(client);
      if (total !== counted) {
        const since = (polledAt - lookbackMs) * 1000;
        const { rows } = await client.query<{ seq: string; ts_recv: string; total: string }>(
          'SELECT seq, ts_recv, (SELECT coalesce(sum(trade_count), 0) FROM latest_prices) AS total FROM trades WHERE source = $1 AND seq > $2',
          [source, since],
        );
        let fresh = 0;
        for (const row of rows) {
          const seq = Number(row.seq);
          if (seen.has(seq)) continue;
          seen.add(seq);
          fresh++;
          if (within(window, polledAt)) latencies.push(polledAt - Number(row.ts_recv));
        }
        const fetchedTotal = Number(rows[0]?.total ?? total);
        if (within(window, polledAt)) missed += Math.max(0, fetchedTotal - counted - fresh);
        counted = fetchedTotal;
        for (const seq of seen) if (seq <= since) seen.delete(seq);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, polledAt + pollMs - Date.now())));
    }
  } finally {
    await client.end();
  }
  return { latencies, missed, polls };
}

async function storedCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ total: string }>('SELECT coalesce(sum(trade_count), 0) AS total FROM latest_prices');
  return Number(rows[0]!.total);
}
