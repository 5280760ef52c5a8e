import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { account, bar, newEngine, nyTime, orderRequest } from '../support.ts';

const MINUTE = 60_000;
const at = (hhmm: string, date?: string) => nyTime(hhmm, date);

/** An account, and AAPL marked at 100 by a bar starting at `markedAt` (default the 09:30 bar). */
function started(markedAt = at('09:30')): TradingEngine {
  const engine = newEngine();
  assert.ok(engine.createAccount(account(), at('03:00')).ok);
  engine.bar(bar('AAPL', markedAt, [100, 100, 100, 100], 10_000));
  engine.takeEvents();
  return engine;
}

function submit(engine: TradingEngine, fields: Parameters<typeof orderRequest>[0], time = at('09:31')) {
  const result = engine.submit('acct', orderRequest(fields), time);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.value;
}

const summary = (events: readonly TradeUpdate[]) => events.map((e) => `${e.event}${e.fill ? ` ${e.fill.qty}@${e.fill.price} t+${(e.timestamp - at('09:31')) / 1000}` : ''}`);
const fills = (events: readonly TradeUpdate[]) => summary(events.filter((e) => e.fill || e.event === 'canceled' || e.event === 'expired'));

describe('a market order on bars', () => {
  it('fills at the next bar open moved by the slippage, at the bar start, and names the bar', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' });
    engine.bar(bar('AAPL', at('09:31'), [100, 102, 99.5, 101], 10_000));
    const events = engine.takeEvents();
    assert.deepEqual(summary(events), ['pending_new', 'new', 'fill 10@100.05 t+0']);
    assert.deepEqual(events.at(-1)!.fill!.lineage, [{ ref: `bar:AAPL:1m:${at('09:31')}`, price: 100, size: 10_000, tsEvent: at('09:31') }]);
  });

  it('is held to the bar range', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' });
    submit(engine, { symbol: 'AAPL', side: 'sell', qty: '10' });
    engine.bar(bar('AAPL', at('09:31'), [100, 100.02, 99.99, 100], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@100.02 t+0', 'fill 10@99.99 t+0']);
  });

  it('placed during a bar first sees the next bar; placed at a bar start sees that bar, latency or not', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' }, at('09:31') + 1);
    engine.bar(bar('AAPL', at('09:31'), [100, 100, 100, 100], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), []);
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' }, at('09:32'));
    engine.bar(bar('AAPL', at('09:32'), [101, 101, 101, 101], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@101 t+60', 'fill 10@101 t+60']);
  });
});

describe('a limit order on bars', () => {
  it('fills at the limit when the range goes strictly through it, at the bar end', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '99' });
    engine.bar(bar('AAPL', at('09:31'), [100, 100.5, 98.5, 99.5], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@99 t+60']);
  });

  it('fills at the open when the bar gaps through it', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '99' });
    submit(engine, { symbol: 'AAPL', side: 'sell', order_type: 'limit', limit_price: '97', qty: '5' });
    engine.bar(bar('AAPL', at('09:31'), [98, 98.5, 97.5, 98], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@98 t+0', 'fill 5@98 t+0']);
  });

  it('does not fill on a bar that only touches it (nor on an open at it that goes no further)', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '99' });
    submit(engine, { symbol: 'AAPL', side: 'sell', order_type: 'limit', limit_price: '101', qty: '5', extended_hours: false }, at('09:31'));
    engine.bar(bar('AAPL', at('09:31'), [100, 101, 99, 100], 10_000));
    engine.bar(bar('AAPL', at('09:32'), [99, 100, 99, 100], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), []);
    engine.bar(bar('AAPL', at('09:33'), [100, 101.01, 99, 100], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 5@101 t+180']);
  });

  it('fills without a size cap on a bar without volume, never at the limit', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '99', qty: '1500' });
    engine.bar(bar('AAPL', at('09:31'), [100, 100, 99, 100], 0));
    assert.deepEqual(fills(engine.takeEvents()), []);
    engine.bar(bar('AAPL', at('09:32'), [100, 100, 98, 100], 0));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 1500@99 t+120']);
  });
});

describe('stops on bars', () => {
  it('fill a buy stop at the stop plus slippage when the high reaches it, at the bar end', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'stop', stop_price: '101' });
    engine.bar(bar('AAPL', at('09:31'), [100, 100.9, 99, 100], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), []);
    engine.bar(bar('AAPL', at('09:32'), [100, 101.5, 99, 101], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@101.0505 t+120']);
  });

  it('fill at the open when the bar gaps through the stop, held to the range', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'stop', stop_price: '101' });
    submit(engine, { symbol: 'AAPL', side: 'sell', order_type: 'stop', stop_price: '99', qty: '5' }, at('09:33'));
    engine.bar(bar('AAPL', at('09:31'), [102, 102.02, 101.5, 102], 10_000));
    engine.bar(bar('AAPL', at('09:33'), [98, 98.5, 97, 98], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@102.02 t+0', 'fill 5@97.951 t+120']);
  });

  it('a stop limit triggered in a bar works as a limit from the next bar on', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'stop_limit', stop_price: '101', limit_price: '101.5' });
    engine.bar(bar('AAPL', at('09:31'), [100, 101.2, 100, 101], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), []);
    engine.bar(bar('AAPL', at('09:32'), [101.2, 101.3, 101, 101.1], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 10@101.2 t+60']);
  });

  it('a trailing stop checks the mark as it stood before the bar, then the mark moves', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'sell', order_type: 'trailing_stop', trail_price: '1', qty: '5' });
    // Stop 99 before this bar: the low 101.9 does not reach it, though the high moves the stop to 102.
    engine.bar(bar('AAPL', at('09:31'), [102, 103, 101.9, 102.5], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), []);
    assert.equal(engine.openOrders('acct')![0]!.stop_price, '102');
    engine.bar(bar('AAPL', at('09:32'), [102.5, 102.8, 101.5, 102], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 5@101.949 t+120']);
  });
});

describe('size on bars', () => {
  it('takes at most the participation share of each bar, the rest on later bars', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '300' });
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '101', qty: '10' });
    for (const [minute, volume] of [[31, 400], [32, 10], [33, 600], [34, 1_000]] as const) engine.bar(bar('AAPL', at('09:31') + (minute - 31) * MINUTE, [100, 100, 100, 100], volume));
    assert.deepEqual(fills(engine.takeEvents()), ['partial_fill 100@100 t+0', 'partial_fill 2@100 t+60', 'partial_fill 150@100 t+120', 'fill 48@100 t+180', 'fill 10@100 t+180']);
  });
});

describe('sessions on bars', () => {
  it('fill regular orders on regular-session bars only, extended-hours orders also before and after', () => {
    const engine = started(at('07:59'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' }, at('08:00'));
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '100', extended_hours: true, qty: '5' }, at('08:00'));
    engine.bar(bar('AAPL', at('09:29'), [99, 99, 99, 99], 10_000));
    engine.bar(bar('AAPL', at('09:30'), [99.5, 99.6, 99.5, 99.5], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), ['fill 5@99 t+-120', 'fill 10@99.54975 t+-60']);
  });

  it('expire a day order at the close, after the last bar before it', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '90' });
    engine.bar(bar('AAPL', at('15:59'), [100, 100, 100, 100], 10_000));
    assert.deepEqual(fills(engine.takeEvents()), []);
    engine.bar(bar('AAPL', at('16:00'), [80, 80, 80, 80], 10_000));
    const events = engine.takeEvents();
    assert.deepEqual(events.map((e) => [e.event, e.timestamp]), [['expired', at('16:00')]]);
  });
});

describe('day orders on daily bars', () => {
  it('fill a market order at the daily open; a limit the day never reached expires at its close', () => {
    const engine = started(at('09:30', '2013-10-04'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' }, at('18:00', '2013-10-04'));
    submit(engine, { symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '95' }, at('18:00', '2013-10-04'));
    engine.takeEvents();
    engine.bar(bar('AAPL', at('09:30'), [101, 103, 95, 102], 1_000_000, '1d', at('16:00')));
    engine.bar(bar('AAPL', at('09:30', '2013-10-08'), [90, 90, 90, 90], 1_000_000, '1d', at('16:00', '2013-10-08')));
    const events = engine.takeEvents().filter((e) => e.event !== 'new');
    assert.deepEqual(events.map((e) => [e.event, e.fill?.price, e.timestamp]), [
      ['fill', '101.0505', at('09:30')],
      ['expired', undefined, at('16:00')],
    ]);
  });
});

describe('ioc and fok on bars', () => {
  it('give ioc the first eligible bar: fills what it can, cancels the rest', () => {
    const engine = started(at('09:00'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '50', time_in_force: 'ioc' }, at('09:28'));
    engine.bar(bar('AAPL', at('09:29'), [100, 100, 100, 100], 10_000));
    engine.bar(bar('AAPL', at('09:31'), [100, 100, 100, 100], 100));
    const events = engine.takeEvents();
    assert.deepEqual(fills(events), ['partial_fill 25@100 t+0', 'canceled']);
    assert.match(events.at(-1)!.order.reason!, /ioc order: the rest was not filled on the first bar after acceptance/);
  });

  it('fill fok in full or not at all', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '50', time_in_force: 'fok' });
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '20', time_in_force: 'fok' });
    engine.bar(bar('AAPL', at('09:31'), [100, 100.1, 100, 100], 100));
    assert.deepEqual(fills(engine.takeEvents()), ['canceled', 'fill 20@100.05 t+0']);
  });
});

describe('auction orders on bars', () => {
  it('fill opg at the first regular minute bar open and cls at the close of the bar ending at the close', () => {
    const engine = started(at('08:00'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '300', time_in_force: 'opg' }, at('08:01'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10', time_in_force: 'cls' }, at('08:01'));
    engine.bar(bar('AAPL', at('09:29'), [99, 99, 99, 99], 10_000));
    engine.bar(bar('AAPL', at('09:30'), [101, 102, 100, 101], 1_000));
    engine.bar(bar('AAPL', at('15:58'), [103, 103, 103, 103], 10_000));
    engine.bar(bar('AAPL', at('15:59'), [103, 104, 102, 104], 10_000));
    const events = engine.takeEvents().filter((e) => e.event !== 'new' && e.event !== 'pending_new');
    assert.deepEqual(events.map((e) => [e.event, e.fill?.qty, e.fill?.price, e.timestamp]), [
      ['partial_fill', '250', '101', at('09:30')],
      ['canceled', undefined, undefined, at('09:30')],
      ['fill', '10', '104', at('16:00')],
    ]);
    assert.match(events[1]!.order.reason!, /opg order: the rest was not filled at the opening auction/);
  });

  it('fill opg at a daily bar open and cls at its close', () => {
    const engine = newEngine();
    engine.createAccount(account(), at('03:00'));
    engine.bar(bar('AAPL', at('09:30', '2013-10-04'), [100, 100, 100, 100], 10_000, '1d', at('16:00', '2013-10-04')));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10', time_in_force: 'opg', order_type: 'limit', limit_price: '99' }, at('08:00'));
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10', time_in_force: 'opg' }, at('08:00'));
    submit(engine, { symbol: 'AAPL', side: 'sell', qty: '5', time_in_force: 'cls' }, at('08:00'));
    engine.takeEvents();
    engine.bar(bar('AAPL', at('09:30'), [101, 106, 98, 105], 1_000_000, '1d', at('16:00')));
    const events = engine.takeEvents().filter((e) => e.event !== 'new');
    assert.deepEqual(events.map((e) => [e.event, e.fill?.price, e.timestamp]), [
      ['canceled', undefined, at('09:30')],
      ['fill', '101', at('09:30')],
      ['fill', '105', at('16:00')],
    ]);
  });
});

describe('marks from bars', () => {
  it('value positions at the bar close', () => {
    const engine = started();
    submit(engine, { symbol: 'AAPL', side: 'buy', qty: '10' });
    engine.bar(bar('AAPL', at('09:31'), [100, 110, 99, 110], 10_000));
    const position = engine.positions('acct')![0]!;
    assert.equal(position.current_price, '110');
    assert.equal(engine.account('acct')!.equity, '100099.5');
  });
});
