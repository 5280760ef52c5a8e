-- Market data at rest. Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): plain DDL only.
-- Times are Unix ms (bigint), as in the records. Symbols and sources use the "C" collation: byte
-- order, the same on every server, and the order JavaScript compares them in.

-- (source, seq) identifies a trade. The second index serves every per-symbol read and the keyset
-- pagination on (ts_event, source, seq).
CREATE TABLE IF NOT EXISTS trades (
  source     text COLLATE "C" NOT NULL,
  seq        bigint NOT NULL,
  symbol     text COLLATE "C" NOT NULL,
  ts_event   bigint NOT NULL,
  ts_recv    bigint NOT NULL,
  price      double precision NOT NULL,
  size       double precision NOT NULL,
  conditions text[],
  PRIMARY KEY (source, seq)
);
CREATE INDEX IF NOT EXISTS trades_symbol_time ON trades (symbol, ts_event, source, seq);

-- One row per symbol: its latest trade by (ts_event, source, seq) and how many trades are stored.
-- Written in the same transaction as the trades; never moves back in event time.
CREATE TABLE IF NOT EXISTS latest_prices (
  symbol      text COLLATE "C" PRIMARY KEY,
  price       double precision NOT NULL,
  size        double precision NOT NULL,
  ts_event    bigint NOT NULL,
  ts_recv     bigint NOT NULL,
  source      text COLLATE "C" NOT NULL,
  seq         bigint NOT NULL,
  trade_count bigint NOT NULL
);

-- Bars as the aggregator closed them; 5m, 1h and 1d are aggregated from 1m at read time.
-- ("interval" and "end" are SQL keywords: bar_interval, and the end is start + interval.)
CREATE TABLE IF NOT EXISTS bars (
  symbol       text COLLATE "C" NOT NULL,
  bar_interval text NOT NULL CHECK (bar_interval IN ('1s', '1m')),
  start        bigint NOT NULL,
  open         double precision NOT NULL,
  high         double precision NOT NULL,
  low          double precision NOT NULL,
  close        double precision NOT NULL,
  volume       double precision NOT NULL,
  vwap         double precision,
  trade_count  integer NOT NULL,
  ts_event     bigint NOT NULL,
  ts_recv      bigint NOT NULL,
  PRIMARY KEY (symbol, bar_interval, start)
);

-- Window metrics. A publication carries no id, so its identity is its content: fingerprint is a
-- hash of every field, and a redelivered record (same content) is not a second row. id keeps
-- arrival order for publications sharing one event time. ("window" is reserved: window_size.)
CREATE TABLE IF NOT EXISTS window_metrics (
  symbol      text COLLATE "C" NOT NULL,
  ts_event    bigint NOT NULL,
  fingerprint text COLLATE "C" NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  window_size integer NOT NULL,
  trade_count integer NOT NULL,
  vwap        double precision,
  avg_price   double precision NOT NULL,
  min_price   double precision NOT NULL,
  max_price   double precision NOT NULL,
  first_price double precision NOT NULL,
  last_price  double precision NOT NULL,
  change_pct  double precision NOT NULL,
  volume      double precision NOT NULL,
  ts_start    bigint NOT NULL,
  ts_recv     bigint NOT NULL,
  PRIMARY KEY (symbol, ts_event, fingerprint)
);

-- Provider responses as received (body verbatim: error pages are not always JSON).
CREATE TABLE IF NOT EXISTS raw_responses (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider   text NOT NULL,
  symbol     text COLLATE "C",
  status     integer NOT NULL,
  body       text NOT NULL,
  fetched_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS raw_responses_lookup ON raw_responses (provider, symbol, fetched_at);

CREATE TABLE IF NOT EXISTS moving_averages (
  symbol      text COLLATE "C" NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('SMA', 'EMA')),
  window_size integer NOT NULL CHECK (window_size > 0),
  ts          bigint NOT NULL,
  value       double precision NOT NULL,
  PRIMARY KEY (symbol, kind, window_size, ts)
);
