import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RejectionCode } from '../../../src/trading/engine/command-result.ts';
import type { TradingEngine } from '../../../src/trading/engine/trading-engine.ts';
import { account, newEngine, nyTime, orderRequest, print } from '../support.ts';

const T = nyTime('10:00');
const BTC = 'BINANCE:BTCUSDT';

/** A margin account (acct) and a cash account (cash), each holding 100 AAPL, with prints of AAPL and BTC. */
function setUp(): TradingEngine {
  const engine = newEngine();
  engine.createAccount(account(), nyTime('03:00'));
  engine.createAccount(account({ id: 'cash', accountType: 'cash', multiplier: 1 }), nyTime('03:00'));
  engine.trade(print('AAPL', 100, 10_000, nyTime('09:45')));
  engine.trade(print(BTC, 40_000, 1, nyTime('09:45')));
  for (const id of ['acct', 'cash']) engine.submit(id, orderRequest({ symbol: 'AAPL', side: 'buy', qty: '100', client_order_id: 'first' }), nyTime('09:50'));
  engine.trade(print('AAPL', 100, 10_000, nyTime('09:51')));
  engine.trade(print('AAPL', 100, 10_000, nyTime('09:52')));
  engine.advance(T);
  engine.takeEvents();
  engine.takeChangedAccounts();
  return engine;
}

/** Everything but the engine's time (a command at a later time lets time pass: that is not the command). */
function state(engine: TradingEngine) {
  return JSON.stringify([engine.snapshotAccount('acct'), engine.snapshotAccount('cash'), engine.snapshotMarket().symbols]);
}

type Outcome = { ok: boolean; code?: RejectionCode; message?: string };
type Case = [name: string, command: (engine: TradingEngine) => Outcome, code: RejectionCode, message: RegExp, prepare?: (engine: TradingEngine) => string];

const REPLACE_QTY = (qty: string) => ({ type: 'order-replace', qty, limit_price: null, stop_price: null, time_in_force: null, trail: null, client_order_id: null }) as const;

function openLimit(engine: TradingEngine, accountId: string, qty: string, limit: string): string {
  const open = engine.submit(accountId, orderRequest({ symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: limit, qty }), T);
  assert.ok(open.ok);
  return open.value.id;
}

describe('a rejected command', () => {
  const cases: Case[] = [
    ['unknown account', (e) => e.submit('nobody', orderRequest({ symbol: 'AAPL', side: 'buy' }), T), 'not_found', /account nobody not found/],
    ['unknown symbol', (e) => e.submit('acct', orderRequest({ symbol: 'ZZZZ', side: 'buy' }), T), 'invalid', /asset ZZZZ not found/],
    ['untradable symbol', (e) => e.submit('acct', orderRequest({ symbol: 'HALT', side: 'buy' }), T), 'invalid', /not tradable/],
    ['qty ≤ 0', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '0' }), T), 'invalid', /qty must be > 0/],
    ['fractional qty of a whole-share asset', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '1.5' }), T), 'invalid', /not fractionable/],
    ['missing limit price', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', order_type: 'limit' }), T), 'invalid', /limit_price is required/],
    ['missing stop price', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', order_type: 'stop' }), T), 'invalid', /stop_price is required/],
    ['insufficient buying power', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', qty: '2000' }), T), 'insufficient_buying_power', /insufficient buying power \(order needs 210000, available 190000\)/],
    ['buying power held by open orders', (e) => e.submit('cash', orderRequest({ symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '100', qty: '150' }), T),
      'insufficient_buying_power', /available 10000\)/, (e) => openLimit(e, 'cash', '800', '100')],
    ['short in a cash account', (e) => e.submit('cash', orderRequest({ symbol: 'BINANCE:BTCUSDT', side: 'sell', qty: '1', time_in_force: 'gtc' }), T), 'forbidden', /short selling is not allowed in a cash account/],
    ['selling more than held in a cash account', (e) => e.submit('cash', orderRequest({ symbol: 'AAPL', side: 'sell', qty: '101' }), T), 'insufficient_qty', /requested 101, available 100/],
    ['short of an unshortable asset', (e) => e.submit('acct', orderRequest({ symbol: 'BINANCE:BTCUSDT', side: 'sell', qty: '1', time_in_force: 'gtc' }), T), 'forbidden', /cannot be sold short/],
    ['duplicate client_order_id', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', client_order_id: 'first' }), T), 'duplicate', /client_order_id must be unique/],
    ['day order where the market never closes', (e) => e.submit('acct', orderRequest({ symbol: BTC, side: 'buy', qty: '0.1' }), T), 'invalid', /never closes/],
    ['opg during the session', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', time_in_force: 'opg' }), T), 'invalid', /only before the open/],
    ['cls after the close', (e) => e.submit('acct', orderRequest({ symbol: 'AAPL', side: 'buy', time_in_force: 'cls' }), nyTime('16:30')), 'invalid', /only until the close/],
    ['market order on a symbol with no print yet', (e) => e.submit('acct', orderRequest({ symbol: 'SPY', side: 'buy' }), T), 'invalid', /no trade of SPY seen yet/],
    ['cancel of an unknown order', (e) => e.cancel('acct', 'nope', T), 'not_found', /order nope not found/],
    ['cancel of a filled order', (e) => e.cancel('acct', e.snapshotAccount('acct')!.closed[0]![0], T), 'not_open', /already filled/],
    ['replace beyond buying power', (e) => e.replace('acct', e.openOrders('acct')![0]!.id, REPLACE_QTY('100000'), T), 'insufficient_buying_power', /insufficient buying power/,
      (e) => openLimit(e, 'acct', '10', '90')],
    ['replace of a notional order', (e) => e.replace('acct', e.openOrders('acct')![0]!.id, REPLACE_QTY('1'), T), 'invalid', /notional orders cannot be replaced/,
      (e) => {
        e.submit('acct', orderRequest({ symbol: BTC, side: 'buy', qty: null, notional: '100', time_in_force: 'gtc' }), T);
        return '';
      }],
    ['closing a position not held', (e) => e.closePosition('acct', 'SPY', T), 'not_found', /position SPY does not exist/],
    ['duplicate account', (e) => e.createAccount(account(), T), 'duplicate', /account acct exists/],
    ['bad account config', (e) => e.createAccount(account({ id: 'x', multiplier: 9 }), T), 'invalid', /multiplier must be an integer from 1 to 4/],
  ];

  for (const [name, command, code, message, prepare] of cases) {
    it(`changes nothing: ${name}`, () => {
      const engine = setUp();
      prepare?.(engine);
      engine.takeEvents();
      engine.takeChangedAccounts();
      const before = state(engine);
      const result = command(engine);
      assert.equal(result.ok, false);
      assert.equal(result.code, code);
      assert.match(result.message!, message);
      assert.deepEqual(engine.takeEvents(), []);
      assert.deepEqual(engine.takeChangedAccounts(), []);
      assert.equal(state(engine), before);
    });
  }

  it('changes nothing, one after the other', () => {
    const engine = setUp();
    const before = state(engine);
    for (const [, command, , , prepare] of cases) if (!prepare) assert.equal(command(engine).ok, false);
    assert.equal(state(engine), before);
    assert.deepEqual(engine.takeEvents(), []);
  });
});
