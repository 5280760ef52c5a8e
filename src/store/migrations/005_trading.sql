-- Paper trading: the trading service's state and history (src/trading/service/README.md).
-- Runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): plain DDL only. Times are Unix ms; money and
-- quantities stay decimal strings inside the JSON, as the engine writes them.

-- One row per account: its configuration and the engine's snapshot of it (replaced on every change).
CREATE TABLE IF NOT EXISTS trading_accounts (
  account_id text COLLATE "C" PRIMARY KEY,
  config     jsonb NOT NULL,
  snapshot   jsonb NOT NULL,
  created_at bigint NOT NULL
);

-- Only a salted hash of the secret is kept; the secret is shown once, when the key is created.
CREATE TABLE IF NOT EXISTS trading_api_keys (
  key_id      text COLLATE "C" PRIMARY KEY,
  account_id  text COLLATE "C" NOT NULL REFERENCES trading_accounts (account_id) ON DELETE CASCADE,
  secret_hash text NOT NULL,
  created_at  bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS trading_api_keys_account ON trading_api_keys (account_id);

-- The latest state of every order (open or final), for the listings the engine does not keep.
CREATE TABLE IF NOT EXISTS trading_orders (
  order_id        text COLLATE "C" PRIMARY KEY,
  account_id      text COLLATE "C" NOT NULL,
  client_order_id text COLLATE "C" NOT NULL,
  symbol          text COLLATE "C" NOT NULL,
  status          text NOT NULL,
  is_open         boolean NOT NULL,
  submitted_at    bigint NOT NULL,
  updated_at      bigint NOT NULL,
  snapshot        jsonb NOT NULL,
  UNIQUE (account_id, client_order_id)
);
CREATE INDEX IF NOT EXISTS trading_orders_account ON trading_orders (account_id, is_open, submitted_at);

-- Every trade update, in the account's order (seq): the account's activities.
CREATE TABLE IF NOT EXISTS trading_updates (
  account_id text COLLATE "C" NOT NULL,
  seq        bigint NOT NULL,
  event      text NOT NULL,
  ts         bigint NOT NULL,
  body       jsonb NOT NULL,
  PRIMARY KEY (account_id, seq)
);
CREATE INDEX IF NOT EXISTS trading_updates_account_time ON trading_updates (account_id, ts, seq);

-- Equity sampled every minute of event time and at each session close.
CREATE TABLE IF NOT EXISTS trading_equity (
  account_id text COLLATE "C" NOT NULL,
  ts         bigint NOT NULL,
  equity     text NOT NULL,
  pl         text NOT NULL,
  pl_pct     text NOT NULL,
  PRIMARY KEY (account_id, ts)
);

-- The engine's shared tape and time: one row.
CREATE TABLE IF NOT EXISTS trading_market (
  id       smallint PRIMARY KEY CHECK (id = 1),
  snapshot jsonb NOT NULL
);

-- Next input offset per topic partition, written in the transaction that applied the prints before
-- it: the state and the position in the tape move together (exactly once).
CREATE TABLE IF NOT EXISTS trading_offsets (
  topic       text COLLATE "C" NOT NULL,
  partition_no integer NOT NULL,
  next_offset bigint NOT NULL,
  PRIMARY KEY (topic, partition_no)
);

-- Records to publish (trade updates to `executions`, accepted commands to `orders`), written in the
-- transaction of the change they describe and deleted once the bus acknowledged them: a crash
-- between the commit and the publish leaves them here for the next start (at least once on the bus;
-- consumers tell a second copy by its key and (account_id, seq)).
CREATE TABLE IF NOT EXISTS trading_outbox (
  id         bigserial PRIMARY KEY,
  topic_kind text NOT NULL CHECK (topic_kind IN ('orders', 'executions')),
  record_key text COLLATE "C" NOT NULL,
  body       jsonb NOT NULL,
  ts         bigint NOT NULL
);

-- The one trading service allowed to write: each service claims the next epoch when it starts, and
-- every commit checks it still holds the latest (a zombie writer is fenced, as Kafka fences producers).
CREATE TABLE IF NOT EXISTS trading_writer (
  id    smallint PRIMARY KEY CHECK (id = 1),
  epoch bigint NOT NULL
);
