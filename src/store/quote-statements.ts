/** The statements of quotes and quote bars (see statements.ts for the rules all statements follow). */

const QUOTE_FIELDS = 'source, seq, symbol, ts_event, ts_recv, bid, ask, bid_size, ask_size';

/** $1 symbol, $2 from, $3 to, $4 limit; after a cursor also $5 ts_event, $6 source, $7 seq. */
export const QUOTES = {
  asc: `SELECT ${QUOTE_FIELDS} FROM quotes WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 ORDER BY ts_event, source, seq LIMIT $4`,
  desc: `SELECT ${QUOTE_FIELDS} FROM quotes WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 ORDER BY ts_event DESC, source DESC, seq DESC LIMIT $4`,
  ascAfter: `SELECT ${QUOTE_FIELDS} FROM quotes WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 AND (ts_event, source, seq) > ($5, $6, $7) ORDER BY ts_event, source, seq LIMIT $4`,
  descAfter: `SELECT ${QUOTE_FIELDS} FROM quotes WHERE symbol = $1 AND ts_event >= $2 AND ts_event < $3 AND (ts_event, source, seq) < ($5, $6, $7) ORDER BY ts_event DESC, source DESC, seq DESC LIMIT $4`,
} as const;

const QUOTE_BAR_FIELDS = 'start, bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close, last_bid_size, last_ask_size, quote_count';

/** $1 symbol, $2 interval ('1s' | '1m'), $3 from, $4 to, $5 limit. */
export const STORED_QUOTE_BARS = `
SELECT ${QUOTE_BAR_FIELDS}
FROM quote_bars WHERE symbol = $1 AND bar_interval = $2 AND start >= $3 AND start < $4
ORDER BY start LIMIT $5`;

/**
 * Quote bars of width $2 (ms) from the stored 1m quote bars with start in [$3, $4) ($3 and $4
 * multiples of $2, so every bucket is whole): each side's open of the first, close of the last,
 * high/low over them; the last sizes of the latest bar that has one; the quote count summed.
 */
export const AGGREGATED_QUOTE_BARS = `
SELECT bucket AS start,
  (array_agg(bid_open ORDER BY start))[1] AS bid_open,
  max(bid_high) AS bid_high,
  min(bid_low) AS bid_low,
  (array_agg(bid_close ORDER BY start DESC))[1] AS bid_close,
  (array_agg(ask_open ORDER BY start))[1] AS ask_open,
  max(ask_high) AS ask_high,
  min(ask_low) AS ask_low,
  (array_agg(ask_close ORDER BY start DESC))[1] AS ask_close,
  (array_agg(last_bid_size ORDER BY start DESC) FILTER (WHERE last_bid_size IS NOT NULL))[1] AS last_bid_size,
  (array_agg(last_ask_size ORDER BY start DESC) FILTER (WHERE last_ask_size IS NOT NULL))[1] AS last_ask_size,
  sum(quote_count)::float8 AS quote_count
FROM (
  SELECT start - start % $2 AS bucket, start, bid_open, bid_high, bid_low, bid_close, ask_open, ask_high, ask_low, ask_close, last_bid_size, last_ask_size, quote_count
  FROM quote_bars WHERE symbol = $1 AND bar_interval = '1m' AND start >= $3 AND start < $4
) minute_bars
GROUP BY bucket ORDER BY bucket LIMIT $5`;
