-- Trading signals as the signals processor published them on trading-signals. Runs on PostgreSQL 15
-- and on PGlite (PostgreSQL 18): plain DDL only.

-- A signal is identified by (symbol, ts_event, strategy, side): the strategies are deterministic,
-- so a redelivered signal repeats these exactly and is not a second row (only its ts_recv, stamped
-- by the processor's clock, may differ; the row first stored is kept). The key's column order makes
-- its index the one every read needs: a symbol's signals by event time, in either direction, over a
-- range; a strategy filter is applied within that range. lineage is the signal's array of inputs
-- (topic, partition, offset, recordType, tsEvent), checked by the store before it is written.
CREATE TABLE IF NOT EXISTS signals (
  symbol   text COLLATE "C" NOT NULL,
  ts_event bigint NOT NULL,
  strategy text COLLATE "C" NOT NULL,
  side     text COLLATE "C" NOT NULL CHECK (side IN ('buy', 'sell')),
  strength double precision NOT NULL CHECK (strength >= 0 AND strength <= 1),
  price    double precision NOT NULL CHECK (price > 0),
  ts_recv  bigint NOT NULL,
  reason   text NOT NULL,
  lineage  jsonb NOT NULL CHECK (jsonb_typeof(lineage) = 'array'),
  PRIMARY KEY (symbol, ts_event, strategy, side)
);
