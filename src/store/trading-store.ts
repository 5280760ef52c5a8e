import type { Order } from '../model/order.ts';
import type { TradeUpdate } from '../model/trade-update.ts';

/**
 * The paper-trading part of the store: what the trading service needs to survive a restart (account
 * snapshots, the tape, input offsets) and what the API lists that the engine does not keep (every
 * order's latest state, trade updates, equity history, API keys). `commit` is the one write of a step
 * (a command or a batch of prints): it lands whole or not at all. Implemented by `SqlTradingStore`
 * over PGlite and PostgreSQL; both pass `test/store/trading-store-contract.ts`.
 */
export interface TradingStore {
  /** Everything the service restores at start. */
  load(): Promise<TradingState>;
  /** Makes the caller the one writer: returns a new epoch, which fences every writer that claimed before. */
  claimWriter(): Promise<number>;
  apiKey(keyId: string): Promise<StoredApiKey | null>;
  /** One transaction: new accounts, snapshots, orders, updates, equity, market, offsets and the outbox; resolves with the outbox ids written. */
  commit(change: TradingChange): Promise<number[]>;
  /** Outbox records not yet published, oldest first. */
  pendingOutbox(limit: number): Promise<OutboxRecord[]>;
  /** Forgets outbox records once the bus acknowledged them. */
  deleteOutbox(ids: readonly number[]): Promise<void>;

  orders(accountId: string, query: StoredOrderQuery): Promise<Order[]>;
  order(accountId: string, orderId: string): Promise<Order | null>;
  orderByClientId(accountId: string, clientOrderId: string): Promise<Order | null>;
  /** Fill updates (`fill`, `partial_fill`) of the account: its activities. */
  fills(accountId: string, query: StoredFillQuery): Promise<TradeUpdate[]>;
  equity(accountId: string, from: number, to: number): Promise<StoredEquity[]>;
}

export interface StoredAccount {
  readonly accountId: string;
  readonly config: unknown;
  /** The engine's snapshot of the account; its open orders may be kept apart, in `workingOrders`. */
  readonly snapshot: unknown;
  readonly createdAt: number;
  /** From `load`: the account's open orders stored one by one, in `seq` order. */
  readonly workingOrders?: readonly StoredWorkingOrder[];
}

/** One open order's working state, stored apart from its account's snapshot. */
export interface StoredWorkingOrder {
  readonly orderId: string;
  /** The order's place in its account's acceptance order. */
  readonly seq: number;
  readonly snapshot: unknown;
}

/** What a step changed of an existing account: any of its snapshot, its open orders' states, the orders that left the book. */
export interface AccountChange {
  readonly accountId: string;
  /** Replaces the stored snapshot when given. */
  readonly snapshot?: unknown;
  /** Inserted or replaced, by order id. */
  readonly workingOrders?: readonly StoredWorkingOrder[];
  /** Order ids whose working state is removed. */
  readonly closedOrders?: readonly string[];
}

export interface StoredApiKey {
  readonly keyId: string;
  readonly accountId: string;
  /** `scrypt$<salt hex>$<hash hex>`: never the secret. */
  readonly secretHash: string;
  readonly createdAt: number;
}

export interface InputOffset {
  readonly topic: string;
  readonly partition: number;
  /** The offset of the next record to apply. */
  readonly nextOffset: number;
}

export interface StoredEquity {
  readonly accountId: string;
  readonly ts: number;
  readonly equity: string;
  readonly profitLoss: string;
  readonly profitLossPct: string;
}

export interface OutboxRecord {
  readonly id: number;
  readonly topicKind: 'orders' | 'executions';
  readonly key: string;
  readonly value: unknown;
  readonly timestamp: number;
}

export interface TradingState {
  readonly accounts: readonly StoredAccount[];
  /** `null` before the first commit that carried one. */
  readonly market: unknown;
  /** Every `recentVolume` change's `added` still stored, in commit order. */
  readonly recentVolume: readonly StoredRecentVolume[];
  readonly offsets: readonly InputOffset[];
}

/** One commit's volume increments of one symbol: `[bucket start, price, size]`. */
export interface StoredRecentVolume {
  readonly symbol: string;
  readonly entries: readonly (readonly [number, string, string])[];
}

/** Appended; the stored increments of `symbol` whose buckets all start before `keepFrom` are deleted. */
export interface RecentVolumeChange {
  readonly symbol: string;
  readonly keepFrom: number;
  readonly added: readonly (readonly [number, string, string])[];
}

export interface TradingChange {
  /** The writer's epoch (`claimWriter`): the commit fails with STORE_LOCKED, writing nothing, if a newer writer claimed since. */
  readonly epoch?: number;
  /** Accounts created by this step, each with its first API key. */
  readonly created?: readonly { readonly account: StoredAccount; readonly key: StoredApiKey }[];
  /** Changes of accounts that exist. */
  readonly accounts?: readonly AccountChange[];
  /** Latest state of each order (replaces the stored one). */
  readonly orders?: readonly Order[];
  /** Inserted; one already stored (same account and seq) is skipped. */
  readonly updates?: readonly TradeUpdate[];
  readonly equity?: readonly StoredEquity[];
  readonly market?: unknown;
  readonly recentVolume?: readonly RecentVolumeChange[];
  /** Replace the stored ones of the same topic and partition. */
  readonly offsets?: readonly InputOffset[];
  readonly outbox?: readonly Omit<OutboxRecord, 'id'>[];
}

/** As Alpaca's `GET /v2/orders`: `after`/`until` bound `submitted_at`. */
export interface StoredOrderQuery {
  readonly status: 'open' | 'closed' | 'all';
  readonly limit: number;
  readonly after?: number;
  readonly until?: number;
  readonly direction: 'asc' | 'desc';
  readonly symbols?: readonly string[];
}

export interface StoredFillQuery {
  readonly after?: number;
  readonly until?: number;
  readonly direction: 'asc' | 'desc';
  readonly pageSize: number;
  /** The fill id (`execution_id`) of the last fill of the previous page. */
  readonly pageToken?: string;
}
