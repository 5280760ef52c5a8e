import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { AUTH_HEADERS, type EngineGateway, MONDAY_10AM, print, tradingApp } from './support.ts';

type Method = NonNullable<InjectOptions['method']>;

/** What the account looks like to the engine and its listeners: a rejected request must leave it as it was. */
const stateOf = (gateway: EngineGateway) => JSON.stringify([gateway.engine.snapshotAccount('acct-1'), gateway.updates('acct-1').length]);

async function call(app: FastifyInstance, method: Method, url: string, body?: unknown, headers: Readonly<Record<string, string>> = AUTH_HEADERS) {
  // A string body is sent as it is, as JSON: malformed bodies.
  const payload = body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { ...headers, 'content-type': 'application/json' } } : { payload: body as object, headers };
  const response = await app.inject({ method, url, headers, ...payload });
  return { status: response.statusCode, body: response.body === '' ? null : response.json(), contentType: response.headers['content-type'] };
}

/** An app with one filled market order (AAPL 5 @ ~100), one open limit order, and the tape at 100. */
async function tradedApp() {
  const { app, gateway } = await tradingApp();
  gateway.feed(print('AAPL', 100, 1_000, MONDAY_10AM));
  gateway.feed(print('BINANCE:BTCUSDT', 20_000, 10, MONDAY_10AM));
  gateway.setTime(MONDAY_10AM + 1_000);
  const filled = await call(app, 'POST', '/v2/orders', { symbol: 'AAPL', qty: 5, side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'mkt-1' });
  assert.equal(filled.status, 200, JSON.stringify(filled.body));
  const open = await call(app, 'POST', '/v2/orders', { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limit_price: '90', time_in_force: 'gtc', client_order_id: 'lim-1' });
  assert.equal(open.status, 200, JSON.stringify(open.body));
  gateway.feed(print('AAPL', 100, 1_000, MONDAY_10AM + 2_000));
  assert.equal((await call(app, 'GET', `/v2/orders/${filled.body.id}`)).body.status, 'filled');
  return { app, gateway, filledId: filled.body.id as string, openId: open.body.id as string };
}

describe('Alpaca /v2 routes: bad input', () => {
  it('answers every bad request with 4xx and Alpaca\'s {code, message} naming the problem, never 5xx, and changes nothing', async () => {
    const { app, gateway, filledId, openId } = await tradedApp();
    const order = { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '95', time_in_force: 'day' };
    const cases: [Method, string, unknown, number, RegExp][] = [
      ['POST', '/v2/orders', '{"symbol": "AAPL",', 400, /JSON/i],
      ['POST', '/v2/orders', [order], 422, /JSON object/],
      ['POST', '/v2/orders', { ...order, symbol: undefined }, 422, /^symbol is required/],
      ['POST', '/v2/orders', { ...order, qty: 'abc' }, 422, /^qty must be a positive decimal/],
      ['POST', '/v2/orders', { ...order, qty: -1 }, 422, /^qty must be a positive decimal/],
      ['POST', '/v2/orders', { ...order, qty: 1e21 }, 422, /^qty must be a positive decimal/],
      ['POST', '/v2/orders', { ...order, qty: '0' }, 422, /qty/],
      ['POST', '/v2/orders', { ...order, side: 'hold' }, 422, /^side must be one of buy, sell/],
      ['POST', '/v2/orders', { ...order, type: 'iceberg' }, 422, /^type must be one of market, limit/],
      ['POST', '/v2/orders', { ...order, type: undefined }, 422, /^type is required/],
      ['POST', '/v2/orders', { ...order, time_in_force: undefined }, 422, /^time_in_force is required/],
      ['POST', '/v2/orders', { ...order, limit_price: undefined }, 422, /limit_price is required for limit orders/],
      ['POST', '/v2/orders', { ...order, notional: '100' }, 422, /exactly one of qty and notional/],
      ['POST', '/v2/orders', { ...order, extended_hours: 'yes' }, 422, /^extended_hours must be true or false/],
      ['POST', '/v2/orders', { ...order, symbol: null }, 422, /^symbol must be a string/],
      ['POST', '/v2/orders', { ...order, symbol: 7 }, 422, /^symbol must be a string/],
      ['POST', '/v2/orders', '{"symbol":"AAPL","qty":1e400,"side":"buy","type":"market","time_in_force":"day"}', 422, /^qty must be a positive decimal number/],
      ['POST', '/v2/orders', { ...order, limit_price: { value: 1 } }, 422, /^limit_price must be a positive decimal number/],
      ['POST', '/v2/orders', { ...order, client_order_id: 'x'.repeat(129) }, 422, /client_order_id/],
      ['POST', '/v2/orders', { ...order, order_class: 'bracket' }, 422, /^order_class must be simple/],
      ['POST', '/v2/orders', { ...order, take_profit: { limit_price: '120' } }, 422, /^take_profit is not supported/],
      ['POST', '/v2/orders', { ...order, symbol: 'ZZZZ' }, 422, /ZZZZ/],
      ['POST', '/v2/orders', { ...order, symbol: 'HALT' }, 422, /HALT/],
      ['POST', '/v2/orders', { ...order, client_order_id: 'mkt-1' }, 422, /client_order_id/],
      ['POST', '/v2/orders', { ...order, qty: '100000' }, 403, /buying power/],
      ['POST', '/v2/orders', { ...order, side: 'sell', qty: '100000', type: 'market', limit_price: undefined }, 403, /./],
      ['GET', '/v2/orders?status=bogus', undefined, 422, /^status must be one of open, closed, all/],
      ['GET', '/v2/orders?limit=0', undefined, 422, /^limit must be an integer from 1 to 500/],
      ['GET', '/v2/orders?limit=501', undefined, 422, /^limit must be/],
      ['GET', '/v2/orders?after=yesterday', undefined, 422, /^after must be an RFC 3339 time/],
      ['GET', '/v2/orders?until=2024-01-02T09:30:00', undefined, 422, /^until must be an RFC 3339 time/],
      ['GET', '/v2/orders?direction=up', undefined, 422, /^direction must be one of asc, desc/],
      ['GET', '/v2/orders?side=hold', undefined, 422, /^side must be one of buy, sell/],
      ['GET', '/v2/orders/00000000-0000-8000-8000-000000000000', undefined, 404, /order not found/],
      ['GET', '/v2/orders/not%20an%20id', undefined, 404, /not an order id/],
      ['GET', '/v2/orders:by_client_order_id', undefined, 422, /^client_order_id is required/],
      ['GET', '/v2/orders:by_client_order_id?client_order_id=nope', undefined, 404, /nope/],
      ['PATCH', `/v2/orders/${openId}`, { qty: 'x' }, 422, /^qty must be a positive decimal/],
      ['PATCH', `/v2/orders/${openId}`, {}, 422, /^nothing to replace/],
      ['PATCH', `/v2/orders/${openId}`, { time_in_force: 'forever' }, 422, /^time_in_force must be one of/],
      ['PATCH', `/v2/orders/${openId}`, 'not json', 400, /JSON/i],
      ['PATCH', `/v2/orders/${filledId}`, { qty: '3' }, 422, /./],
      ['PATCH', '/v2/orders/00000000-0000-8000-8000-000000000000', { qty: '3' }, 404, /./],
      ['DELETE', `/v2/orders/${filledId}`, undefined, 422, /./],
      ['DELETE', '/v2/orders/00000000-0000-8000-8000-000000000000', undefined, 404, /./],
      ['GET', '/v2/positions/ZZZZ', undefined, 404, /position does not exist: ZZZZ/],
      ['GET', '/v2/positions/%20', undefined, 404, /not a symbol/],
      ['GET', '/v2/positions/SPY', undefined, 404, /SPY/],
      ['DELETE', '/v2/positions/AAPL?qty=abc', undefined, 422, /^qty must be a positive decimal/],
      ['DELETE', '/v2/positions/AAPL?percentage=150', undefined, 422, /^percentage must be a number in \(0, 100\]/],
      ['DELETE', '/v2/positions/AAPL?qty=1&percentage=50', undefined, 422, /only one of qty and percentage/],
      ['DELETE', '/v2/positions/AAPL?qty=50', undefined, 422, /position \(5\)/],
      ['DELETE', '/v2/positions/SPY', undefined, 404, /./],
      ['DELETE', '/v2/positions?cancel_orders=maybe', undefined, 422, /^cancel_orders must be true or false/],
      ['GET', '/v2/calendar?start=2024-13-01', undefined, 422, /^start must be a date YYYY-MM-DD/],
      ['GET', '/v2/calendar?start=2024-01-10&end=2024-01-02', undefined, 422, /is before start/],
      ['GET', '/v2/calendar?start=1990-01-01&end=2024-01-02', undefined, 422, /at most/],
      ['GET', '/v2/calendar?start=9999-12-01&end=9999-12-31', undefined, 422, /^start must be from 1970 to 2100/],
      ['GET', '/v3/clock?time=9999-12-31T00:00:00Z', undefined, 422, /^time must be from 1970 to 2100/],
      ['GET', '/v3/clock?markets=LSE', undefined, 422, /^markets must be a list of NYSE/],
      ['GET', '/v3/clock?time=noon', undefined, 422, /^time must be an RFC 3339 time/],
      ['GET', '/v2/assets/NOPE', undefined, 404, /asset not found: NOPE/],
      ['GET', '/v2/assets?status=bogus', undefined, 422, /^status must be active or inactive/],
      ['GET', '/v2/account/activities?activity_types=DIV', undefined, 422, /^activity_types: tickflow records FILL and FEE/],
      ['GET', '/v2/account/activities/DIV', undefined, 422, /DIV/],
      ['GET', '/v2/account/activities?page_size=0', undefined, 422, /^page_size must be an integer from 1 to 100/],
      ['GET', '/v2/account/activities?date=monday', undefined, 422, /^date must be/],
      ['GET', '/v2/account/portfolio/history?period=3X', undefined, 422, /^period must be/],
      ['GET', '/v2/account/portfolio/history?timeframe=2Min', undefined, 422, /^timeframe must be one of 1Min/],
      ['GET', '/v2/account/portfolio/history?start=2013-10-08&end=2013-10-07', undefined, 422, /end is before start/],
    ];
    const before = stateOf(gateway);
    for (const [method, url, body, status, message] of cases) {
      const response = await call(app, method, url, body);
      const what = `${method} ${url} ${JSON.stringify(body)} → ${response.status} ${JSON.stringify(response.body)}`;
      assert.equal(response.status, status, what);
      assert.equal(typeof response.body.code, 'number', what);
      assert.equal(Math.floor(response.body.code / 100_000), status, `the code starts with the status: ${what}`);
      assert.match(response.body.message, message, what);
      assert.equal(stateOf(gateway), before, `nothing changed: ${what}`);
    }
  });

  it('answers 401 with Alpaca\'s body on every route without the right key, and changes nothing', async () => {
    const { app, gateway } = await tradedApp();
    const before = stateOf(gateway);
    const routes: [Method, string][] = [
      ['GET', '/v2/account'], ['POST', '/v2/orders'], ['GET', '/v2/orders'], ['DELETE', '/v2/orders'], ['GET', '/v2/orders/x'], ['PATCH', '/v2/orders/x'],
      ['DELETE', '/v2/orders/x'], ['GET', '/v2/orders:by_client_order_id?client_order_id=mkt-1'], ['GET', '/v2/positions'], ['DELETE', '/v2/positions'],
      ['GET', '/v2/positions/AAPL'], ['DELETE', '/v2/positions/AAPL'], ['GET', '/v2/clock'], ['GET', '/v2/calendar'], ['GET', '/v2/assets'], ['GET', '/v2/assets/AAPL'],
      ['GET', '/v2/account/activities'], ['GET', '/v2/account/activities/FILL'], ['GET', '/v2/account/portfolio/history'], ['GET', '/v3/clock'],
    ];
    const wrong: Record<string, string>[] = [{}, { 'apca-api-key-id': 'PKTEST1' }, { 'apca-api-key-id': 'PKTEST1', 'apca-api-secret-key': 'wrong' }, { 'apca-api-key-id': 'nobody', 'apca-api-secret-key': 'right-secret' }];
    for (const [method, url] of routes) {
      for (const headers of wrong) {
        const response = await call(app, method, url, method === 'POST' || method === 'PATCH' ? { qty: '1' } : undefined, headers);
        assert.equal(response.status, 401, `${method} ${url} ${JSON.stringify(headers)}`);
        assert.deepEqual(response.body, { code: 40110000, message: 'request is not authorized' });
      }
    }
    assert.equal(stateOf(gateway), before);
  });

  it('refuses a second order with the same client_order_id with 422, and creates nothing', async () => {
    const { app, gateway } = await tradingApp();
    const order = { symbol: 'BINANCE:BTCUSDT', qty: '0.5', side: 'buy', type: 'limit', limit_price: '100', time_in_force: 'gtc', client_order_id: 'once' };
    assert.equal((await call(app, 'POST', '/v2/orders', order)).status, 200);
    const before = stateOf(gateway);
    const again = await call(app, 'POST', '/v2/orders', { ...order, limit_price: '99' });
    assert.equal(again.status, 422);
    assert.equal(again.body.code, 42210000);
    assert.match(again.body.message, /once/);
    assert.equal(stateOf(gateway), before);
    assert.equal((await call(app, 'GET', '/v2/orders?status=all')).body.length, 1);
  });
});

describe('Alpaca /v2 routes', () => {
  it('serializes orders as Alpaca does: amounts as strings, RFC 3339 UTC times, type and order_type', async () => {
    const { app, openId } = await tradedApp();
    const { body } = await call(app, 'GET', `/v2/orders/${openId}`);
    assert.equal(body.type, 'limit');
    assert.equal(body.order_type, 'limit');
    assert.equal(body.qty, '2');
    assert.equal(body.limit_price, '90');
    assert.equal(body.filled_qty, '0');
    assert.equal(body.asset_class, 'us_equity');
    assert.equal(body.order_class, 'simple');
    assert.equal(body.created_at, '2013-10-07T14:00:01.000Z');
    assert.equal(body.filled_at, null);
    assert.match(body.asset_id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('filters orders by side, status and symbols', async () => {
    const { app, gateway } = await tradedApp();
    await call(app, 'POST', '/v2/orders', { symbol: 'AAPL', qty: '1', side: 'sell', type: 'limit', limit_price: '120', time_in_force: 'gtc', client_order_id: 'sell-1' });
    assert.ok(gateway.updates('acct-1').length > 0);
    const ids = async (query: string) => (await call(app, 'GET', `/v2/orders?${query}`)).body.map((order: { client_order_id: string }) => order.client_order_id);
    assert.deepEqual(await ids('status=all&direction=asc'), ['mkt-1', 'lim-1', 'sell-1']);
    assert.deepEqual(await ids('status=all&side=buy&direction=asc'), ['mkt-1', 'lim-1']);
    assert.deepEqual(await ids('status=all&side=buy&limit=1'), ['lim-1']);
    assert.deepEqual(await ids('status=closed'), ['mkt-1']);
    assert.deepEqual(await ids('status=open&side=sell'), ['sell-1']);
    assert.deepEqual(await ids('status=all&symbols=SPY,BINANCE:BTCUSDT'), []);
  });

  it('takes crypto symbols in paths, URL-encoded or not', async () => {
    const { app, gateway } = await tradedApp();
    const bought = await call(app, 'POST', '/v2/orders', { symbol: 'BINANCE:BTCUSDT', notional: 1000, side: 'buy', type: 'market', time_in_force: 'gtc' });
    assert.equal(bought.status, 200, JSON.stringify(bought.body));
    gateway.feed(print('BINANCE:BTCUSDT', 20_000, 10, MONDAY_10AM + 3_000));
    for (const path of ['BINANCE%3ABTCUSDT', 'BINANCE:BTCUSDT']) {
      const position = await call(app, 'GET', `/v2/positions/${path}`);
      assert.equal(position.status, 200, JSON.stringify(position.body));
      assert.equal(position.body.symbol, 'BINANCE:BTCUSDT');
      assert.equal(position.body.asset_class, 'crypto');
      assert.equal(position.body.exchange, 'BINANCE');
    }
    assert.equal((await call(app, 'GET', '/v2/assets/BINANCE%3ABTCUSDT')).body.class, 'crypto');
    const closed = await call(app, 'DELETE', '/v2/positions/BINANCE%3ABTCUSDT?percentage=50');
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.side, 'sell');
  });

  it('lists fills as FILL activities and equity as portfolio history', async () => {
    const { app } = await tradedApp();
    const activities = await call(app, 'GET', '/v2/account/activities');
    assert.equal(activities.status, 200);
    assert.equal(activities.body.length, 1);
    const [fill] = activities.body;
    assert.equal(fill.activity_type, 'FILL');
    assert.equal(fill.type, 'fill');
    assert.equal(fill.qty, '5');
    assert.equal(fill.symbol, 'AAPL');
    assert.match(fill.id, /^\d{17}::/);
    const history = await call(app, 'GET', '/v2/account/portfolio/history?start=2013-10-07T13:00:00Z&end=2013-10-07T15:00:00Z&timeframe=1Min');
    assert.equal(history.status, 200);
    assert.deepEqual(history.body.timestamp, [MONDAY_10AM / 1000]);
    assert.equal(history.body.timeframe, '1Min');
    assert.equal(typeof history.body.equity[0], 'number');
  });

  it("gives the account's last_equity as its equity at the previous US close, so equity − last_equity is the day's P&L", async () => {
    const { app, gateway } = await tradedApp();
    // Made this morning: nothing sampled before Friday's close, so the starting cash.
    assert.equal((await call(app, 'GET', '/v2/account')).body.last_equity, '100000');
    gateway.feed(print('AAPL', 110, 1_000, Date.parse('2013-10-07T16:00:00-04:00')));
    const atClose = (await call(app, 'GET', '/v2/account')).body;
    assert.equal(atClose.last_equity, atClose.equity, 'at the close itself, that close is the previous one');
    gateway.feed(print('AAPL', 120, 1_000, Date.parse('2013-10-08T10:00:00-04:00')));
    const tuesday = (await call(app, 'GET', '/v2/account')).body;
    assert.equal(tuesday.last_equity, atClose.equity);
    assert.equal(Number(tuesday.equity) - Number(tuesday.last_equity), 50, '5 AAPL up 10 since the close');
  });

  it('cancels all open orders with 207 and closes all positions', async () => {
    const { app } = await tradedApp();
    const canceled = await call(app, 'DELETE', '/v2/orders');
    assert.equal(canceled.status, 207);
    assert.equal(canceled.body.length, 1);
    assert.equal(canceled.body[0].status, 200);
    const closed = await call(app, 'DELETE', '/v2/positions');
    assert.equal(closed.status, 207);
    assert.deepEqual(closed.body.map((entry: { symbol: string }) => entry.symbol), ['AAPL']);
  });

  it('writes the clock in New York time with its offset', async () => {
    const { app } = await tradingApp();
    const { body } = await call(app, 'GET', '/v2/clock');
    assert.deepEqual(body, { timestamp: '2013-10-07T10:00:00.000-04:00', is_open: true, next_open: '2013-10-08T09:30:00.000-04:00', next_close: '2013-10-07T16:00:00.000-04:00' });
  });

  it('answers /v3/clock for US equities, crypto and forex at a given time', async () => {
    const { app } = await tradingApp();
    const { body } = await call(app, 'GET', '/v3/clock?markets=NYSE,CRYPTO,FOREX&time=2013-10-05T12:00:00Z');
    assert.deepEqual(
      body.clocks.map((clock: Record<string, unknown>) => [clock.phase, clock.is_market_day, clock.phase_until]),
      [
        ['closed', false, '2013-10-07T04:00:00.000-04:00'],
        ['core', true, '2013-10-06T00:00:00.000Z'],
        ['closed', false, '2013-10-06T17:00:00.000-04:00'],
      ],
    );
  });

  it('documents the /v2 routes in the OpenAPI document under the trading tag, and keeps problem+json outside /v2', async () => {
    const { app } = await tradingApp();
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const [path, method] of [['/v2/account', 'get'], ['/v2/orders', 'post'], ['/v2/orders/{id}', 'patch'], ['/v2/positions/{symbol}', 'delete'], ['/v2/clock', 'get'], ['/v2/account/portfolio/history', 'get']] as const) {
      assert.deepEqual(document.paths[path]?.[method]?.tags, ['trading'], `${method} ${path}`);
    }
    assert.ok(document.components.securitySchemes.alpacaSecretKey);
    const outside = await app.inject({ method: 'GET', url: '/v1/nothing' });
    assert.equal(outside.headers['content-type'], 'application/problem+json; charset=utf-8');
  });
});
