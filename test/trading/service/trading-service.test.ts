import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { parseFixed } from '../../../src/model/fixed-point.ts';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import { TradingProcessor } from '../../../src/processors/trading/trading-processor.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { openPgliteStore } from '../../../src/store/pglite-store.ts';
import type { SqlStore } from '../../../src/store/sql-store.ts';
import type { TradingStore } from '../../../src/store/trading-store.ts';
import { TradingService } from '../../../src/trading/service/trading-service.ts';
import { waitFor, within } from '../../support/wait.ts';
import { nyTime, orderRequest, print } from '../support.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-trading-service-'));
after(() => rmSync(root, { recursive: true, force: true }));

const SYMBOLS = ['AAPL', 'BINANCE:BTCUSDT'];
const TOPICS = { raw: 'raw-market-data', orders: 'orders', executions: 'executions' };
const MONDAY = '2026-01-05';
const at = (hhmm: string) => nyTime(hhmm, MONDAY) + 3_600_000; // January: EST, UTC−5.

async function openService(options: { dir: string; bus: MemoryBus; clock: ManualClock; store?: (store: TradingStore) => TradingStore; offsetsOutliveProcess?: boolean }) {
  const sql: SqlStore = await openPgliteStore({ dir: join(root, options.dir) });
  const store = sql.trading;
  const service = await TradingService.open({
    store: options.store ? options.store(store) : store,
    producer: options.bus.producer(),
    topics: TOPICS,
    symbols: SYMBOLS,
    clock: options.clock,
    logger: silentLogger(),
    ...(options.offsetsOutliveProcess === undefined ? {} : { offsetsOutliveProcess: options.offsetsOutliveProcess }),
  });
  return {
    service,
    store,
    async close() {
      await service.close();
      await within(sql.close(), 10_000, 'closing the PGlite store');
    },
  };
}

const limitBuy = (symbol: string, qty: string, price: string, clientId: string) =>
  orderRequest({ symbol, side: 'buy', qty, order_type: 'limit', limit_price: price, time_in_force: 'gtc', client_order_id: clientId });

/** Raw-topic records as the bus would deliver them, at offsets from `first`. */
function records(trades: ReturnType<typeof print>[], first = 0, partition = 0): BusRecord[] {
  return trades.map((trade, i) => ({ topic: TOPICS.raw, partition, offset: first + i, key: trade.symbol, value: trade, timestamp: trade.tsEvent }));
}

/**
 * A first process on the memory bus whose bus got to offset 1,000 on partition 0: an account with a
 * limit buy of 300 AAPL at 150, a quarter filled by a print at offset 999. Returns the account.
 */
async function longFirstRun(dir: string, bus: MemoryBus, clock: ManualClock): Promise<string> {
  const first = await openService({ dir, bus, clock, offsetsOutliveProcess: false });
  const { accountId } = await first.service.createAccount({});
  assert.ok((await first.service.submitOrder(accountId, limitBuy('AAPL', '300', '150', 'resting'))).ok);
  await first.service.applyPrints(records([print('AAPL', 149, 100, at('10:00') + 1_000)], 999));
  assert.equal((await first.service.positions(accountId))[0]?.qty, '25');
  await first.close();
  return accountId;
}

/** `store`, except that a commit fails (a database that went away) whenever `fails()` says so. */
function failingOnDemand(store: TradingStore, fails: () => boolean): TradingStore {
  return {
    load: () => store.load(),
    claimWriter: () => store.claimWriter(),
    apiKey: (keyId) => store.apiKey(keyId),
    commit: (change) => (fails() ? Promise.reject(new Error('database went away')) : store.commit(change)),
    pendingOutbox: (limit) => store.pendingOutbox(limit),
    deleteOutbox: (ids) => store.deleteOutbox(ids),
    orders: (accountId, query) => store.orders(accountId, query),
    order: (accountId, orderId) => store.order(accountId, orderId),
    orderByClientId: (accountId, clientOrderId) => store.orderByClientId(accountId, clientOrderId),
    fills: (accountId, query) => store.fills(accountId, query),
    equity: (accountId, from, to) => store.equity(accountId, from, to),
  };
}

describe('TradingService on PGlite and the memory bus', () => {
  it('makes an accepted order durable before answering: a new service over the same store has the account, its key and the order', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const first = await openService({ dir: 'durable', bus, clock });
    const credentials = await first.service.createAccount({ startingCash: '50000' });
    assert.match(credentials.keyId, /^PK[A-Z2-7]{18}$/);
    assert.equal(credentials.secret.length, 40);
    const submitted = await first.service.submitOrder(credentials.accountId, limitBuy('AAPL', '10', '150', 'mine-1'));
    assert.ok(submitted.ok, JSON.stringify(submitted));
    await first.close();

    const second = await openService({ dir: 'durable', bus, clock });
    try {
      const { service } = second;
      assert.equal(await service.authenticate(credentials.keyId, credentials.secret), credentials.accountId);
      assert.equal(await service.authenticate(credentials.keyId, `${credentials.secret.slice(0, -1)}${credentials.secret.endsWith('x') ? 'y' : 'x'}`), null);
      assert.equal(await service.authenticate('PKNOSUCHKEY000000000', credentials.secret), null);
      const account = await service.account(credentials.accountId);
      assert.equal(account?.starting_cash, '50000');
      assert.equal((await service.accounts()).find((listed) => listed.id === credentials.accountId)?.created_at, at('10:00'), 'the creation time survives a restart');
      assert.equal(account?.open_orders, 1);
      assert.equal((await service.order(credentials.accountId, submitted.value.id))?.client_order_id, 'mine-1');
      assert.equal((await service.orderByClientId(credentials.accountId, 'mine-1'))?.id, submitted.value.id);
      const open = await service.orders(credentials.accountId, { status: 'open', limit: 50, direction: 'asc' });
      assert.deepEqual(open.map((order) => order.id), [submitted.value.id]);
      // The same client order id again: rejected, as Alpaca answers 422.
      const again = await service.submitOrder(credentials.accountId, limitBuy('AAPL', '10', '150', 'mine-1'));
      assert.equal(again.ok ? 'accepted' : again.code, 'duplicate');
    } finally {
      await second.close();
    }
  });

  it('changes nothing on a rejection', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const { service, store, close } = await openService({ dir: 'reject', bus, clock });
    try {
      const { accountId } = await service.createAccount({});
      const stateBefore = await store.load();
      const published = bus.partitionsOf(TOPICS.orders).reduce((sum, log) => sum + log.endOffset, 0);
      for (const request of [limitBuy('NOSUCH', '1', '10', 'a'), limitBuy('AAPL', '0', '10', 'b'), limitBuy('AAPL', '1000000', '150', 'c')]) {
        const result = await service.submitOrder(accountId, request);
        assert.equal(result.ok, false, JSON.stringify(request));
      }
      assert.deepEqual(await store.load(), stateBefore);
      assert.deepEqual(await service.orders(accountId, { status: 'all', limit: 50, direction: 'asc' }), []);
      assert.equal(bus.partitionsOf(TOPICS.orders).reduce((sum, log) => sum + log.endOffset, 0), published);
      assert.equal((await service.account(accountId))?.open_orders, 0);
      // A bad account configuration is the caller's error (TICKFLOW_CONFIG_INVALID), and nothing is stored.
      await assert.rejects(service.createAccount({ startingCash: '-5' }), { code: 'TICKFLOW_CONFIG_INVALID' });
      assert.deepEqual(await store.load(), stateBefore);
    } finally {
      await close();
    }
  });

  it('fills orders from prints on the raw topic; positions, cash and the trade-updates stream reconcile', async () => {
    const bus = new MemoryBus();
    await bus.ensureTopics([{ name: TOPICS.raw, partitions: 2 }, { name: TOPICS.executions, partitions: 2 }, { name: TOPICS.orders, partitions: 2 }]);
    const clock = new ManualClock(at('10:00'));
    const { service, close } = await openService({ dir: 'fills', bus, clock });
    const runner = new ProcessorRunner({ bus, processor: new TradingProcessor({ service, rawTopic: TOPICS.raw, live: false }), groupId: 'trading', clock, logger: silentLogger() });
    try {
      const { accountId } = await service.createAccount({ startingCash: '100000' });
      const streamed: TradeUpdate[] = [];
      service.subscribe(accountId, (update) => streamed.push(update));
      const stock = await service.submitOrder(accountId, limitBuy('AAPL', '10', '150', 'stock'));
      const coin = await service.submitOrder(accountId, limitBuy('BINANCE:BTCUSDT', '0.5', '40000', 'coin'));
      assert.ok(stock.ok && coin.ok);
      await runner.start();
      const producer = bus.producer();
      // Through the limit by a cent, after the 50 ms latency; big enough to fill each at once.
      await producer.send(TOPICS.raw, [
        { key: 'AAPL', value: print('AAPL', 149.99, 100, at('10:00') + 1_000) },
        { key: 'BINANCE:BTCUSDT', value: print('BINANCE:BTCUSDT', 39_999, 10, at('10:00') + 2_000) },
      ]);
      await waitFor(async () => (await service.account(accountId))?.open_orders === 0, 'both orders to fill');

      const positions = await service.positions(accountId);
      assert.deepEqual(positions.map((position) => [position.symbol, position.qty]), [['AAPL', '10'], ['BINANCE:BTCUSDT', '0.5']]);
      const account = (await service.account(accountId))!;
      // Marketable on arrival: filled at the prints' prices (within the limits), zero fees by default.
      assert.equal(account.cash, String(100_000 - 10 * 149.99 - 0.5 * 39_999));
      const value = positions.reduce((sum, position) => sum + parseFixed(position.market_value)!, 0n);
      assert.equal(parseFixed(account.cash)! + value, parseFixed(account.equity)!, 'cash + positions = equity');

      const fills = await service.activities(accountId, { direction: 'asc', pageSize: 50 });
      assert.deepEqual(fills.map((update) => [update.order.client_order_id, update.event, update.fill?.qty]), [['stock', 'fill', '10'], ['coin', 'fill', '0.5']]);
      assert.deepEqual((await service.orders(accountId, { status: 'closed', limit: 50, direction: 'asc' })).map((order) => order.status), ['filled', 'filled']);
      // Listeners get every update in order, after it is stored; the executions topic holds the same, keyed by account.
      assert.deepEqual(streamed.map((update) => update.seq), streamed.map((_, i) => i + 1));
      assert.deepEqual(streamed.filter((update) => update.event === 'fill').map((update) => update.order.client_order_id), ['stock', 'coin']);
      const executions = bus.partitionsOf(TOPICS.executions).reduce((sum, log) => sum + log.endOffset, 0);
      assert.equal(executions, streamed.length);
      assert.equal(bus.partitionsOf(TOPICS.orders).reduce((sum, log) => sum + log.endOffset, 0), 3, 'create_account and two submits');
      assert.ok((await service.equityHistory(accountId, 0, Number.MAX_SAFE_INTEGER)).length > 0, 'equity sampled');
    } finally {
      await runner.stop();
      await close();
      await bus.close();
    }
  });

  it('expires a day order at the close on a live tick, durably; a replay tick does nothing', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('15:00'));
    const { service, store, close } = await openService({ dir: 'expiry', bus, clock });
    try {
      const { accountId } = await service.createAccount({});
      const submitted = await service.submitOrder(accountId, { ...limitBuy('AAPL', '10', '100', 'day'), time_in_force: 'day' });
      assert.ok(submitted.ok);
      const replay = new TradingProcessor({ service, rawTopic: TOPICS.raw, live: false });
      const live = new TradingProcessor({ service, rawTopic: TOPICS.raw, live: true });
      await replay.tick(at('16:01'));
      assert.equal((await service.account(accountId))?.open_orders, 1);
      await live.tick(at('16:01'));
      assert.equal((await service.account(accountId))?.open_orders, 0);
      assert.equal((await store.order(accountId, submitted.value.id))?.status, 'expired');
      const equity = await service.equityHistory(accountId, at('15:00'), at('17:00'));
      assert.ok(equity.some((point) => point.timestamp === at('16:00')), 'sampled at the close');
    } finally {
      await close();
    }
  });

  it('does not apply a redelivered batch twice (stored, then crashed before the bus commit)', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const first = await openService({ dir: 'redelivered', bus, clock });
    const { accountId } = await first.service.createAccount({});
    assert.ok((await first.service.submitOrder(accountId, limitBuy('AAPL', '300', '150', 'big'))).ok);
    // Each print gives at most 25 % of its size: 100 shares fill 25.
    const batch = records([print('AAPL', 149, 100, at('10:00') + 1_000), print('AAPL', 149, 100, at('10:00') + 2_000)], 0);
    await first.service.applyPrints(batch);
    const filled = (await first.service.positions(accountId))[0]?.qty;
    assert.equal(filled, '50');
    await first.service.applyPrints(batch);
    assert.equal((await first.service.positions(accountId))[0]?.qty, filled, 'same service, same batch: skipped');
    await first.close();

    // The runner never committed the batch: a restarted service gets it again, with one more print.
    const second = await openService({ dir: 'redelivered', bus, clock });
    try {
      await second.service.applyPrints([...batch, ...records([print('AAPL', 149, 100, at('10:00') + 3_000)], 2)]);
      assert.equal((await second.service.positions(accountId))[0]?.qty, '75');
      assert.equal(second.service.nextOffset(TOPICS.raw, 0), 3);
      const fills = await second.service.activities(accountId, { direction: 'asc', pageSize: 50 });
      assert.deepEqual(fills.map((update) => update.fill?.qty), ['25', '25', '25']);
    } finally {
      await second.close();
    }
  });

  it('on the memory bus, fills against the prints of a restarted process although their offsets start from 0 again', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const accountId = await longFirstRun('embedded-restart', bus, clock);

    // The next process's memory bus numbers from 0 again.
    const second = await openService({ dir: 'embedded-restart', bus, clock, offsetsOutliveProcess: false });
    try {
      const batch = records([print('AAPL', 149, 100, at('10:00') + 2_000)], 0);
      await second.service.applyPrints(batch);
      assert.equal((await second.service.positions(accountId))[0]?.qty, '50', 'a print at offset 0 of the new process fills');
      await second.service.applyPrints(batch);
      assert.equal((await second.service.positions(accountId))[0]?.qty, '50', 'the same process\'s offsets still skip a redelivered batch');
      assert.equal(second.service.nextOffset(TOPICS.raw, 0), 1);
    } finally {
      await second.close();
    }
  });

  it('on the memory bus, stores print batches that moved nothing at most once a second, and one that fills at once', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const opened = await openService({ dir: 'prints-only', bus, clock, offsetsOutliveProcess: false });
    try {
      const { service } = opened;
      const { accountId } = await service.createAccount({});
      const steps = () => service.stats().steps;
      const quiet = (i: number) => records([print('BINANCE:BTCUSDT', 90_000, 1, at('10:00') + i)], i);
      const first = steps();
      for (let i = 0; i < 10; i++) await service.applyPrints(quiet(i));
      assert.equal(steps() - first, 1, 'the first batch is stored, the next nine wait');
      clock.advanceTo(at('10:00') + 1_000);
      await service.applyPrints(quiet(10));
      assert.equal(steps() - first, 2, 'a second later the next one is stored');
      assert.equal(service.nextOffset(TOPICS.raw, 0), 11, 'the waiting batches still count as applied');

      assert.ok((await service.submitOrder(accountId, limitBuy('AAPL', '10', '150', 'fills'))).ok);
      const beforeFill = steps();
      await service.applyPrints(records([print('AAPL', 149, 100, at('10:00') + 2_000)], 0, 1));
      assert.equal(steps() - beforeFill, 1, 'a batch that fills is stored before applyPrints resolves');
      assert.equal((await service.positions(accountId))[0]?.qty, '10');
    } finally {
      await opened.close();
    }

    // On Kafka (offsets outlive the process) every batch is stored with its offsets.
    const kafkaLike = await openService({ dir: 'prints-only-kafka', bus, clock });
    try {
      const first = kafkaLike.service.stats().steps;
      for (let i = 0; i < 3; i++) await kafkaLike.service.applyPrints(records([print('BINANCE:BTCUSDT', 90_000, 1, at('10:00') + 3_000 + i)], i));
      assert.equal(kafkaLike.service.stats().steps - first, 3);
    } finally {
      await kafkaLike.close();
    }
  });

  it('on the memory bus, a rebuild after a failed commit still ignores what an earlier process stored, also for a partition whose batches waited', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const accountId = await longFirstRun('deferred-rebuild', bus, clock);

    let failNext = false;
    const second = await openService({
      dir: 'deferred-rebuild',
      bus,
      clock,
      offsetsOutliveProcess: false,
      store: (store) => failingOnDemand(store, () => {
        const fail = failNext;
        failNext = false;
        return fail;
      }),
    });
    try {
      const { service } = second;
      await service.createAccount({});
      // Right after that commit, a batch on partition 0 that moves nothing waits: this process stored no offset there yet.
      await service.applyPrints(records([print('BINANCE:BTCUSDT', 90_000, 1, at('10:00') + 1_500)], 0));
      failNext = true;
      await assert.rejects(service.submitOrder(accountId, limitBuy('AAPL', '1', '1', 'lost')), /database went away/);
      await service.applyPrints(records([print('AAPL', 149, 100, at('10:00') + 2_000)], 1));
      assert.equal((await service.positions(accountId))[0]?.qty, '50', 'the earlier process\'s offset 1,000 does not come back with the rebuild');
    } finally {
      await second.close();
    }
  });

  it('fences an older service once a newer one opened the same store: one writer', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    const older = await openService({ dir: 'fenced', bus, clock });
    try {
      const { accountId } = await older.service.createAccount({});
      const newer = await TradingService.open({ store: older.store, producer: bus.producer(), topics: TOPICS, symbols: SYMBOLS, clock, logger: silentLogger() });
      await assert.rejects(older.service.submitOrder(accountId, limitBuy('AAPL', '1', '150', 'zombie')), { code: 'TICKFLOW_STORE_LOCKED' });
      await assert.rejects(older.service.account(accountId), { code: 'TICKFLOW_STORE_LOCKED' }, 'and stays fenced');
      assert.ok((await newer.submitOrder(accountId, limitBuy('AAPL', '1', '150', 'zombie'))).ok, 'nothing of the fenced command was stored');
    } finally {
      await older.close();
    }
  });

  it('rebuilds the engine from the store when a commit fails, so memory never runs ahead of the store', async () => {
    const bus = new MemoryBus();
    const clock = new ManualClock(at('10:00'));
    let failNext = false;
    const { service, close } = await openService({
      dir: 'failing',
      bus,
      clock,
      store: (store) => failingOnDemand(store, () => {
        const fail = failNext;
        failNext = false;
        return fail;
      }),
    });
    try {
      const { accountId } = await service.createAccount({});
      failNext = true;
      await assert.rejects(service.submitOrder(accountId, limitBuy('AAPL', '10', '150', 'lost')), /database went away/);
      assert.equal((await service.account(accountId))?.open_orders, 0, 'the order that was not stored is not in the engine either');
      const retried = await service.submitOrder(accountId, limitBuy('AAPL', '10', '150', 'lost'));
      assert.ok(retried.ok, 'the client order id is free again');
    } finally {
      await close();
    }
  });
});
