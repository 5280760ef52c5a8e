import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import type { PrintClassifier } from '../../../src/trading/fills/print-classifier.ts';
import { account, COIN, instruments, newEngine, nyTime, orderRequest, print, STOCK } from '../support.ts';

const T = nyTime('10:00');

function started(engine: TradingEngine = newEngine(), fields: Parameters<typeof account>[0] = {}): TradingEngine {
  assert.ok(engine.createAccount(account(fields), nyTime('03:00')).ok);
  engine.trade(print('AAPL', 100, 100, nyTime('09:45')));
  engine.takeEvents();
  return engine;
}

const summary = (events: readonly TradeUpdate[]) => events.map((e) => `${e.event}${e.fill ? ` ${e.fill.qty}@${e.fill.price}` : ''}`);

function submit(engine: TradingEngine, fields: Parameters<typeof orderRequest>[0], at = T) {
  const result = engine.submit('acct', orderRequest(fields), at);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.value;
}

describe('an order on the tape', () => {
  it('becomes active after the latency and fills only against prints strictly after it', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' });
    engine.trade(print('AAPL', 100, 1_000, T + 50));
    assert.deepEqual(summary(engine.takeEvents()), ['pending_new', 'new']);
    engine.trade(print('AAPL', 100.1, 1_000, T + 51));
    const [fill] = engine.takeEvents();
    assert.equal(fill!.event, 'fill');
    assert.equal(fill!.timestamp, T + 51);
    assert.deepEqual(fill!.fill!.lineage, [{ ref: `test:${fill!.fill!.lineage[0]!.ref.split(':')[1]}`, price: 100.1, size: 1_000, tsEvent: T + 51 }]);
    assert.equal(fill!.order.filled_avg_price, '100.1');
  });

  it('fills a market order in parts, at most a quarter of each print', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '300' });
    for (const [offset, size] of [[60, 400], [70, 100], [80, 1_000], [90, 1_000]] as const) engine.trade(print('AAPL', 100, size, T + offset));
    const events = engine.takeEvents();
    assert.deepEqual(summary(events), ['pending_new', 'new', 'partial_fill 100@100', 'partial_fill 25@100', 'fill 175@100']);
    assert.deepEqual(events.at(-1)!.order.filled_qty, '300');
    assert.equal(engine.positions('acct')![0]!.qty, '300');
  });

  it('queues a market order sent before the open for the first regular print', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' }, nyTime('08:00'));
    engine.trade(print('AAPL', 99, 1_000, nyTime('09:00')));
    engine.trade(print('AAPL', 101, 1_000, nyTime('09:30:00.001')));
    assert.deepEqual(summary(engine.takeEvents()), ['pending_new', 'new', 'fill 10@101']);
  });

  it('expires a day order at the close, and an extended-hours one at the end of the post-market', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '90' });
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '90', extended_hours: true });
    engine.advance(nyTime('16:00'));
    const expired = engine.takeEvents().filter((e) => e.event === 'expired');
    assert.deepEqual(expired.map((e) => [e.timestamp, e.order.extended_hours]), [[nyTime('16:00'), false]]);
    // Through the limit, but 89 is the only price printed since activation: the fill is held to it.
    engine.trade(print('AAPL', 89, 1_000, nyTime('17:00')));
    assert.deepEqual(summary(engine.takeEvents()), ['fill 10@89']);
  });

  it('gives ioc one print: fills what it can, cancels the rest', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '50', time_in_force: 'ioc' });
    engine.trade(print('AAPL', 100, 100, T + 60));
    const events = engine.takeEvents();
    assert.deepEqual(summary(events), ['pending_new', 'new', 'partial_fill 25@100', 'canceled']);
    assert.match(events.at(-1)!.order.reason!, /ioc order: the rest was not filled/);
  });

  it('fills fok in full or not at all', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '50', time_in_force: 'fok' });
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '20', time_in_force: 'fok' }, T + 100);
    engine.trade(print('AAPL', 100, 100, T + 60));
    engine.trade(print('AAPL', 100, 100, T + 160));
    assert.deepEqual(summary(engine.takeEvents()), ['pending_new', 'new', 'pending_new', 'canceled', 'new', 'fill 20@100']);
  });

  it('rests a limit order while the tape stays at or above it, fills it on a print through', () => {
    const engine = started();
    // 50,000 shares printed at 99.5 in the minute before: the queue the order joins.
    engine.trade(print('AAPL', 99.5, 50_000, T - 30_000));
    engine.trade(print('AAPL', 99.8, 100, T - 1_000));
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '99.5', time_in_force: 'gtc' });
    for (const price of [99.8, 99.5, 99.5, 99.6, 99.5]) engine.trade(print('AAPL', price, 10_000, T + 100));
    assert.deepEqual(summary(engine.takeEvents()), ['pending_new', 'new']);
    engine.trade(print('AAPL', 99.4, 20, T + 200));
    engine.trade(print('AAPL', 99.4, 40, T + 201));
    const events = engine.takeEvents();
    assert.deepEqual(summary(events), ['partial_fill 5@99.5', 'fill 5@99.5']);
    // Once the queue is served, prints at the limit fill too.
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '99.5', time_in_force: 'gtc' }, T + 300);
    // Queue: 50,000 + 30,000 printed at 99.5 within the minute before activation.
    engine.trade(print('AAPL', 99.5, 60_000, T + 400));
    engine.trade(print('AAPL', 99.5, 40_000, T + 500));
    assert.deepEqual(summary(engine.takeEvents()), ['pending_new', 'new', 'fill 10@99.5']);
    assert.equal(events[0]!.fill!.liquidity, 'maker');
  });

  it('replaces an order: the old one replaced, a new one that starts over', () => {
    const engine = started();
    const old = submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '95', client_order_id: 'mine' });
    const replaced = engine.replace('acct', old.id, { type: 'order-replace', qty: '20', limit_price: '96', time_in_force: null, stop_price: null, trail: null, client_order_id: null }, T + 10);
    assert.ok(replaced.ok);
    assert.deepEqual([replaced.value.qty, replaced.value.limit_price, replaced.value.replaces], ['20', '96', old.id]);
    const events = engine.takeEvents();
    assert.deepEqual(events.map((e) => [e.event, e.order.id]), [['pending_new', old.id], ['replaced', old.id], ['pending_new', replaced.value.id]]);
    assert.equal(events[1]!.order.replaced_by, replaced.value.id);
    const again = engine.cancel('acct', old.id, T + 20);
    assert.deepEqual(again, { ok: false, code: 'not_open', message: 'order is already replaced' });
    assert.deepEqual(engine.openOrders('acct')!.map((o) => o.id), [replaced.value.id]);
  });

  it('closes a position with a market order after canceling the orders on it', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' });
    engine.trade(print('AAPL', 100, 1_000, T + 60));
    submit(engine, { symbol: 'AAPL', side: 'sell', qty: '10', order_type: 'limit', limit_price: '120' }, T + 100);
    const closing = engine.closePosition('acct', 'AAPL', T + 200);
    assert.ok(closing.ok);
    engine.trade(print('AAPL', 101, 1_000, T + 300));
    assert.deepEqual(summary(engine.takeEvents()).slice(3), ['pending_new', 'new', 'canceled', 'pending_new', 'new', 'fill 10@101']);
    assert.deepEqual(engine.positions('acct'), []);
    assert.equal(engine.account('acct')!.equity, '100010');
  });

  it('fills crypto in fractions and by notional, around the clock', () => {
    const engine = started();
    const btc = 'BINANCE:BTCUSDT';
    engine.trade(print(btc, 40_000, 2, nyTime('23:00')));
    submit(engine, { symbol: btc, side: 'buy', qty: null, notional: '1000', time_in_force: 'gtc' }, nyTime('23:00:01'));
    submit(engine, { symbol: btc, side: 'buy', qty: '0.6', time_in_force: 'gtc' }, nyTime('23:00:01'));
    engine.trade(print(btc, 40_000, 2, nyTime('23:00:02')));
    engine.trade(print(btc, 40_000, 1, nyTime('23:00:03')));
    assert.deepEqual(summary(engine.takeEvents()).filter((e) => e.includes('@')), ['fill 0.025@40000', 'partial_fill 0.475@40000', 'fill 0.125@40000']);
    assert.equal(engine.positions('acct')![0]!.qty, '0.625');
  });

  it('fills forex prices without sizes at the price, without a size cap; never at the limit', () => {
    const fx = 'OANDA:EUR_USD';
    const engine = newEngine({ instrument: instruments(STOCK('AAPL'), { ...COIN(fx), assetClass: 'forex', market: 'crypto', shortable: true }) });
    started(engine);
    engine.trade(print(fx, 1.387, 0, T - 1_000));
    submit(engine, { symbol: fx, side: 'buy', qty: '100000', time_in_force: 'gtc', order_type: 'limit', limit_price: '1.3869' });
    submit(engine, { symbol: fx, side: 'sell', qty: '20000', time_in_force: 'gtc' });
    engine.trade(print(fx, 1.3869, 0, T + 60));
    engine.trade(print(fx, 1.38685, 0, T + 70));
    assert.deepEqual(summary(engine.takeEvents()), ['pending_new', 'pending_new', 'new', 'new', 'fill 20000@1.3869', 'fill 100000@1.3869']);
  });

  it('fills opg at the opening auction print and cancels what it did not get', () => {
    const auctions: PrintClassifier = { eligibility: () => 'full', auction: (trade) => (trade.conditions?.[0] === 'O' ? 'opening' : trade.conditions?.[0] === 'C' ? 'closing' : null) };
    const engine = started(newEngine({ prints: auctions }));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '500', time_in_force: 'opg' }, nyTime('08:00'));
    submit(engine, { symbol: 'AAPL', side: 'sell', qty: '5', time_in_force: 'cls' }, nyTime('08:00'));
    engine.trade(print('AAPL', 100, 1_000, nyTime('09:30:00.010')));
    engine.trade(print('AAPL', 100.2, 1_000, nyTime('09:30:00.500'), ['O']));
    engine.trade(print('AAPL', 101, 1_000, nyTime('15:59:59')));
    engine.trade(print('AAPL', 101.5, 8_000, nyTime('16:00:00.700'), ['C']));
    const events = engine.takeEvents();
    assert.deepEqual(summary(events), ['pending_new', 'pending_new', 'new', 'new', 'partial_fill 250@100.2', 'canceled', 'fill 5@101.5']);
    assert.match(events[5]!.order.reason!, /not filled at the opening auction/);
  });

  it('fills opg and cls on the first and last regular prints when the feed marks no auction', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10', time_in_force: 'opg' }, nyTime('08:00'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10', time_in_force: 'cls' }, nyTime('08:00'));
    engine.trade(print('AAPL', 100, 1_000, nyTime('09:30:00.010')));
    engine.trade(print('AAPL', 100.5, 1_000, nyTime('09:30:10')));
    engine.trade(print('AAPL', 102, 1_000, nyTime('15:59:59')));
    engine.trade(print('AAPL', 103, 1_000, nyTime('16:00:10')));
    engine.advance(nyTime('16:01'));
    const fills = engine.takeEvents().filter((e) => e.fill);
    assert.deepEqual(fills.map((e) => [e.fill!.price, e.timestamp, e.fill!.lineage[0]!.tsEvent]), [
      ['100', nyTime('09:31'), nyTime('09:30:00.010')],
      ['102', nyTime('16:01'), nyTime('15:59:59')],
    ]);
  });
});
