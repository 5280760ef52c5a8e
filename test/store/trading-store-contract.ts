import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../src/model/order.ts';
import type { TradeUpdate } from '../../src/model/trade-update.ts';
import type { TradingStore } from '../../src/store/trading-store.ts';
import { ALWAYS_OPEN, account, DEFAULT_INSTRUMENTS, orderRequest, print } from '../trading/support.ts';
import { TradingEngine } from '../../src/trading/engine/trading-engine.ts';

export interface TradingStoreFixture {
  readonly store: TradingStore;
  close(): Promise<void>;
}

const T0 = Date.parse('2026-01-05T15:00:00Z');
const COIN = 'BINANCE:BTCUSDT';

/** Real orders and updates, from the engine: two limit buys, the first filled by a print through it. */
function history(accountId: string): { config: unknown; snapshot: unknown; orders: Order[]; updates: TradeUpdate[] } {
  const engine = new TradingEngine({ instrument: DEFAULT_INSTRUMENTS, calendar: ALWAYS_OPEN });
  const config = account({ id: accountId });
  assert.ok(engine.createAccount(config, T0).ok);
  const limit = (price: string, clientId: string) =>
    orderRequest({ symbol: COIN, side: 'buy', qty: '1', order_type: 'limit', limit_price: price, time_in_force: 'gtc', client_order_id: clientId });
  assert.ok(engine.submit(accountId, limit('100', 'first'), T0 + 1_000).ok);
  assert.ok(engine.submit(accountId, limit('90', 'second'), T0 + 2_000).ok);
  engine.trade(print(COIN, 99, 10, T0 + 3_000));
  const updates = engine.takeEvents();
  const orders = new Map(updates.map((update) => [update.order.id, update.order]));
  return { config, snapshot: engine.snapshotAccount(accountId), orders: [...orders.values()], updates };
}

/** The paper-trading store's contract, run against PGlite and PostgreSQL. */
export function tradingStoreContract(name: string, open: () => Promise<TradingStoreFixture>): void {
  describe(`trading store contract: ${name}`, () => {
    let fixture: TradingStoreFixture;
    before(async () => {
      fixture = await open();
    });
    after(() => fixture?.close());

    it('commits a step whole: account, key, orders, updates, equity, market, offsets; load gives them back', async () => {
      const { store } = fixture;
      const { config, snapshot, orders, updates } = history('acct-a');
      const ids = await store.commit({
        created: [{ account: { accountId: 'acct-a', config, snapshot, createdAt: T0 }, key: { keyId: 'PKA', accountId: 'acct-a', secretHash: 'sha256$00$11', createdAt: T0 } }],
        orders,
        updates,
        equity: [{ accountId: 'acct-a', ts: T0, equity: '100000', profitLoss: '0', profitLossPct: '0' }],
        market: { now: T0 + 3_000 },
        offsets: [{ topic: 'raw', partition: 2, nextOffset: 17 }],
        outbox: updates.map((update) => ({ topicKind: 'executions' as const, key: update.account_id, value: update, timestamp: update.timestamp })),
      });
      assert.equal(ids.length, updates.length);
      const state = await store.load();
      const stored = state.accounts.find((row) => row.accountId === 'acct-a');
      assert.deepEqual(stored?.snapshot, snapshot);
      assert.deepEqual(stored?.config, config);
      assert.deepEqual(state.market, { now: T0 + 3_000 });
      assert.deepEqual(state.offsets, [{ topic: 'raw', partition: 2, nextOffset: 17 }]);
      assert.equal((await store.apiKey('PKA'))?.accountId, 'acct-a');
      assert.equal(await store.apiKey('PKB'), null);
      assert.deepEqual((await store.equity('acct-a', T0, T0 + 1)).map((point) => point.equity), ['100000']);

      const pending = await store.pendingOutbox(100);
      assert.deepEqual(pending.map((record) => (record.value as TradeUpdate).seq), updates.map((update) => update.seq), 'in the order written');
      await store.deleteOutbox(pending.map((record) => record.id));
      assert.deepEqual(await store.pendingOutbox(100), []);
    });

    it('lists orders open and closed, by client id, and fills as activities, paged', async () => {
      const { store } = fixture;
      const open = await store.orders('acct-a', { status: 'open', limit: 10, direction: 'asc' });
      const closed = await store.orders('acct-a', { status: 'closed', limit: 10, direction: 'asc' });
      assert.deepEqual(open.map((order) => order.client_order_id), ['second']);
      assert.deepEqual(closed.map((order) => [order.client_order_id, order.status]), [['first', 'filled']]);
      assert.deepEqual((await store.orders('acct-a', { status: 'all', limit: 10, direction: 'desc' })).map((order) => order.client_order_id), ['second', 'first']);
      assert.deepEqual(await store.orders('acct-a', { status: 'all', limit: 10, direction: 'asc', symbols: ['AAPL'] }), []);
      assert.equal((await store.orderByClientId('acct-a', 'first'))?.status, 'filled');
      assert.equal(await store.orderByClientId('acct-b', 'first'), null);
      assert.equal((await store.order('acct-a', closed[0]!.id))?.filled_qty, '1');

      const fills = await store.fills('acct-a', { direction: 'asc', pageSize: 10 });
      assert.deepEqual(fills.map((update) => update.event), ['fill']);
      assert.deepEqual(await store.fills('acct-a', { direction: 'asc', pageSize: 10, pageToken: fills[0]!.fill!.id }), []);
      await assert.rejects(store.orders('acct-a', { status: 'all', limit: 501, direction: 'asc' }), /limit/);
    });

    it('replaces an order by its latest state and skips an update stored before', async () => {
      const { store } = fixture;
      const open = (await store.orders('acct-a', { status: 'open', limit: 10, direction: 'asc' }))[0]!;
      const canceled: Order = { ...open, status: 'canceled', canceled_at: T0 + 5_000, updated_at: T0 + 5_000 };
      const { updates } = history('acct-a');
      await store.commit({ orders: [canceled], updates, offsets: [{ topic: 'raw', partition: 2, nextOffset: 20 }] });
      assert.deepEqual(await store.orders('acct-a', { status: 'open', limit: 10, direction: 'asc' }), []);
      assert.equal((await store.orderByClientId('acct-a', open.client_order_id))?.status, 'canceled');
      assert.equal((await store.fills('acct-a', { direction: 'asc', pageSize: 10 })).length, 1);
      assert.deepEqual((await store.load()).offsets, [{ topic: 'raw', partition: 2, nextOffset: 20 }]);
    });

    it('keeps open orders as rows of their own: written, replaced and removed by a step, loaded in seq order', async () => {
      const { store } = fixture;
      const row = (orderId: string, seq: number, state: string) => ({ orderId, seq, snapshot: { id: orderId, seq, state } });
      await store.commit({ accounts: [{ accountId: 'acct-a', workingOrders: [row('o-3', 3, 'new'), row('o-1', 1, 'new'), row('o-2', 2, 'new')] }] });
      await store.commit({ accounts: [{ accountId: 'acct-a', workingOrders: [row('o-2', 2, 'partially_filled')], closedOrders: ['o-1'] }] });
      const loaded = (await store.load()).accounts.find((account) => account.accountId === 'acct-a');
      assert.deepEqual(loaded?.workingOrders, [row('o-2', 2, 'partially_filled'), row('o-3', 3, 'new')]);
      const before = loaded?.snapshot;
      await store.commit({ accounts: [{ accountId: 'acct-a', snapshot: { replaced: true } }] });
      const after = (await store.load()).accounts.find((account) => account.accountId === 'acct-a');
      assert.deepEqual(after?.snapshot, { replaced: true }, 'the snapshot alone is replaced');
      assert.equal(after?.workingOrders?.length, 2, 'the rows stay');
      await store.commit({ accounts: [{ accountId: 'acct-a', snapshot: before, closedOrders: ['o-2', 'o-3'] }] });
      assert.deepEqual((await store.load()).accounts.find((account) => account.accountId === 'acct-a')?.workingOrders, []);
    });

    it('appends the recent volume of each step, deletes what is wholly older than the window, loads the rest in commit order', async () => {
      const { store } = fixture;
      await store.commit({ recentVolume: [{ symbol: 'AAPL', keepFrom: 1_000, added: [[1_000, '100', '5'], [2_000, '100.5', '1']] }] });
      await store.commit({
        recentVolume: [
          { symbol: 'AAPL', keepFrom: 1_000, added: [[3_000, '101', '2']] },
          { symbol: COIN, keepFrom: 0, added: [[0, '60000', '0.5']] },
        ],
      });
      assert.deepEqual((await store.load()).recentVolume, [
        { symbol: 'AAPL', entries: [[1_000, '100', '5'], [2_000, '100.5', '1']] },
        { symbol: 'AAPL', entries: [[3_000, '101', '2']] },
        { symbol: COIN, entries: [[0, '60000', '0.5']] },
      ]);
      // The first row still holds a bucket in the window (2,000); the second is wholly in it; the coin's rows are not touched.
      await store.commit({ recentVolume: [{ symbol: 'AAPL', keepFrom: 2_000, added: [[62_000, '99', '1']] }] });
      assert.equal((await store.load()).recentVolume.filter((row) => row.symbol === 'AAPL').length, 3);
      await store.commit({ recentVolume: [{ symbol: 'AAPL', keepFrom: 3_000, added: [[63_000, '99', '1']] }] });
      assert.deepEqual((await store.load()).recentVolume, [
        { symbol: 'AAPL', entries: [[3_000, '101', '2']] },
        { symbol: COIN, entries: [[0, '60000', '0.5']] },
        { symbol: 'AAPL', entries: [[62_000, '99', '1']] },
        { symbol: 'AAPL', entries: [[63_000, '99', '1']] },
      ]);
    });

    it('writes nothing of a step that fails', async () => {
      const { store } = fixture;
      const before = await store.load();
      const { config, snapshot } = history('acct-a');
      // The account exists: its creation fails, and the offsets of the same step must not move.
      await assert.rejects(
        store.commit({
          created: [{ account: { accountId: 'acct-a', config, snapshot, createdAt: T0 }, key: { keyId: 'PKC', accountId: 'acct-a', secretHash: 'x', createdAt: T0 } }],
          offsets: [{ topic: 'raw', partition: 2, nextOffset: 99 }],
        }),
      );
      assert.deepEqual((await store.load()).offsets, before.offsets);
      assert.equal(await store.apiKey('PKC'), null);
    });

    it('fences a writer once a newer one claimed the store', async () => {
      const { store } = fixture;
      const first = await store.claimWriter();
      const second = await store.claimWriter();
      assert.equal(second, first + 1);
      await store.commit({ epoch: second, offsets: [{ topic: 'raw', partition: 3, nextOffset: 1 }] });
      await assert.rejects(store.commit({ epoch: first, offsets: [{ topic: 'raw', partition: 3, nextOffset: 2 }] }), { code: 'TICKFLOW_STORE_LOCKED' });
      assert.equal((await store.load()).offsets.find((offset) => offset.partition === 3)?.nextOffset, 1);
    });
  });
}
