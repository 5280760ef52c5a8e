-- Quotes (best bid and ask) and quote bars, kept as the raw topic and the aggregator publish them.
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): plain DDL only. Times are Unix ms.

-- (source, seq) identifies a quote, as it does a trade. Sizes are NULL when the venue sends none
-- (Lean's OANDA forex ticks). The second index serves every per-symbol read and the keyset pagination
-- on (ts_event, source, seq).
CREATE TABLE IF NOT EXISTS quotes (
  source   text COLLATE "C" NOT NULL,
  seq      bigint NOT NULL,
  symbol   text COLLATE "C" NOT NULL,
  ts_event bigint NOT NULL,
  ts_recv  bigint NOT NULL,
  bid      double precision NOT NULL CHECK (bid > 0),
  ask      double precision NOT NULL CHECK (ask > 0),
  bid_size double precision CHECK (bid_size >= 0),
  ask_size double precision CHECK (ask_size >= 0),
  PRIMARY KEY (source, seq)
);
CREATE INDEX IF NOT EXISTS quotes_symbol_time ON quotes (symbol, ts_event, source, seq);

-- Quote bars as the aggregator closed them: OHLC of the bid and of the ask, the last size > 0 of each
-- side (NULL when no quote of the bar had one) and the number of quotes. 5m, 1h and 1d are aggregated
-- from 1m at read time, as for trade bars. A bar is identified by (symbol, bar_interval, start): a
-- redelivered bar is not a second row.
CREATE TABLE IF NOT EXISTS quote_bars (
  symbol        text COLLATE "C" NOT NULL,
  bar_interval  text NOT NULL CHECK (bar_interval IN ('1s', '1m')),
  start         bigint NOT NULL,
  bid_open      double precision NOT NULL,
  bid_high      double precision NOT NULL,
  bid_low       double precision NOT NULL,
  bid_close     double precision NOT NULL,
  ask_open      double precision NOT NULL,
  ask_high      double precision NOT NULL,
  ask_low       double precision NOT NULL,
  ask_close     double precision NOT NULL,
  last_bid_size double precision,
  last_ask_size double precision,
  quote_count   integer NOT NULL CHECK (quote_count >= 1),
  ts_event      bigint NOT NULL,
  ts_recv       bigint NOT NULL,
  PRIMARY KEY (symbol, bar_interval, start)
);
