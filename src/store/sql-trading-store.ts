import { FINAL_ORDER_STATUSES, type Order } from '../model/order.ts';
import type { TradeUpdate } from '../model/trade-update.ts';
import type { SqlDriver, SqlSession } from './sql-driver.ts';
import { invalidQuery, STORE_ERROR_CODES, StoreError } from './store-error.ts';
import type {
  AccountChange,
  InputOffset,
  OutboxRecord,
  RecentVolumeChange,
  StoredApiKey,
  StoredEquity,
  StoredFillQuery,
  StoredOrderQuery,
  StoredRecentVolume,
  StoredWorkingOrder,
  TradingChange,
  TradingState,
  TradingStore,
} from './trading-store.ts';

type Row = Record<string, unknown>;

/** JSON as a parameter: `$n::text::jsonb`, so neither driver re-encodes it. */
const json = (value: unknown): string => JSON.stringify(value);
/** jsonb comes back parsed from both drivers; a string is parsed here in case one does not. */
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * `TradingStore` over any `SqlDriver` (PGlite or PostgreSQL), on the tables of migration 005. Rows of
 * a commit go in as one JSON array per table (`jsonb_to_recordset`): one statement per table however
 * many accounts or orders changed.
 */
export class SqlTradingStore implements TradingStore {
  readonly #driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  async load(): Promise<TradingState> {
    const accounts = await this.#driver.query<Row>('SELECT account_id, config, snapshot, created_at FROM trading_accounts ORDER BY account_id');
    const working = await this.#driver.query<Row>('SELECT account_id, order_id, seq, snapshot FROM trading_working_orders ORDER BY account_id, seq');
    const workingOf = new Map<string, StoredWorkingOrder[]>();
    for (const row of working.rows) {
      const id = String(row.account_id);
      const list = workingOf.get(id) ?? [];
      list.push({ orderId: String(row.order_id), seq: Number(row.seq), snapshot: parsed(row.snapshot) });
      workingOf.set(id, list);
    }
    const market = await this.#driver.query<Row>('SELECT snapshot FROM trading_market WHERE id = 1');
    const volume = await this.#driver.query<Row>('SELECT symbol, entries FROM trading_recent_volume ORDER BY id');
    const offsets = await this.#driver.query<Row>('SELECT topic, partition_no, next_offset FROM trading_offsets ORDER BY topic, partition_no');
    return {
      accounts: accounts.rows.map((row) => ({
        accountId: String(row.account_id),
        config: parsed(row.config),
        snapshot: parsed(row.snapshot),
        createdAt: Number(row.created_at),
        workingOrders: workingOf.get(String(row.account_id)) ?? [],
      })),
      market: market.rows[0] ? parsed(market.rows[0].snapshot) : null,
      recentVolume: volume.rows.map((row) => ({ symbol: String(row.symbol), entries: JSON.parse(String(row.entries)) as StoredRecentVolume['entries'] })),
      offsets: offsets.rows.map((row) => ({ topic: String(row.topic), partition: Number(row.partition_no), nextOffset: Number(row.next_offset) })),
    };
  }

  async claimWriter(): Promise<number> {
    const { rows } = await this.#driver.query<Row>(
      'INSERT INTO trading_writer (id, epoch) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET epoch = trading_writer.epoch + 1 RETURNING epoch',
    );
    return Number(rows[0]!.epoch);
  }

  async apiKey(keyId: string): Promise<StoredApiKey | null> {
    const { rows } = await this.#driver.query<Row>('SELECT key_id, account_id, secret_hash, created_at FROM trading_api_keys WHERE key_id = $1', [keyId]);
    const row = rows[0];
    return row ? { keyId: String(row.key_id), accountId: String(row.account_id), secretHash: String(row.secret_hash), createdAt: Number(row.created_at) } : null;
  }

  commit(change: TradingChange): Promise<number[]> {
    return this.#driver.transaction((session) => writeChange(session, change));
  }

  async pendingOutbox(limit: number): Promise<OutboxRecord[]> {
    const { rows } = await this.#driver.query<Row>('SELECT id, topic_kind, record_key, body, ts FROM trading_outbox ORDER BY id LIMIT $1', [limit]);
    return rows.map((row) => ({
      id: Number(row.id),
      topicKind: row.topic_kind as OutboxRecord['topicKind'],
      key: String(row.record_key),
      value: parsed(row.body),
      timestamp: Number(row.ts),
    }));
  }

  async deleteOutbox(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#driver.query('DELETE FROM trading_outbox WHERE id IN (SELECT (value)::bigint FROM jsonb_array_elements_text($1::text::jsonb))', [json(ids)]);
  }

  async orders(accountId: string, query: StoredOrderQuery): Promise<Order[]> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 500) throw invalidQuery('limit must be an integer from 1 to 500');
    const conditions = ['account_id = $1'];
    const params: unknown[] = [accountId];
    if (query.status !== 'all') conditions.push(query.status === 'open' ? 'is_open' : 'NOT is_open');
    if (query.after !== undefined) conditions.push(`submitted_at > $${params.push(query.after)}`);
    if (query.until !== undefined) conditions.push(`submitted_at < $${params.push(query.until)}`);
    if (query.symbols && query.symbols.length > 0) conditions.push(`symbol IN (SELECT value FROM jsonb_array_elements_text($${params.push(json(query.symbols))}::text::jsonb))`);
    const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
    const { rows } = await this.#driver.query<Row>(
      `SELECT snapshot FROM trading_orders WHERE ${conditions.join(' AND ')} ORDER BY submitted_at ${direction}, order_id ${direction} LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map((row) => parsed(row.snapshot) as Order);
  }

  async order(accountId: string, orderId: string): Promise<Order | null> {
    const { rows } = await this.#driver.query<Row>('SELECT snapshot FROM trading_orders WHERE account_id = $1 AND order_id = $2', [accountId, orderId]);
    return rows[0] ? (parsed(rows[0].snapshot) as Order) : null;
  }

  async orderByClientId(accountId: string, clientOrderId: string): Promise<Order | null> {
    const { rows } = await this.#driver.query<Row>('SELECT snapshot FROM trading_orders WHERE account_id = $1 AND client_order_id = $2', [accountId, clientOrderId]);
    return rows[0] ? (parsed(rows[0].snapshot) as Order) : null;
  }

  async fills(accountId: string, query: StoredFillQuery): Promise<TradeUpdate[]> {
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > 100) throw invalidQuery('page size must be an integer from 1 to 100');
    const conditions = [`account_id = $1`, `event IN ('fill', 'partial_fill')`];
    const params: unknown[] = [accountId];
    if (query.after !== undefined) conditions.push(`ts > $${params.push(query.after)}`);
    if (query.until !== undefined) conditions.push(`ts < $${params.push(query.until)}`);
    const ascending = query.direction === 'asc';
    if (query.pageToken !== undefined) {
      const token = `$${params.push(query.pageToken)}`;
      conditions.push(`seq ${ascending ? '>' : '<'} (SELECT seq FROM trading_updates WHERE account_id = $1 AND body->'fill'->>'id' = ${token})`);
    }
    const direction = ascending ? 'ASC' : 'DESC';
    const { rows } = await this.#driver.query<Row>(
      `SELECT body FROM trading_updates WHERE ${conditions.join(' AND ')} ORDER BY seq ${direction} LIMIT $${params.push(query.pageSize)}`,
      params,
    );
    return rows.map((row) => parsed(row.body) as TradeUpdate);
  }

  async equity(accountId: string, from: number, to: number): Promise<StoredEquity[]> {
    const { rows } = await this.#driver.query<Row>('SELECT ts, equity, pl, pl_pct FROM trading_equity WHERE account_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts', [accountId, from, to]);
    return rows.map((row) => ({ accountId, ts: Number(row.ts), equity: String(row.equity), profitLoss: String(row.pl), profitLossPct: String(row.pl_pct) }));
  }
}

async function writeAccounts(session: SqlSession, accounts: readonly AccountChange[]): Promise<void> {
  const snapshots = accounts.filter((account) => account.snapshot !== undefined);
  if (snapshots.length > 0) {
    await session.query(
      `UPDATE trading_accounts a SET snapshot = c.snapshot
       FROM jsonb_to_recordset($1::text::jsonb) AS c(account_id text, snapshot jsonb) WHERE a.account_id = c.account_id`,
      [json(snapshots.map(({ accountId, snapshot }) => ({ account_id: accountId, snapshot })))],
    );
  }
  const closed = accounts.flatMap(({ accountId, closedOrders }) => (closedOrders ?? []).map((orderId) => ({ account_id: accountId, order_id: orderId })));
  if (closed.length > 0) {
    await session.query(
      `DELETE FROM trading_working_orders w USING jsonb_to_recordset($1::text::jsonb) AS c(account_id text, order_id text)
       WHERE w.account_id = c.account_id AND w.order_id = c.order_id`,
      [json(closed)],
    );
  }
  const working = accounts.flatMap(({ accountId, workingOrders }) =>
    (workingOrders ?? []).map(({ orderId, seq, snapshot }) => ({ account_id: accountId, order_id: orderId, seq, snapshot })),
  );
  if (working.length > 0) {
    await session.query(
      `INSERT INTO trading_working_orders (account_id, order_id, seq, snapshot)
       SELECT account_id, order_id, seq, snapshot FROM jsonb_to_recordset($1::text::jsonb) AS w(account_id text, order_id text, seq bigint, snapshot jsonb)
       ON CONFLICT (account_id, order_id) DO UPDATE SET seq = excluded.seq, snapshot = excluded.snapshot`,
      [json(working)],
    );
  }
}

async function writeChange(session: SqlSession, change: TradingChange): Promise<number[]> {
  if (change.epoch !== undefined) {
    // Locks the row: a writer claiming meanwhile waits for this commit, and later commits of this one fail.
    const { rows } = await session.query<Row>('SELECT epoch FROM trading_writer WHERE id = 1 FOR UPDATE');
    const current = rows[0] ? Number(rows[0].epoch) : null;
    if (current !== change.epoch) {
      throw new StoreError(STORE_ERROR_CODES.LOCKED, `another trading service writes to this store now (epoch ${current}, this one ${change.epoch})`);
    }
  }
  for (const { account, key } of change.created ?? []) {
    await session.query('INSERT INTO trading_accounts (account_id, config, snapshot, created_at) VALUES ($1, $2::text::jsonb, $3::text::jsonb, $4)', [
      account.accountId,
      json(account.config),
      json(account.snapshot),
      account.createdAt,
    ]);
    await session.query('INSERT INTO trading_api_keys (key_id, account_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)', [key.keyId, key.accountId, key.secretHash, key.createdAt]);
  }
  if (change.accounts?.length) await writeAccounts(session, change.accounts);
  if (change.orders?.length) {
    // One row per order: a step may carry several states of one order; the last one is kept.
    const latest = new Map(change.orders.map((order) => [order.id, order]));
    await session.query(
      `INSERT INTO trading_orders (order_id, account_id, client_order_id, symbol, status, is_open, submitted_at, updated_at, snapshot)
       SELECT order_id, account_id, client_order_id, symbol, status, is_open, submitted_at, updated_at, snapshot
       FROM jsonb_to_recordset($1::text::jsonb) AS o(order_id text, account_id text, client_order_id text, symbol text, status text, is_open boolean, submitted_at bigint, updated_at bigint, snapshot jsonb)
       ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, is_open = excluded.is_open, updated_at = excluded.updated_at, snapshot = excluded.snapshot`,
      [
        json(
          [...latest.values()].map((order) => ({
            order_id: order.id,
            account_id: order.account_id,
            client_order_id: order.client_order_id,
            symbol: order.symbol,
            status: order.status,
            is_open: !FINAL_ORDER_STATUSES.has(order.status),
            submitted_at: order.submitted_at,
            updated_at: order.updated_at,
            snapshot: order,
          })),
        ),
      ],
    );
  }
  if (change.updates?.length) {
    await session.query(
      `INSERT INTO trading_updates (account_id, seq, event, ts, body)
       SELECT account_id, seq, event, ts, body FROM jsonb_to_recordset($1::text::jsonb) AS u(account_id text, seq bigint, event text, ts bigint, body jsonb)
       ON CONFLICT DO NOTHING`,
      [json(change.updates.map((update) => ({ account_id: update.account_id, seq: update.seq, event: update.event, ts: update.timestamp, body: update })))],
    );
  }
  if (change.equity?.length) {
    await session.query(
      `INSERT INTO trading_equity (account_id, ts, equity, pl, pl_pct)
       SELECT account_id, ts, equity, pl, pl_pct FROM jsonb_to_recordset($1::text::jsonb) AS e(account_id text, ts bigint, equity text, pl text, pl_pct text)
       ON CONFLICT (account_id, ts) DO UPDATE SET equity = excluded.equity, pl = excluded.pl, pl_pct = excluded.pl_pct`,
      [json(change.equity.map((point) => ({ account_id: point.accountId, ts: point.ts, equity: point.equity, pl: point.profitLoss, pl_pct: point.profitLossPct })))],
    );
  }
  if (change.market !== undefined) {
    await session.query('INSERT INTO trading_market (id, snapshot) VALUES (1, $1::text::jsonb) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot', [json(change.market)]);
  }
  if (change.recentVolume?.length) await writeRecentVolume(session, change.recentVolume);
  if (change.offsets?.length) await writeOffsets(session, change.offsets);
  if (!change.outbox?.length) return [];
  const { rows } = await session.query<Row>(
      `INSERT INTO trading_outbox (topic_kind, record_key, body, ts)
       SELECT topic_kind, record_key, body, ts
       FROM ROWS FROM (jsonb_to_recordset($1::text::jsonb) AS (topic_kind text, record_key text, body jsonb, ts bigint)) WITH ORDINALITY AS r(topic_kind, record_key, body, ts, n)
       ORDER BY n
       RETURNING id`,
    [json(change.outbox.map((record) => ({ topic_kind: record.topicKind, record_key: record.key, body: record.value, ts: record.timestamp })))],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

async function writeRecentVolume(session: SqlSession, changes: readonly RecentVolumeChange[]): Promise<void> {
  await session.query(
    `DELETE FROM trading_recent_volume v USING jsonb_to_recordset($1::text::jsonb) AS c(symbol text, keep_from bigint)
     WHERE v.symbol = c.symbol AND v.last_bucket < c.keep_from`,
    [json(changes.map(({ symbol, keepFrom }) => ({ symbol, keep_from: keepFrom })))],
  );
  // One row per symbol, in order (the ids keep the order of the increments); entries as text, not jsonb, for PostgreSQL not to parse what only tickflow reads.
  const params = changes.flatMap(({ symbol, added }) => [symbol, added.reduce((last, [start]) => Math.max(last, start), Number.NEGATIVE_INFINITY), json(added)]);
  const rows = changes.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}::bigint, $${3 * i + 3})`);
  await session.query(`INSERT INTO trading_recent_volume (symbol, last_bucket, entries) VALUES ${rows.join(', ')}`, params);
}

async function writeOffsets(session: SqlSession, offsets: readonly InputOffset[]): Promise<void> {
  await session.query(
    `INSERT INTO trading_offsets (topic, partition_no, next_offset)
     SELECT topic, partition_no, next_offset FROM jsonb_to_recordset($1::text::jsonb) AS o(topic text, partition_no integer, next_offset bigint)
     ON CONFLICT (topic, partition_no) DO UPDATE SET next_offset = excluded.next_offset`,
    [json(offsets.map((offset) => ({ topic: offset.topic, partition_no: offset.partition, next_offset: offset.nextOffset })))],
  );
}
