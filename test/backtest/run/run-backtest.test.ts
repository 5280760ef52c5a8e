import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StrategyError } from '../../../src/strategy/strategy-error.ts';
import { backtest, MINUTE, OPEN, strategyFile, trade } from './support.ts';

const IMPORT = `import { defineStrategy } from '${new URL('../../../src/strategy/strategy-api.ts', import.meta.url).pathname}';`;

/** A session of SPY prints, one every 10 s from 09:30 to 16:10, drifting up a cent a print. */
function session(): ReturnType<typeof trade>[] {
  const prints = [];
  for (let at = OPEN, price = 100; at <= OPEN + 400 * MINUTE; at += 10_000, price += 0.01) prints.push(trade('SPY', at, Math.round(price * 100) / 100));
  return prints;
}

describe('a backtest run', () => {
  it('fills an order on a later print, inside the prints since it was placed, and the books reconcile', async () => {
    const path = strategyFile(`${IMPORT}
export default defineStrategy({
  name: 'buy-once',
  setup(ctx) {
    let done = false;
    return { onTrade(trade) { if (!done) { done = true; void ctx.buy(trade.symbol, 10); } } };
  },
});`);
    const prints = session();
    const result = await backtest(path, prints);
    assert.equal(result.orders.length, 1);
    assert.equal(result.orders[0]!.status, 'filled');
    assert.equal(result.fills.length, 1);
    const fill = result.fills[0]!;
    // Placed on the first print (100.00); the next print (100.01, 10 s later) is the first after its 50 ms latency.
    assert.equal(fill.transaction_time, OPEN + 10_000);
    assert.equal(fill.price, '100.01');
    const last = prints.at(-1)!.price;
    assert.equal(Number(result.final.cash), 100_000 - 10 * 100.01);
    assert.equal(Number(result.final.equity).toFixed(2), (100_000 - 10 * 100.01 + 10 * last).toFixed(2));
    assert.deepEqual(result.final.positions.map((position) => [position.symbol, position.qty]), [['SPY', '10']]);
  });

  it('samples equity each minute, closes each trading day, and holds the benchmark from its first price', async () => {
    const path = strategyFile(`export default { name: 'idle', setup: () => ({}) };`);
    const prints = session();
    const result = await backtest(path, prints);
    assert.equal(result.equity.length, 401);
    assert.deepEqual(result.daily.map((day) => day.date), ['2013-10-07']);
    const last = result.equity.at(-1)!;
    assert.equal(Number(last.benchmark).toFixed(6), ((100_000 * prints.at(-1)!.price) / 100).toFixed(6));
    assert.equal(last.equity, '100000');
  });

  it('tells the strategy of the session open and close on the clock', async () => {
    const path = strategyFile(`${IMPORT}
export default defineStrategy({
  name: 'clock',
  setup(ctx) {
    return { onClock(event) { ctx.log.info(event.kind + ' ' + event.market + ' ' + event.date + ' ' + new Date(event.time).toISOString()); } };
  },
});`);
    const lines: string[] = [];
    const prints = [trade('SPY', OPEN - 5 * MINUTE, 100), trade('SPY', OPEN + MINUTE, 100), trade('SPY', OPEN + 391 * MINUTE, 100), trade('SPY', OPEN + 24 * 60 * MINUTE, 100)];
    await backtest(path, prints, { log: (_time, _level, message) => lines.push(message) });
    assert.deepEqual(lines, [
      'open us-equity 2013-10-07 2013-10-07T13:30:00.000Z',
      'close us-equity 2013-10-07 2013-10-07T20:00:00.000Z',
      'open us-equity 2013-10-08 2013-10-08T13:30:00.000Z',
    ]);
  });

  it('builds 1-minute bars from ticks for onBar', async () => {
    const path = strategyFile(`${IMPORT}
export default defineStrategy({
  name: 'bars',
  setup(ctx) { return { onBar(bar) { ctx.log.info(bar.interval + ' ' + new Date(bar.start).toISOString() + ' ' + bar.open + ' ' + bar.close + ' ' + bar.volume); } }; },
});`);
    const lines: string[] = [];
    await backtest(path, [trade('SPY', OPEN + 1_000, 100), trade('SPY', OPEN + 30_000, 101, 50), trade('SPY', OPEN + MINUTE + 5, 102)], { log: (_time, _level, message) => lines.push(message) });
    assert.deepEqual(lines, ['1m 2013-10-07T13:30:00.000Z 100 101 150', '1m 2013-10-07T13:31:00.000Z 102 102 100']);
  });

  it('gives the same result twice', async () => {
    const path = strategyFile(`${IMPORT}
export default defineStrategy({
  name: 'random-trader',
  setup(ctx) {
    return { onTrade(trade) { if (ctx.random() < 0.05) void ctx.order({ symbol: trade.symbol, side: ctx.random() < 0.5 ? 'buy' : 'sell', qty: 1 + Math.floor(ctx.random() * 5) }); } };
  },
});`);
    const prints = session();
    const first = await backtest(path, prints);
    const second = await backtest(path, prints.map((print) => ({ ...print })));
    assert.ok(first.fills.length > 10, `only ${first.fills.length} fills`);
    assert.ok(JSON.stringify(second) === JSON.stringify(first), 'the two runs differ');
  });

  it('names the strategy file and line when a handler throws', async () => {
    const path = strategyFile(`${IMPORT}
export default defineStrategy({
  name: 'thrower',
  setup() {
    return {
      onTrade(trade) {
        if (trade.price > 100.05) throw new Error('boom');
      },
    };
  },
});`);
    await assert.rejects(backtest(path, session()), (error: unknown) => {
      assert.ok(error instanceof StrategyError);
      assert.match(error.message, /strategy .*strategy\.ts:7:\d+ threw in onTrade \(trade SPY at 2013-10-07T13:31:00\.000Z\): boom/);
      return true;
    });
  });

  it('names the line of an async handler that rejects', async () => {
    const path = strategyFile(`${IMPORT}
export default defineStrategy({
  name: 'async-thrower',
  setup() {
    return {
      async onTrade() {
        await Promise.resolve();
        throw new TypeError('bad');
      },
    };
  },
});`);
    await assert.rejects(backtest(path, session()), /strategy\.ts:8:\d+ threw in onTrade .*TypeError: bad/);
  });
});
