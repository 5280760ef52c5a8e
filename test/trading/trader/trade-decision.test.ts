import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { divFixed, fixedFromNumber, FIXED_ONE, mulFixed, parseFixed } from '../../../src/model/fixed-point.ts';
import type { SignalSide } from '../../../src/model/signal.ts';
import { SeededRandom } from '../../../src/sources/simulator/random.ts';
import type { PositionRule } from '../../../src/trading/trader/position-rule.ts';
import type { SizingRule } from '../../../src/trading/trader/sizing.ts';
import { decideTrade, type TradeContext, type TradeDecision } from '../../../src/trading/trader/trade-decision.ts';
import { COIN, STOCK } from '../support.ts';
import { signal } from './support.ts';

const LONG_ONLY: PositionRule = { mode: 'long-only', onOpposite: 'flat' };
const REVERSE: PositionRule = { mode: 'long-short', onOpposite: 'reverse' };
const shares = (n: number) => BigInt(n) * FIXED_ONE;

function context(fields: Partial<TradeContext> & { side: SignalSide; symbol?: string; price?: number }): TradeContext {
  const { side, symbol = 'AAPL', price = 100, ...rest } = fields;
  return {
    signal: signal({ symbol, side, price }),
    instrument: STOCK(symbol),
    position: 0n,
    equity: shares(100_000),
    openOrders: 0,
    sizing: { rule: 'fixed-qty', qty: 10 },
    positionRule: LONG_ONLY,
    clientOrderId: 'ma-crossover-0123456789abcdef',
    ...rest,
  };
}

const request = (decision: TradeDecision) => {
  assert.equal(decision.kind, 'order', decision.reason);
  return (decision as Extract<TradeDecision, { kind: 'order' }>).request;
};

describe('decideTrade', () => {
  it('a buy from flat: a market day order of the sized quantity, carrying the client order id', () => {
    const order = request(decideTrade(context({ side: 'buy' })));
    assert.deepEqual(
      { symbol: order.symbol, side: order.side, qty: order.qty, notional: order.notional, type: order.order_type, tif: order.time_in_force, id: order.client_order_id },
      { symbol: 'AAPL', side: 'buy', qty: '10', notional: null, type: 'market', tif: 'day', id: 'ma-crossover-0123456789abcdef' },
    );
  });

  it('crypto: gtc, and a notional buy when the sizing is in dollars', () => {
    const order = request(decideTrade(context({ side: 'buy', symbol: 'BINANCE:BTCUSDT', instrument: COIN('BINANCE:BTCUSDT'), price: 90_000, sizing: { rule: 'percent-of-equity', percent: 2 } })));
    assert.deepEqual([order.time_in_force, order.qty, order.notional], ['gtc', null, '2000']);
  });

  it('a sell on a long closes all of it; the reason says so', () => {
    const decision = decideTrade(context({ side: 'sell', position: shares(13) }));
    assert.deepEqual([request(decision).side, request(decision).qty], ['sell', '13']);
    assert.match(decision.reason, /close 13/);
  });

  it('long-short reverse: one order covering the short and opening the long', () => {
    const order = request(decideTrade(context({ side: 'buy', position: -shares(4), positionRule: REVERSE })));
    assert.deepEqual([order.side, order.qty], ['buy', '14']);
  });

  it('a short entry is whole shares and needs a shortable asset; a reversal on one that is not only closes', () => {
    const fractional = STOCK('AAPL', { fractionable: true });
    assert.equal(request(decideTrade(context({ side: 'sell', positionRule: REVERSE, instrument: fractional, sizing: { rule: 'fixed-notional', notional: 1050 } }))).qty, '10');
    const noShort = STOCK('AAPL', { shortable: false });
    assert.equal(decideTrade(context({ side: 'sell', positionRule: REVERSE, instrument: noShort })).kind, 'none');
    assert.equal(request(decideTrade(context({ side: 'sell', position: shares(3), positionRule: REVERSE, instrument: noShort }))).qty, '3');
  });

  it('nothing, with the reason: unknown asset, an open order, already long, sized to nothing', () => {
    const reasons = [
      decideTrade(context({ side: 'buy', instrument: null })),
      decideTrade(context({ side: 'buy', openOrders: 1 })),
      decideTrade(context({ side: 'buy', position: shares(1) })),
      decideTrade(context({ side: 'buy', sizing: { rule: 'fixed-notional', notional: 50 } })),
      decideTrade(context({ side: 'sell' })),
    ].map((decision) => {
      assert.equal(decision.kind, 'none');
      return decision.reason;
    });
    assert.deepEqual(reasons.map((reason) => /^buy AAPL: |^sell AAPL: /.test(reason)), [true, true, true, true, true]);
    assert.match(reasons[0]!, /not a tradable asset/);
    assert.match(reasons[1]!, /still open/);
    assert.match(reasons[2]!, /one position per symbol/);
    assert.match(reasons[3]!, /sizes it to nothing/);
    assert.match(reasons[4]!, /long-only/);
  });

  it('over random signal streams: long-only never sells more than held nor goes short; entries never exceed the sizing; no 0-quantity order', () => {
    const sizings: SizingRule[] = [
      { rule: 'fixed-qty', qty: 7.5 },
      { rule: 'fixed-notional', notional: 2_500 },
      { rule: 'percent-of-equity', percent: 3 },
      { rule: 'target-percent', percent: 4 },
    ];
    const rules: PositionRule[] = [LONG_ONLY, { mode: 'long-short', onOpposite: 'flat' }, REVERSE];
    for (let seed = 1; seed <= 40; seed++) {
      const random = new SeededRandom(seed);
      const sizing = sizings[seed % sizings.length]!;
      const positionRule = rules[seed % rules.length]!;
      const instrument = STOCK('AAPL', { fractionable: random.next() < 0.5 });
      let position = 0n;
      let equity = shares(100_000);
      for (let step = 0; step < 200; step++) {
        const price = 20 + random.next() * 400;
        const side: SignalSide = random.next() < 0.5 ? 'buy' : 'sell';
        const decision = decideTrade(context({ side, price, instrument, position, equity, sizing, positionRule }));
        if (decision.kind === 'none') continue;
        const order = decision.request;
        const fixedPrice = fixedFromNumber(price);
        const qty = order.qty !== null ? parseFixed(order.qty)! : divFixed(parseFixed(order.notional!)!, fixedPrice, 'floor');
        assert.ok(qty > 0n, `seed ${seed} step ${step}: a 0-quantity order`);
        if (!instrument.fractionable) assert.equal(qty % FIXED_ONE, 0n, `seed ${seed}: fractional shares of a whole-share asset`);
        const signed = side === 'buy' ? qty : -qty;
        const opening = position === 0n || (position > 0n) === (signed > 0n) ? qty : qty - (position < 0n ? -position : position);
        if (positionRule.mode === 'long-only' && side === 'sell') assert.ok(qty <= position, `seed ${seed} step ${step}: sold ${qty} holding ${position}`);
        if (opening > 0n) {
          const equityBefore = equity;
          if (sizing.rule === 'fixed-qty') assert.ok(opening <= fixedFromNumber(sizing.qty), `seed ${seed} step ${step}: opened ${opening} > ${sizing.qty}`);
          else {
            const budget = sizing.rule === 'fixed-notional' ? fixedFromNumber(sizing.notional) : mulFixed(equityBefore, fixedFromNumber(sizing.percent) / 100n);
            const held = position === 0n || (position > 0n) !== (signed > 0n) ? 0n : position < 0n ? -position : position;
            assert.ok(mulFixed(opening + held, fixedPrice) <= budget, `seed ${seed} step ${step}: ${opening} at ${price} exceeds ${budget}`);
          }
        }
        position += signed;
        if (positionRule.mode === 'long-only') assert.ok(position >= 0n, `seed ${seed} step ${step}: short on long-only`);
        equity += shares(Math.round((random.next() - 0.5) * 2_000));
      }
    }
  });
});
