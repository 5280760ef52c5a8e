import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryBus } from '../../../src/bus/memory/memory-bus.ts';
import { ManualClock } from '../../../src/clock.ts';
import { tradingAccountResolver } from '../../../src/cli/compose/default-trading-account.ts';
import { silentLogger } from '../../../src/logger.ts';
import type { OrderRequest } from '../../../src/model/order.ts';
import type { TradingSignal } from '../../../src/model/signal.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import type { TraderConfig } from '../../../src/processors/trader/trader-config.ts';
import { TraderProcessor } from '../../../src/processors/trader/trader-processor.ts';
import { openPgliteStore } from '../../../src/store/pglite-store.ts';
import type { SqlStore } from '../../../src/store/sql-store.ts';
import type { TradingGateway } from '../../../src/trading/gateway.ts';
import { TradingService } from '../../../src/trading/service/trading-service.ts';
import { signalOrderId } from '../../../src/trading/trader/signal-order-id.ts';
import { waitFor, within } from '../../support/wait.ts';
import { nyTime, print } from '../../trading/support.ts';
import { signal as testSignal } from '../../trading/trader/support.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-trader-'));
// One database for the file (opening PGlite takes seconds): each test has its own account, its own
// minute of the session and its own offsets of the raw topic (the service skips offsets it holds).
let sql: SqlStore;
before(async () => void (sql = await openPgliteStore({ dir: join(root, 'store') })));
after(async () => {
  await within(sql.close(), 10_000, 'closing the PGlite store');
  rmSync(root, { recursive: true, force: true });
});
let rawOffset = 0;
let minute = 0;

const TOPICS = { raw: 'raw-market-data', signals: 'trading-signals', orders: 'orders', executions: 'executions' };
const OPEN = nyTime('10:00', '2026-01-05') + 3_600_000; // A Monday in January (EST, UTC−5), 10:00 New York.
const MOMENTUM: TraderConfig = { id: 'momentum', account: 'default', strategies: ['ma-crossover'], sizing: { rule: 'fixed-qty', qty: 10 }, position: { mode: 'long-only', onOpposite: 'flat' } };

async function setUp(traders: readonly TraderConfig[] = [MOMENTUM], gate?: (gateway: TradingGateway) => TradingGateway) {
  const start = OPEN + minute++ * 60_000;
  const bus = new MemoryBus();
  await bus.ensureTopics(Object.values(TOPICS).map((name) => ({ name, partitions: 1 })));
  const clock = new ManualClock(start);
  const service = await TradingService.open({ store: sql.trading, producer: bus.producer(), topics: TOPICS, symbols: ['AAPL'], clock, logger: silentLogger() });
  const { accountId } = await service.createAccount({ startingCash: '100000' });
  // `default` is the account whose keys `tickflow up` wrote.
  const dataDir = mkdtempSync(join(root, 'data-'));
  writeFileSync(join(dataDir, 'paper-account.json'), JSON.stringify({ accountId }));
  const tape = async (price: number, at: number) => service.applyPrints([{ topic: TOPICS.raw, partition: 0, offset: rawOffset++, key: 'AAPL', value: print('AAPL', price, 10_000, start + at), timestamp: start + at }]);
  await tape(150, 0);
  const gateway = gate ? gate(service) : service;
  const processor = new TraderProcessor({ input: TOPICS.signals, traders, gateway, resolveAccount: tradingAccountResolver(service, dataDir), live: true, clock, logger: silentLogger() });
  const runner = new ProcessorRunner({ bus, processor, groupId: 'trader', clock, logger: silentLogger() });
  await runner.start();
  const producer = bus.producer();
  return {
    service,
    accountId,
    processor,
    runner,
    tape,
    signalAt: (side: 'buy' | 'sell', offset: number): TradingSignal => testSignal({ symbol: 'AAPL', side, offset, price: 150, tsEvent: start + offset, tsRecv: start + offset }),
    publish: (signal: TradingSignal) => producer.send(TOPICS.signals, [{ key: signal.symbol, value: signal, timestamp: signal.tsEvent }]),
    async close() {
      await runner.stop();
      await service.close();
      await bus.close();
    },
  };
}

describe('TraderProcessor on the memory bus and a PGlite trading service', () => {
  it("a signal in, an order out with the strategy's client order id, on the default account; the same signal again makes no second order", async () => {
    const t = await setUp();
    try {
      const buy = t.signalAt('buy', 1);
      const clientId = signalOrderId('momentum', buy);
      assert.match(clientId, /^ma-crossover-/);
      await t.publish(buy);
      await waitFor(async () => (await t.service.orderByClientId(t.accountId, clientId)) !== null, 'the order');
      const order = (await t.service.orderByClientId(t.accountId, clientId))!;
      assert.deepEqual([order.symbol, order.side, order.qty, order.order_type, order.time_in_force], ['AAPL', 'buy', '10', 'market', 'day']);

      // Delivered again (a producer retry upstream): still one order.
      await t.publish(buy);
      await waitFor(() => t.processor.stats().signals === 2, 'the second delivery');
      assert.equal((await t.service.orders(t.accountId, { status: 'all', limit: 50, direction: 'asc' })).length, 1);
      assert.equal(t.processor.stats().submitted, 1);
      assert.equal(t.processor.stats().orders_momentum, 1);
    } finally {
      await t.close();
    }
  });

  it('buy, fill, sell closes the long; the buy redelivered after that is refused as a duplicate (422), not traded again', async () => {
    const t = await setUp();
    try {
      const buy = t.signalAt('buy', 1);
      await t.publish(buy);
      await waitFor(() => t.processor.stats().submitted === 1, 'the buy');
      await t.tape(150, 1_000);
      await waitFor(async () => (await t.service.position(t.accountId, 'AAPL'))?.qty === '10', 'the buy to fill');

      await t.publish(t.signalAt('sell', 2_000));
      await waitFor(() => t.processor.stats().submitted === 2, 'the sell');
      const sell = (await t.service.orderByClientId(t.accountId, signalOrderId('momentum', t.signalAt('sell', 2_000))))!;
      assert.deepEqual([sell.side, sell.qty], ['sell', '10']);
      await t.tape(151, 3_000);
      await waitFor(async () => (await t.service.position(t.accountId, 'AAPL')) === null, 'flat again');

      await t.publish(buy);
      await waitFor(() => t.processor.stats().duplicate === 1, 'the duplicate');
      assert.equal(t.processor.stats().submitted, 2);
      assert.equal((await t.service.orders(t.accountId, { status: 'all', limit: 50, direction: 'asc' })).length, 2);
      // A sell with nothing held on long-only makes nothing.
      await t.publish(t.signalAt('sell', 4_000));
      await waitFor(() => t.processor.stats().skipped >= 1, 'the skipped sell');
      assert.equal(t.processor.stats().submitted, 2);
    } finally {
      await t.close();
    }
  });

  it('commits the signal only once its order is durable (the gateway answered)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const gate = (service: TradingGateway): TradingGateway =>
      new Proxy(service, {
        get: (target, key) => {
          if (key === 'submitOrder') {
            return async (accountId: string, request: OrderRequest) => {
              await held;
              return target.submitOrder(accountId, request);
            };
          }
          const value = Reflect.get(target, key) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const t = await setUp([MOMENTUM], gate);
    try {
      await t.publish(t.signalAt('buy', 1));
      await waitFor(async () => (await t.runner.lag()).some((partition) => partition.lag > 0) && t.processor.stats().signals === 1, 'the signal read');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await t.runner.lag()).reduce((sum, partition) => sum + partition.lag, 0), 1, 'not committed while the order is in flight');
      release();
      await waitFor(async () => (await t.runner.lag()).every((partition) => partition.lag === 0), 'the commit');
      assert.equal(t.processor.stats().submitted, 1);
    } finally {
      release();
      await t.close();
    }
  });

  it('trades only its strategies and symbols; refusals are counted; an unknown account trades nothing', async () => {
    const u = await setUp([
      { ...MOMENTUM, id: 'spy-only', symbols: ['SPY'] },
      { ...MOMENTUM, id: 'rsi-only', strategies: ['rsi'] },
      { ...MOMENTUM, id: 'too-big', sizing: { rule: 'fixed-qty', qty: 1_000_000 } },
      { ...MOMENTUM, id: 'nobody', account: 'no-such-account' },
    ]);
    try {
      await u.publish(u.signalAt('buy', 1));
      await waitFor(() => u.processor.stats().refused === 1 && u.processor.stats().noAccount === 1, 'the refusal and the missing account');
      const stats = u.processor.stats();
      assert.deepEqual([stats.submitted, stats.orders_spy_only, stats['orders_spy-only'], stats['orders_rsi-only']], [0, undefined, 0, 0]);
      assert.deepEqual(await u.service.orders(u.accountId, { status: 'all', limit: 50, direction: 'asc' }), []);
    } finally {
      await u.close();
    }
  });

  it('does not trade a stale signal (older than a minute by the clock)', async () => {
    const t = await setUp();
    try {
      await t.publish({ ...t.signalAt('buy', 1), tsEvent: t.signalAt('buy', 1).tsEvent - 120_000 });
      await waitFor(() => t.processor.stats().stale === 1, 'the stale signal');
      assert.equal(t.processor.stats().submitted, 0);
    } finally {
      await t.close();
    }
  });
});
