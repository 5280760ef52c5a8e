import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Alpaca, errors, type streaming } from '@alpacahq/alpaca-trade-api';
import type { FastifyInstance } from 'fastify';
import { type EngineGateway, KEY, MONDAY_10AM, print, tradingApp } from './support.ts';

const ALPACA_PAPER = 'https://paper-api.alpaca.markets';

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The official SDK (@alpacahq/alpaca-trade-api 4) against tickflow over real HTTP and a real WebSocket. */
describe('Alpaca SDK against tickflow', () => {
  let app: FastifyInstance;
  let gateway: EngineGateway;
  let base: string;
  let requested: string[];

  const client = (secret: string = KEY.secret) =>
    new Alpaca({
      keyId: KEY.keyId,
      secret,
      retry: false,
      rateLimit: false,
      // The SDK's per-request abort timer would otherwise keep the test process alive for its 30 s default.
      timeoutMs: 0,
      fetchApi: (input, init) => {
        const url = String(input).replace(ALPACA_PAPER, base);
        requested.push(`${init?.method ?? 'GET'} ${url.slice(base.length)}`);
        return fetch(url, init);
      },
    });

  before(async () => {
    ({ app, gateway } = await tradingApp());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    requested = [];
  });

  after(async () => {
    await app.close();
  });

  it('places, lists, replaces and cancels orders, reads account, positions, clock, calendar and assets, and streams trade updates', async () => {
    const alpaca = client();
    const stream = alpaca.trading.stream({ url: `${base.replace('http', 'ws')}/stream`, reconnect: false });
    const updates: streaming.TradeUpdate[] = [];
    const listening: unknown[] = [];
    stream.onTradeUpdate((update) => updates.push(update));
    stream.on('subscription', (streams) => listening.push(streams));
    stream.connect();
    try {
      assert.equal(await stream.waitForAuthentication(5_000), true);
      stream.subscribeTradeUpdates();
      await until(() => listening.length > 0, 'the listening answer');
      assert.deepEqual(listening[0], ['trade_updates']);

      gateway.feed(print('AAPL', 100, 1_000, MONDAY_10AM));
      gateway.setTime(MONDAY_10AM + 1_000);

      const limit = await alpaca.trading.orders.limit({ symbol: 'AAPL', qty: 10, side: 'buy', limitPrice: 99, clientOrderId: 'lim-1' });
      assert.equal(limit.status, 'pending_new');
      assert.equal(limit.type, 'limit');
      assert.equal(limit.limitPrice, '99');
      assert.equal(limit.qty, '10');
      assert.equal(limit.clientOrderId, 'lim-1');
      assert.ok(limit.createdAt instanceof Date && limit.createdAt.getTime() === MONDAY_10AM + 1_000);

      const market = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: '5', side: 'buy', clientOrderId: 'mkt-1' });
      assert.equal(market.type, 'market');

      // A print 1 s later: past the 50 ms latency, the market order fills; the limit at 99 rests.
      gateway.feed(print('AAPL', 100.5, 1_000, MONDAY_10AM + 2_000));
      await until(() => updates.some((update) => update.event === 'fill'), 'the fill on the stream');
      const fill = updates.find((update) => update.event === 'fill')!;
      assert.equal(fill.order.id, market.id);
      assert.equal(fill.qty, '5');
      assert.equal(fill.positionQty, '5');
      assert.ok(fill.executionId);
      assert.ok(Number(fill.price) >= 100.5);
      assert.ok(fill.timestamp instanceof Date);

      const open = await alpaca.trading.orders.getAllOrders({ status: 'open' });
      assert.deepEqual(open.map((order) => order.id), [limit.id]);
      const all = await alpaca.trading.orders.getAllOrders({ status: 'all', direction: 'asc' });
      assert.deepEqual(all.map((order) => order.clientOrderId), ['lim-1', 'mkt-1']);
      assert.equal(all[1]!.status, 'filled');
      assert.equal(all[1]!.filledQty, '5');

      const byClientId = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'lim-1' });
      assert.equal(byClientId.id, limit.id);
      const byId = await alpaca.trading.orders.getOrderByOrderID({ orderId: market.id! });
      assert.equal(byId.status, 'filled');

      const replacement = await alpaca.trading.orders.patchOrderByOrderId({ orderId: limit.id!, patchOrderRequest: { qty: '8', limitPrice: '98.5' } });
      assert.equal(replacement.replaces, limit.id);
      assert.equal(replacement.qty, '8');
      assert.equal(replacement.limitPrice, '98.5');
      await alpaca.trading.orders.deleteOrderByOrderID({ orderId: replacement.id! });
      await until(() => updates.some((update) => update.event === 'canceled'), 'the cancel on the stream');
      const events = updates.map((update) => `${update.event} ${update.order.clientOrderId === 'mkt-1' ? 'mkt' : update.order.id === replacement.id ? 'replacement' : 'lim'}`);
      for (const expected of ['new lim', 'new mkt', 'fill mkt', 'replaced lim', 'canceled replacement']) assert.ok(events.includes(expected), `${expected} in ${events.join(', ')}`);

      const account = await alpaca.trading.account.getAccount();
      assert.equal(account.id, 'acct-1');
      assert.equal(account.currency, 'USD');
      assert.equal(Number(account.cash), 100_000 - 5 * Number(fill.price));
      assert.equal(account.status, 'ACTIVE');

      const positions = await alpaca.trading.positions.getAllOpenPositions();
      assert.deepEqual(positions.map((position) => [position.symbol, position.qty, position.side]), [['AAPL', '5', 'long']]);
      const position = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' });
      assert.equal(position.avgEntryPrice, fill.price);

      const clock = await alpaca.trading.clock.legacyClock();
      assert.equal(clock.isOpen, true);
      assert.equal(clock.timestamp.getTime(), gateway.at);
      assert.equal(clock.nextClose.toISOString(), '2013-10-07T20:00:00.000Z');
      assert.equal(clock.nextOpen.toISOString(), '2013-10-08T13:30:00.000Z');

      const [nyse] = (await alpaca.trading.clock.clock({ markets: 'NYSE' })).clocks;
      assert.equal(nyse!.phase, 'core');
      assert.equal(nyse!.isMarketDay, true);
      assert.equal(nyse!.phaseUntil.toISOString(), '2013-10-07T20:00:00.000Z');
      assert.equal(nyse!.market.timezone, 'America/New_York');

      const calendar = await alpaca.trading.calendar.legacyCalendar({ start: new Date('2013-11-27'), end: new Date('2013-12-02') });
      // Thanksgiving is closed, the day after closes at 13:00, then a weekend.
      assert.deepEqual(
        calendar.map((day) => [day.date.toISOString().slice(0, 10), day.open, day.close, day.sessionOpen, day.sessionClose]),
        [
          ['2013-11-27', '09:30', '16:00', '0400', '2000'],
          ['2013-11-29', '09:30', '13:00', '0400', '1700'],
          ['2013-12-02', '09:30', '16:00', '0400', '2000'],
        ],
      );

      const assets = await alpaca.trading.assets.getV2Assets();
      assert.ok(assets.some((asset) => asset.symbol === 'BINANCE:BTCUSDT' && asset._class === 'crypto' && asset.fractionable));
      const apple = await alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'AAPL' });
      assert.equal(apple.tradable, true);

      const activities = await alpaca.trading.accountActivities.getAccountActivitiesByActivityType({ activityType: 'FILL' });
      assert.equal(activities.length, 1);
    } finally {
      stream.disconnect();
    }
  });

  it('raises the SDK 401 error type for a wrong secret, on REST and on the stream', async () => {
    const alpaca = client('wrong-secret');
    await assert.rejects(alpaca.trading.account.getAccount(), (error: unknown) => {
      assert.ok(error instanceof errors.AuthError, String(error));
      assert.equal(error.status, 401);
      assert.equal(error.code, 40110000);
      return true;
    });
    const stream = alpaca.trading.stream({ url: `${base.replace('http', 'ws')}/stream`, reconnect: false });
    stream.on('error', () => {});
    stream.connect();
    try {
      assert.equal(await stream.waitForAuthentication(5_000), false);
    } finally {
      stream.disconnect();
    }
  });
});
