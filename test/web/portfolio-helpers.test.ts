import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// Plain browser modules (web/js/, no types): imported by URL, so they are exactly what the page runs.
const { amount, dayProfitLoss, formatMoney, formatQty, signOf } = await import(new URL('../../web/js/portfolio-format.js', import.meta.url).href);
const { FillBook, fillFromActivity, fillFromUpdate, fillMarkers } = await import(new URL('../../web/js/fill-markers.js', import.meta.url).href);
const { describeOrder, orderRequest } = await import(new URL('../../web/js/order-ticket-request.js', import.meta.url).href);
const { equityPoints } = await import(new URL('../../web/js/equity-points.js', import.meta.url).href);
const { forgetKeys, saveKeys, savedKeys } = await import(new URL('../../web/js/trading-session.js', import.meta.url).href);
const { describeTradingError, TradingApiError } = await import(new URL('../../web/js/trading-api.js', import.meta.url).href);
const { CandleBook } = await import(new URL('../../web/js/candles.js', import.meta.url).href);

const T0 = Date.parse('2026-01-05T15:00:00Z');

describe('portfolio formatting', () => {
  it('writes money with cents, a true minus, and a plus only when asked', () => {
    assert.equal(formatMoney('100000'), '$100,000.00');
    assert.equal(formatMoney('-12.5'), '−$12.50');
    assert.equal(formatMoney(3.2, { signed: true }), '+$3.20');
    assert.equal(formatMoney(0, { signed: true }), '$0.00');
    assert.equal(formatMoney(null), '—');
    assert.equal(formatMoney('abc'), '—');
  });

  it('writes quantities without trailing zeros, and signs amounts', () => {
    assert.equal(formatQty('0.0100'), '0.01');
    assert.equal(formatQty('1500'), '1,500');
    assert.equal(signOf('-0.01'), 'down');
    assert.equal(signOf('2'), 'up');
    assert.equal(signOf('0'), 'flat');
    assert.equal(signOf(null), 'flat');
    assert.equal(amount(''), null);
  });

  it('takes the day P&L as equity − last_equity, and its percentage of last_equity', () => {
    assert.deepEqual(dayProfitLoss({ equity: '101000', last_equity: '100000' }), { value: 1000, pct: 1 });
    const loss = dayProfitLoss({ equity: '99500.251', last_equity: '100000' });
    assert.equal(loss.value, -499.75, 'to the cent');
    assert.equal(loss.pct.toFixed(5), '-0.49975');
    assert.deepEqual(dayProfitLoss({ equity: '100', last_equity: null }), { value: null, pct: null });
  });
});

describe('fill markers', () => {
  const activity = { id: '20260105150001000::exec-1', activity_type: 'FILL', transaction_time: '2026-01-05T15:00:01.500Z', type: 'fill', price: '97000.5', qty: '0.01', side: 'buy', symbol: 'BINANCE:BTCUSDT' };
  const update = {
    event: 'fill', timestamp: '2026-01-05T15:00:03.200Z', execution_id: 'exec-2', price: '97010', qty: '0.01', position_qty: '0',
    order: { symbol: 'BINANCE:BTCUSDT', side: 'sell' },
  };

  it('reads the same execution id from an activity and from a trade update, and ignores events that are not fills', () => {
    assert.deepEqual(fillFromActivity(activity), { id: 'exec-1', symbol: 'BINANCE:BTCUSDT', side: 'buy', price: 97000.5, qty: '0.01', time: Date.parse('2026-01-05T15:00:01.500Z') });
    assert.equal(fillFromUpdate(update).id, 'exec-2');
    assert.equal(fillFromUpdate(update).side, 'sell');
    assert.equal(fillFromUpdate({ ...update, event: 'new' }), null);
  });

  it('keeps each fill once, from REST and the stream alike', () => {
    const book = new FillBook();
    assert.equal(book.add([fillFromActivity(activity)]), true);
    assert.equal(book.add([fillFromActivity(activity), null]), false);
    assert.equal(book.add([fillFromUpdate(update)]), true);
    assert.equal(book.all().length, 2);
  });

  it("marks the symbol's fills on their candles (buys below, sells above), one per candle and side, by time, and only where a candle is", () => {
    const candles = new CandleBook('1s');
    for (const offset of [1_000, 3_000]) candles.applyTrade({ symbol: 'BINANCE:BTCUSDT', price: 97000, size: 1, tsEvent: T0 + offset });
    const fills = [fillFromUpdate(update), fillFromActivity(activity), { ...fillFromActivity(activity), id: 'x', symbol: 'AAPL' }, { ...fillFromActivity(activity), id: 'late', time: T0 + 9_000 }, { ...fillFromActivity(activity), id: 'part', qty: '0.02', time: T0 + 1_900 }];
    const markers = fillMarkers(fills, 'BINANCE:BTCUSDT', candles);
    assert.deepEqual(markers.map((marker: { time: number; position: string; text: string }) => [marker.time, marker.position, marker.text]), [
      [(T0 + 1_000) / 1000, 'belowBar', 'B 0.03'],
      [(T0 + 3_000) / 1000, 'aboveBar', 'S 0.01'],
    ]);
  });
});

describe('the order ticket', () => {
  const fields = { symbol: 'BINANCE:BTCUSDT', side: 'buy', type: 'market', qty: ' 0.01 ', limitPrice: '', assetClass: 'crypto' };

  it('builds a market order, gtc for crypto and day for the rest', () => {
    assert.deepEqual(orderRequest(fields), { body: { symbol: 'BINANCE:BTCUSDT', side: 'buy', type: 'market', qty: '0.01', time_in_force: 'gtc' } });
    assert.equal(orderRequest({ ...fields, symbol: 'AAPL', assetClass: 'us_equity' }).body.time_in_force, 'day');
  });

  it('builds a limit order with its price, and refuses what the API would', () => {
    assert.deepEqual(orderRequest({ ...fields, side: 'sell', type: 'limit', limitPrice: '98000.5' }).body, { symbol: 'BINANCE:BTCUSDT', side: 'sell', type: 'limit', qty: '0.01', time_in_force: 'gtc', limit_price: '98000.5' });
    assert.match(orderRequest({ ...fields, type: 'limit' }).error, /limit price/);
    assert.match(orderRequest({ ...fields, qty: '0' }).error, /qty/);
    assert.match(orderRequest({ ...fields, qty: '-1' }).error, /qty/);
    assert.match(orderRequest({ ...fields, symbol: null }).error, /symbol/);
  });

  it('describes an accepted order', () => {
    assert.equal(describeOrder({ side: 'buy', qty: '0.01', symbol: 'BINANCE:BTCUSDT', type: 'limit', limit_price: '1', status: 'new' }), 'buy 0.01 BINANCE:BTCUSDT limit @ 1: new');
  });
});

describe('the equity curve', () => {
  it('takes the portfolio history as points by time, each time once, without the empty ones', () => {
    const history = { timestamp: [120, 60, 60, 180], equity: [100100, 100000, 100050, null], profit_loss: [], profit_loss_pct: [], base_value: 100000, timeframe: '1Min' };
    assert.deepEqual(equityPoints(history), [{ time: 60, value: 100050 }, { time: 120, value: 100100 }]);
    assert.deepEqual(equityPoints({}), []);
  });
});

describe('the keys of the tab', () => {
  it('keep the key id and secret in the given storage until forgotten, and ignore anything malformed', () => {
    const items = new Map<string, string>();
    const storage = { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => items.set(key, value), removeItem: (key: string) => items.delete(key) };
    assert.equal(savedKeys(storage), null);
    saveKeys({ keyId: 'PK1', secret: 's3cret', extra: 'dropped' }, storage);
    assert.deepEqual(savedKeys(storage), { keyId: 'PK1', secret: 's3cret' });
    forgetKeys(storage);
    assert.equal(savedKeys(storage), null);
    items.set('tickflow.paper-keys', '{not json');
    assert.equal(savedKeys(storage), null);
  });

  it('say what a 401 means here, and otherwise the API’s own message', () => {
    assert.match(describeTradingError(new TradingApiError(401, 'request is not authorized')), /not authorized.*paper account.*401/);
    assert.equal(describeTradingError(new TradingApiError(403, 'insufficient qty available for order')), 'insufficient qty available for order');
  });
});
