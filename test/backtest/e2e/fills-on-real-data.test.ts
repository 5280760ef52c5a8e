import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openBacktestData } from '../../../src/backtest/data/backtest-data.ts';
import type { BacktestResult } from '../../../src/backtest/backtest-result.ts';
import { runBacktest } from '../../../src/backtest/run/run-backtest.ts';
import { accountConfig, PER_SHARE_FEES, US_REGULATORY_FEES_2024 } from '../../../src/model/account.ts';
import type { Bar } from '../../../src/model/bar.ts';
import { mulFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { testPlan } from '../run/support.ts';
import { ROOT, SPY_TICKS, WEEK } from './support.ts';

async function backtest(strategyPath: string, paths: readonly string[], params: Record<string, string> = {}): Promise<BacktestResult> {
  const plan = await testPlan(join(ROOT, strategyPath), { params, seed: 7, account: accountConfig({ id: 'backtest', startingCash: '100000', fees: PER_SHARE_FEES, regulatoryFees: US_REGULATORY_FEES_2024 }) });
  const data = await openBacktestData(paths);
  try {
    const [result] = await runBacktest(plan, data);
    return result!;
  } finally {
    await data.close();
  }
}

async function events<T>(paths: readonly string[], type: string): Promise<T[]> {
  const data = await openBacktestData(paths);
  const all: T[] = [];
  for await (const batch of data.batches()) for (const event of batch) if (event.type === type) all.push(event as T);
  await data.close();
  return all;
}

const fixed = (text: string) => parseFixed(text)!;

/** Cash, positions and fees follow from the fills alone, to the billionth. */
function assertBooksReconcile(result: BacktestResult): void {
  let cash = fixed(result.configuration.startingCash);
  let fees = 0n;
  const positions = new Map<string, bigint>();
  for (const fill of result.fills) {
    const notional = mulFixed(fixed(fill.qty), fixed(fill.price));
    cash += fill.side === 'buy' ? -notional : notional;
    cash -= fixed(fill.fee);
    fees += fixed(fill.fee);
    positions.set(fill.symbol, (positions.get(fill.symbol) ?? 0n) + (fill.side === 'buy' ? 1n : -1n) * fixed(fill.qty));
  }
  assert.equal(cash, fixed(result.final.cash), 'cash = starting cash − bought + sold − fees');
  assert.equal(fees, fixed(result.final.fees), 'fees summed');
  const held = new Map(result.final.positions.map((position) => [position.symbol, fixed(position.qty)]));
  for (const [symbol, qty] of positions) assert.equal(held.get(symbol) ?? 0n, qty, `position in ${symbol}`);
  const filledOrders = result.orders.filter((order) => fixed(order.filled_qty) > 0n).length;
  assert.ok(filledOrders > 0, 'the strategy traded');
}

describe('backtests on the real data of ../shared/data', () => {
  it('fills bar data inside the bar it filled on, for market, limit and stop orders, and the books reconcile', async () => {
    const bars = await events<Bar>([WEEK], 'bar');
    const byRef = new Map(bars.map((bar) => [`bar:${bar.symbol}:${bar.interval}:${bar.start}`, bar]));
    for (const [strategy, params] of [['examples/sma-cross.ts', {}], ['examples/mean-reversion.ts', {}], ['examples/bracket.ts', { lookback: '20' }]] as const) {
      const result = await backtest(strategy, [WEEK], params);
      assert.ok(result.fills.length >= 5, `${strategy}: only ${result.fills.length} fills`);
      for (const fill of result.fills) {
        const bar = byRef.get(fill.lineage[0]!.ref);
        assert.ok(bar, `${strategy}: fill ${fill.id} names no bar of the data (${fill.lineage[0]!.ref})`);
        const price = Number(fill.price);
        assert.ok(price >= bar.low && price <= bar.high, `${strategy}: ${fill.side} ${fill.symbol} at ${price} outside the bar's ${bar.low}..${bar.high}`);
        assert.ok(fill.transaction_time >= bar.start && fill.transaction_time <= bar.end, `${strategy}: fill time outside its bar`);
      }
      assertBooksReconcile(result);
      const orderTypes = new Set(result.orders.map((order) => order.order_type));
      if (strategy.includes('mean-reversion')) assert.ok(orderTypes.has('limit'));
      if (strategy.includes('bracket')) assert.ok(orderTypes.has('stop') && orderTypes.has('limit') && orderTypes.has('market'), [...orderTypes].join());
    }
  });

  it('fills tick data inside the prints since the order reached the market, and the books reconcile', async () => {
    const trades = await events<Trade>([SPY_TICKS], 'trade');
    const result = await backtest('examples/sma-cross.ts', [SPY_TICKS], { fast: '3', slow: '8' });
    assert.ok(result.fills.length >= 10, `only ${result.fills.length} fills`);
    const orders = new Map(result.orders.map((order) => [order.id, order]));
    for (const fill of result.fills) {
      const activeFrom = orders.get(fill.order_id)!.submitted_at + result.configuration.fills.latencyMs;
      const window = trades.filter((trade) => trade.tsEvent > activeFrom && trade.tsEvent <= fill.transaction_time).map((trade) => trade.price);
      const price = Number(fill.price);
      assert.ok(window.length > 0 && price >= Math.min(...window) && price <= Math.max(...window), `fill at ${price} outside the prints since activation`);
    }
    assertBooksReconcile(result);
  });
});
