-- Each open order's working state (match state, fills so far), one row per order, apart from its
-- account's snapshot: a step rewrites only the orders whose state it changed, not every open order
-- of every account it touched. Removed when the order leaves the book.
CREATE TABLE IF NOT EXISTS trading_working_orders (
  account_id text COLLATE "C" NOT NULL REFERENCES trading_accounts (account_id) ON DELETE CASCADE,
  order_id   text COLLATE "C" NOT NULL,
  seq        bigint NOT NULL,
  snapshot   jsonb NOT NULL,
  PRIMARY KEY (account_id, order_id)
);
