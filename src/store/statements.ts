/**
 * Every statement the store runs, in the subset PostgreSQL 15 and PGlite (PostgreSQL 18) share.
 * Values always travel as parameters; the only text spliced in is table and column names from this
 * module's own constants.
 */

/** Temporary table a batch is loaded into before `INSERT … ON CONFLICT DO NOTHING`; emptied at every commit. */
export function createStagingTable(table: string, columns: readonly string[]): string {
  return `CREATE TEMPORARY TABLE IF NOT EXISTS ${stagingTable(table)} ON COMMIT DELETE ROWS AS SELECT ${columns.join(', ')} FROM ${table} WITH NO DATA`;
}

export function stagingTable(table: string): string {
  return `tickflow_stage_${table}`;
}

export function insertFromStaging(table: string, columns: readonly string[], returning = ''): string {
  const list = columns.join(', ');
  return `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stagingTable(table)} ON CONFLICT DO NOTHING${returning ? ` RETURNING ${returning}` : ''}`;
}

/**
 * One row per symbol of the trades just inserted: its latest trade and how many there were. The
 * stored row moves to the new trade only if that is later in (ts_event, source, seq); the count
 * always adds up. Rows are inserted in symbol order so concurrent writers lock them in one order.
 */
export const UPSERT_LATEST_PRICES = `
INSERT INTO latest_prices AS l (symbol, price, size, ts_event, ts_recv, source, seq, trade_count)
SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::int8[], $5::int8[], $6::text[], $7::int8[], $8::int8[])
ORDER BY 1
ON CONFLICT (symbol) DO UPDATE SET
  price       = CASE WHEN (excluded.ts_event, excluded.source, excluded.seq) > (l.ts_event, l.source, l.seq) THEN excluded.price ELSE l.price END,
  size        = CASE WHEN (excluded.ts_event, excluded.source, excluded.seq) > (l.ts_event, l.source, l.seq) THEN excluded.size ELSE l.size END,
  ts_recv     = CASE WHEN (excluded.ts_event, excluded.source, excluded.seq) > (l.ts_event, l.source, l.seq) THEN excluded.ts_recv ELSE l.ts_recv END,
  source      = CASE WHEN (excluded.ts_event, excluded.source, excluded.seq) > (l.ts_event, l.source, l.seq) THEN excluded.source ELSE l.source END,
  seq         = CASE WHEN (excluded.ts_event, excluded.source, excluded.seq) > (l.ts_event, l.source, l.seq) THEN excluded.seq ELSE l.seq END,
  ts_event    = GREATEST(excluded.ts_event, l.ts_event),
  trade_count = l.trade_count + excluded.trade_count`;

export const LATEST_PRICE = 'SELECT symbol, price, size, ts_event, ts_recv, source, seq FROM latest_prices WHERE symbol = $1';

export const SYMBOLS = 'SELECT symbol, price, ts_event, ts_recv, trade_count FROM latest_prices ORDER BY symbol';

const TRADE_FIELDS = 'source, seq, symbol, ts_event, ts_recv, price, size, conditions';

/** $1 symbol, $2 from, $3 to, $4 limit; after a cursor also $5 ts_event, $6 source, $7 seq. */
export const TRADES = {
  asc: `SELECT ${TRADE_FIELDS} FROM trades WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 ORDER BY ts_event, source, seq LIMIT $4`,
  desc: `SELECT ${TRADE_FIELDS} FROM trades WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 ORDER BY ts_event DESC, source DESC, seq DESC LIMIT $4`,
  ascAfter: `SELECT ${TRADE_FIELDS} FROM trades WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 AND (ts_event, source, seq) > ($5, $6, $7) ORDER BY ts_event, source, seq LIMIT $4`,
  descAfter: `SELECT ${TRADE_FIELDS} FROM trades WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 AND (ts_event, source, seq) < ($5, $6, $7) ORDER BY ts_event DESC, source DESC, seq DESC LIMIT $4`,
} as const;

const SIGNAL_FIELDS = 'symbol, strategy, side, strength, price, ts_event, ts_recv, reason, lineage';

/** $1 symbol, $2 from, $3 to, $4 strategy or null, $5 limit; both orders walk the primary key. */
export const SIGNALS = {
  asc: `SELECT ${SIGNAL_FIELDS} FROM signals WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 AND ($4::text IS NULL OR strategy = $4) ORDER BY ts_event, strategy, side LIMIT $5`,
  desc: `SELECT ${SIGNAL_FIELDS} FROM signals WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 AND ($4::text IS NULL OR strategy = $4) ORDER BY ts_event DESC, strategy DESC, side DESC LIMIT $5`,
} as const;

/** $1 symbol, $2 interval ('1s' | '1m'), $3 from, $4 to, $5 limit. */
export const STORED_BARS = `
SELECT start, open, high, low, close, volume, vwap, trade_count
FROM bars WHERE symbol = $1 AND bar_interval = $2 AND start >= $3 AND start < $4
ORDER BY start LIMIT $5`;

/**
 * Bars of width $2 (ms) from the stored 1m bars with start in [$3, $4) ($3 and $4 multiples of $2,
 * so every bucket is whole): open of the first, close of the last, high/low over them, volume and
 * count summed, VWAP weighted by volume over the 1m bars that have one.
 */
export const AGGREGATED_BARS = `
SELECT bucket AS start,
  (array_agg(open ORDER BY start))[1] AS open,
  max(high) AS high,
  min(low) AS low,
  (array_agg(close ORDER BY start DESC))[1] AS close,
  sum(volume) AS volume,
  sum(vwap * volume) FILTER (WHERE vwap IS NOT NULL) / NULLIF(sum(volume) FILTER (WHERE vwap IS NOT NULL), 0) AS vwap,
  sum(trade_count)::float8 AS trade_count
FROM (
  SELECT start - start % $2 AS bucket, start, open, high, low, close, volume, vwap, trade_count
  FROM bars WHERE symbol = $1 AND bar_interval = '1m' AND start >= $3 AND start < $4
) minute_bars
GROUP BY bucket ORDER BY bucket LIMIT $5`;

export const LATEST_METRICS = `
SELECT symbol, window_size, trade_count, vwap, avg_price, min_price, max_price, first_price, last_price, change_pct, volume, ts_start, ts_event, ts_recv
FROM window_metrics WHERE symbol = $1 ORDER BY ts_event DESC, id DESC LIMIT 1`;

export const INSERT_RAW_RESPONSE = 'INSERT INTO raw_responses (response_id, provider, symbol, status, body, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)';

const RAW_RESPONSE_COLUMNS = 'response_id::text AS id, provider, symbol, status, body, fetched_at';
export const RAW_RESPONSE_BY_UUID = `SELECT ${RAW_RESPONSE_COLUMNS} FROM raw_responses WHERE response_id = $1::uuid`;
/** By the numeric row id that price events written before the seed contract name. */
export const RAW_RESPONSE_BY_ROW_ID = `SELECT ${RAW_RESPONSE_COLUMNS} FROM raw_responses WHERE id = $1`;

export const UPSERT_MOVING_AVERAGES = `
INSERT INTO moving_averages (symbol, kind, window_size, ts, value)
SELECT * FROM unnest($1::text[], $2::text[], $3::int4[], $4::int8[], $5::float8[])
ON CONFLICT (symbol, kind, window_size, ts) DO UPDATE SET value = excluded.value`;

/** $1 symbol, $2 kind or null, $3 window or null, $4 from, $5 to, $6 limit. */
export const MOVING_AVERAGES = `
SELECT symbol, kind, window_size, ts, value FROM moving_averages
WHERE symbol = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::int4 IS NULL OR window_size = $3) AND ts >= $4 AND ts < $5
ORDER BY ts, kind, window_size LIMIT $6`;
