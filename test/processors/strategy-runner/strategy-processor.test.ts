import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { ManualClock } from '../../../src/clock.ts';
import type { Order, OrderRequest } from '../../../src/model/order.ts';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import { StrategyProcessor } from '../../../src/processors/strategy-runner/strategy-processor.ts';
import { loadStrategy } from '../../../src/strategy/load-strategy.ts';
import type { AccountSummary } from '../../../src/trading/engine/account-view.ts';
import type { TradingGateway } from '../../../src/trading/gateway.ts';
import { account, bar, newEngine, orderRequest, print } from '../../trading/support.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickflow-strategy-processor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TOPICS = { raw: 'raw-market-data', metrics: 'aggregated-metrics', executions: 'executions' };
const ACCOUNT = 'acct-1';
// A Saturday: no session opens or closes, so no clock events between the records.
const AT = Date.parse('2026-01-03T15:00:00Z');

/** A gateway with one account that records the orders it is given and accepts them all. */
function fakeGateway() {
  const submitted: OrderRequest[] = [];
  const summary = { type: 'account', id: ACCOUNT, cash: '1000', equity: '1000', buying_power: '2000', realized_pl: '0', unrealized_pl: '0', fees: '0' } as AccountSummary;
  const gateway = {
    account: async (id: string) => (id === ACCOUNT ? summary : null),
    positions: async () => [],
    orders: async () => [],
    instruments: () => [{ symbol: 'AAPL', assetClass: 'us_equity', market: 'us-equity', tradable: true, fractionable: true, shortable: true }],
    submitOrder: async (_account: string, request: OrderRequest) => {
      submitted.push(request);
      return { ok: true as const, value: { id: `order-${submitted.length}`, symbol: request.symbol } as Order };
    },
  } as unknown as TradingGateway;
  return { gateway, submitted };
}

async function processorFor(source: string) {
  const file = join(dir, `strategy-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  const { gateway, submitted } = fakeGateway();
  const processor = new StrategyProcessor({ topics: TOPICS, strategy: await loadStrategy(file), params: {}, gateway, resolveAccount: async () => ACCOUNT, clock: new ManualClock(AT), seed: 1 });
  return { processor, submitted, file };
}

let offset = 0;
function record(topic: string, value: unknown): BusRecord {
  return { topic, partition: 0, offset: offset++, key: 'AAPL', value, timestamp: AT };
}

describe('StrategyProcessor', () => {
  it('counts a handler that throws and hands the next event to the strategy as usual', async () => {
    const { processor, submitted } = await processorFor(`
      export default {
        name: 'thrower',
        setup(ctx) {
          let seen = 0;
          return {
            async onTrade(trade) {
              seen++;
              if (seen === 1) throw new Error('bad first trade');
              await ctx.buy(trade.symbol, 1);
            },
          };
        },
      };
    `);
    const batch = [record(TOPICS.raw, print('AAPL', 150, 100, AT)), record(TOPICS.raw, print('AAPL', 151, 100, AT + 1))];
    assert.deepEqual(await processor.process(batch), batch);
    const stats = processor.stats();
    assert.equal(stats.errors, 1);
    assert.equal(stats.trades, 2);
    assert.deepEqual(submitted.map((order) => [order.symbol, order.side, order.qty]), [['AAPL', 'buy', '1']]);
  });

  it('passes the bars of the declared intervals only, and the trade updates of its own account only', async () => {
    const { processor } = await processorFor(`
      export default {
        name: 'watcher',
        bars: ['1s'],
        setup() {
          return {
            onBar(bar) { if (bar.interval !== '1s') throw new Error('a ' + bar.interval + ' bar'); },
            onOrderUpdate(update) { if (update.account_id !== '${ACCOUNT}') throw new Error('another account'); },
          };
        },
      };
    `);
    const updates = (id: string): readonly TradeUpdate[] => {
      const engine = newEngine();
      engine.createAccount(account({ id }), AT);
      assert.ok(engine.submit(id, orderRequest({ symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '1' }), AT).ok);
      return engine.takeEvents();
    };
    await processor.process([
      record(TOPICS.metrics, bar('AAPL', AT - 1_000, [1, 2, 1, 2], 10, '1s')),
      record(TOPICS.metrics, bar('AAPL', AT - 60_000, [1, 2, 1, 2], 10, '1m')),
      ...updates('someone-else').map((update) => record(TOPICS.executions, update)),
      ...updates(ACCOUNT).map((update) => record(TOPICS.executions, update)),
    ]);
    const stats = processor.stats();
    assert.equal(stats.bars, 1);
    assert.equal(stats.orderUpdates, updates(ACCOUNT).length);
    assert.equal(stats.invalid, 0);
    assert.equal(stats.errors, 0);
  });
});
