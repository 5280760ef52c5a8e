-- Alerts: rules (written over REST), firings (written by the alerts processor) and each rule's
-- evaluation state. Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): plain DDL only.

-- condition is {"kind": …, …fields of that kind}; checked by the store before it is written.
CREATE TABLE IF NOT EXISTS alert_rules (
  id         text COLLATE "C" PRIMARY KEY,
  symbol     text COLLATE "C" NOT NULL,
  condition  jsonb NOT NULL CHECK (jsonb_typeof(condition) = 'object' AND condition ? 'kind'),
  note       text,
  enabled    boolean NOT NULL DEFAULT true,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_rules_symbol ON alert_rules (symbol, created_at);

-- id is <rule_id>:<crossing>: a firing delivered again is not a second row. No foreign key: the
-- firings of a deleted rule stay as history, and a redelivered firing of a deleted rule must
-- still be accepted (else its batch could never commit). seq keeps arrival order.
CREATE TABLE IF NOT EXISTS alert_firings (
  id        text COLLATE "C" PRIMARY KEY,
  seq       bigint GENERATED ALWAYS AS IDENTITY,
  rule_id   text COLLATE "C" NOT NULL,
  symbol    text COLLATE "C" NOT NULL,
  condition jsonb NOT NULL,
  price     double precision,
  message   text NOT NULL,
  note      text,
  ts_event  bigint NOT NULL,
  ts_recv   bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_firings_symbol ON alert_firings (symbol, ts_event DESC, seq DESC);
CREATE INDEX IF NOT EXISTS alert_firings_rule ON alert_firings (rule_id, ts_event DESC, seq DESC);
CREATE INDEX IF NOT EXISTS alert_firings_time ON alert_firings (ts_event DESC, seq DESC);

-- One row per rule that has been evaluated. Deleted with its rule (by the store, in one
-- transaction); no foreign key, for the same reason as above.
CREATE TABLE IF NOT EXISTS alert_states (
  rule_id       text COLLATE "C" PRIMARY KEY,
  condition     jsonb NOT NULL,
  armed         boolean NOT NULL,
  crossings     bigint NOT NULL CHECK (crossings >= 0),
  last_price    double precision,
  last_ts_event bigint,
  updated_at    bigint NOT NULL
);
