import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountChange, StoredAccount, StoredWorkingOrder } from '../../../src/store/trading-store.ts';
import { SnapshotDelta } from '../../../src/trading/service/snapshot-delta.ts';
import { ALWAYS_OPEN, account, DEFAULT_INSTRUMENTS, orderRequest, print } from '../support.ts';
import { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';

const T0 = Date.parse('2026-01-05T15:00:00Z');
const COIN = 'BINANCE:BTCUSDT';

/** A store double that applies account changes as SqlTradingStore does. */
class StoredAccounts {
  readonly accountId: string;
  rest: unknown;
  readonly rows = new Map<string, StoredWorkingOrder>();
  constructor(accountId: string, snapshot: unknown) {
    this.accountId = accountId;
    this.rest = snapshot;
  }
  apply(change: AccountChange | null): void {
    if (!change) return;
    if (change.snapshot !== undefined) this.rest = change.snapshot;
    for (const id of change.closedOrders ?? []) this.rows.delete(id);
    for (const row of change.workingOrders ?? []) this.rows.set(row.orderId, row);
  }
  loaded(): StoredAccount {
    return { accountId: this.accountId, config: {}, snapshot: this.rest, createdAt: T0, workingOrders: [...this.rows.values()].sort((a, b) => a.seq - b.seq) };
  }
}

function engineWithOrders(count: number): TradingEngine {
  const engine = new TradingEngine({ instrument: DEFAULT_INSTRUMENTS, calendar: ALWAYS_OPEN });
  assert.ok(engine.createAccount(account({ id: 'a' }), T0).ok);
  for (let i = 0; i < count; i++) {
    const request = orderRequest({ symbol: COIN, side: 'buy', qty: '1', order_type: 'limit', limit_price: String(90 - i), time_in_force: 'gtc', client_order_id: `c${i}` });
    assert.ok(engine.submit('a', request, T0 + i).ok);
  }
  return engine;
}

describe('snapshot delta: a step writes only what it changed of an account', () => {
  it('writes every order once, then only the orders a print changed, and removes the ones that left the book', () => {
    const engine = engineWithOrders(5);
    const delta = new SnapshotDelta();
    const first = delta.change('a', engine.snapshotAccount('a')!);
    assert.equal(first.change?.workingOrders?.length, 5);
    assert.deepEqual((first.change?.snapshot as { orders: unknown[] }).orders, [], 'the orders are rows, not part of the snapshot');
    first.confirm();
    assert.equal(delta.change('a', engine.snapshotAccount('a')!).change, null, 'nothing changed, nothing written');

    // Two prints set the range printed since activation (every order's state); a third inside that
    // range fills the first limit in line (90 takes the print's whole participation share) and leaves
    // the other four as they were.
    engine.trade(print(COIN, 88.5, 0.5, T0 + 10_000));
    engine.trade(print(COIN, 88.6, 0.5, T0 + 10_100));
    delta.change('a', engine.snapshotAccount('a')!).confirm();
    engine.trade(print(COIN, 88.55, 0.5, T0 + 10_200));
    const after = engine.snapshotAccount('a')! as { orders: { id: string; limit: string }[] };
    const step = delta.change('a', after);
    assert.deepEqual(step.change?.workingOrders?.map((row) => (row.snapshot as { limit: string }).limit), ['90']);
    step.confirm();

    assert.ok(engine.cancel('a', after.orders[0]!.id, T0 + 11_000).ok);
    const cancel = delta.change('a', engine.snapshotAccount('a')!);
    assert.deepEqual(cancel.change?.closedOrders, [after.orders[0]!.id]);
    assert.ok(cancel.change?.snapshot !== undefined, 'the counters moved: the rest is written');
  });

  it('repeats a change that was not confirmed (its commit failed)', () => {
    const engine = engineWithOrders(2);
    const delta = new SnapshotDelta();
    const unconfirmed = delta.change('a', engine.snapshotAccount('a')!);
    assert.deepEqual(delta.change('a', engine.snapshotAccount('a')!).change, unconfirmed.change);
  });

  it('after a load, removes stored rows of orders no longer open and rewrites the others once', () => {
    const delta = new SnapshotDelta();
    const engine = engineWithOrders(2);
    const snapshot = engine.snapshotAccount('a')! as { orders: { id: string }[] };
    const stale: StoredWorkingOrder = { orderId: 'gone', seq: 0, snapshot: {} };
    delta.seed([{ accountId: 'a', config: {}, snapshot, createdAt: T0, workingOrders: [stale] }]);
    const step = delta.change('a', snapshot);
    assert.deepEqual(step.change?.closedOrders, ['gone']);
    assert.deepEqual(step.change?.workingOrders?.map((row) => row.orderId), snapshot.orders.map((order) => order.id));
  });

  it('restores an account whole from its rows, in acceptance order, through a random run of changes', () => {
    const engine = engineWithOrders(8);
    const delta = new SnapshotDelta();
    const stored = new StoredAccounts('a', engine.snapshotAccount('a'));
    let ts = T0 + 1_000;
    for (let step = 0; step < 40; step++) {
      ts += 1_000;
      if (step % 7 === 3) engine.submit('a', orderRequest({ symbol: COIN, side: 'buy', qty: '1', order_type: 'limit', limit_price: String(80 + (step % 5)), time_in_force: 'gtc' }), ts);
      else engine.trade(print(COIN, 95 - step / 2, 0.3, ts));
      const { change, confirm } = delta.change('a', engine.snapshotAccount('a')!);
      stored.apply(change);
      confirm();
      const restored = new TradingEngine({ instrument: DEFAULT_INSTRUMENTS, calendar: ALWAYS_OPEN });
      restored.restoreAccount(SnapshotDelta.merge(stored.loaded()));
      assert.deepEqual(restored.snapshotAccount('a'), engine.snapshotAccount('a'), `step ${step}: restored as saved`);
    }
  });

  it('reads a snapshot written before orders had rows of their own (orders inline)', () => {
    const engine = engineWithOrders(3);
    const inline = engine.snapshotAccount('a');
    assert.deepEqual(SnapshotDelta.merge({ accountId: 'a', config: {}, snapshot: inline, createdAt: T0, workingOrders: [] }), inline);
  });
});
