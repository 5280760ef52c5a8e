-- The paper-trading tape's recent volume by price (the queue-ahead estimate's input), apart from the
-- market snapshot: each commit appends what a symbol gained since the last one (`entries`:
-- [bucket start, price, size] increments, JSON kept as text: only tickflow reads it, whole) and
-- deletes the rows wholly older than the window, so a commit writes what is new, not the whole last
-- minute of the tape. Read back in `id` order.
CREATE TABLE IF NOT EXISTS trading_recent_volume (
  id          bigserial PRIMARY KEY,
  symbol      text COLLATE "C" NOT NULL,
  last_bucket bigint NOT NULL,
  entries     text NOT NULL
);
CREATE INDEX IF NOT EXISTS trading_recent_volume_by_symbol ON trading_recent_volume (symbol, last_bucket);
