import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNAL_ORDER_ID_MAX, signalOrderId } from '../../../src/trading/trader/signal-order-id.ts';
import { signal } from './support.ts';

describe('signalOrderId', () => {
  it('is the same for the same signal delivered again, and starts with the strategy id', () => {
    const first = signalOrderId('momentum', signal({ symbol: 'AAPL', side: 'buy', offset: 41 }));
    assert.equal(signalOrderId('momentum', signal({ symbol: 'AAPL', side: 'buy', offset: 41, tsRecv: 1 })), first);
    assert.match(first, /^ma-crossover-[0-9a-f]{16}$/);
  });

  it('differs between signals, strategies, symbols, sides and traders', () => {
    const base = signal({ symbol: 'AAPL', side: 'buy', offset: 41 });
    const ids = new Set([
      signalOrderId('momentum', base),
      signalOrderId('momentum', signal({ symbol: 'AAPL', side: 'buy', offset: 42 })),
      signalOrderId('momentum', { ...base, strategy: 'rsi' }),
      signalOrderId('momentum', { ...base, symbol: 'SPY' }),
      signalOrderId('momentum', { ...base, side: 'sell' }),
      signalOrderId('other', base),
    ]);
    assert.equal(ids.size, 6);
  });

  it(`stays within ${SIGNAL_ORDER_ID_MAX} characters for the longest strategy id`, () => {
    const long = 'x'.repeat(64);
    const id = signalOrderId('t', signal({ symbol: 'AAPL', side: 'buy', strategy: long }));
    assert.equal(id.length, SIGNAL_ORDER_ID_MAX);
    assert.notEqual(signalOrderId('t', signal({ symbol: 'AAPL', side: 'buy', strategy: `${long.slice(0, 63)}y` })), id);
  });
});
