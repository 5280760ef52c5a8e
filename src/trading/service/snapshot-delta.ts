import type { AccountChange, StoredAccount, StoredWorkingOrder } from '../../store/trading-store.ts';

interface Written {
  /** The snapshot without its orders, as JSON; `null`: unknown, written at the next change. */
  readonly rest: string | null;
  /** Order id → its working state as JSON (`null`: stored, state unknown). */
  readonly orders: ReadonlyMap<string, string | null>;
}

interface OrderState {
  readonly id: string;
  readonly seq: number;
}

/**
 * What of an account's snapshot a step must write. A print changes the working state of a few of an
 * account's open orders (a new high or low since activation, volume at a limit, a fill); writing the
 * whole snapshot, every open order included, cost each step in proportion to all open orders. Here
 * the open orders are rows of their own, and a step writes only the rows whose state changed, the
 * rows of orders that left the book, and the rest of the snapshot (cash, positions, counters) only
 * when it changed. The account is restored whole: `merge` puts the rows back in acceptance order.
 */
export class SnapshotDelta {
  readonly #written = new Map<string, Written>();

  /** What the store holds after `load`: every stored order row is known, so a later step removes it once the order is gone. */
  seed(accounts: readonly StoredAccount[]): void {
    this.#written.clear();
    for (const account of accounts) {
      this.#written.set(account.accountId, { rest: null, orders: new Map((account.workingOrders ?? []).map((order) => [order.orderId, null])) });
    }
  }

  /**
   * The change that brings the stored account to `snapshot`, with the state to `confirm` once the
   * change is durable (never before: a failed commit leaves the store as it was).
   */
  change(accountId: string, snapshot: object): { readonly change: AccountChange | null; confirm(): void } {
    const { orders, ...rest } = snapshot as { orders?: readonly OrderState[] };
    const known = this.#written.get(accountId) ?? { rest: null, orders: new Map<string, string | null>() };
    const restJson = JSON.stringify({ ...rest, orders: [] });
    const next = new Map<string, string>();
    const workingOrders: StoredWorkingOrder[] = [];
    for (const order of orders ?? []) {
      const json = JSON.stringify(order);
      next.set(order.id, json);
      if (known.orders.get(order.id) !== json) workingOrders.push({ orderId: order.id, seq: order.seq, snapshot: order });
    }
    const closedOrders = [...known.orders.keys()].filter((id) => !next.has(id));
    const restChanged = restJson !== known.rest;
    const confirm = () => this.#written.set(accountId, { rest: restJson, orders: next });
    if (!restChanged && workingOrders.length === 0 && closedOrders.length === 0) return { change: null, confirm };
    return {
      change: {
        accountId,
        ...(restChanged ? { snapshot: { ...rest, orders: [] } } : {}),
        ...(workingOrders.length > 0 ? { workingOrders } : {}),
        ...(closedOrders.length > 0 ? { closedOrders } : {}),
      },
      confirm,
    };
  }

  /** The account's snapshot as the engine saved it: the stored rows are its open orders, in acceptance (`seq`) order. */
  static merge(account: StoredAccount): unknown {
    const snapshot = account.snapshot as { orders?: readonly OrderState[] };
    const rows = account.workingOrders ?? [];
    if (rows.length === 0) return snapshot;
    // A snapshot written before working orders had rows of their own still holds them inline.
    const byId = new Map<string, OrderState>((snapshot.orders ?? []).map((order) => [order.id, order]));
    for (const row of rows) byId.set(row.orderId, row.snapshot as OrderState);
    return { ...snapshot, orders: [...byId.values()].sort((a, b) => a.seq - b.seq) };
  }
}
