import { describe, it } from 'node:test';
import { validatePriceEvent, type PriceEvent } from '../../src/model/price-event.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const event: PriceEvent = { type: 'price-event', symbol: 'AAPL', price: 190.25, timestamp: 1_000, source: 'finnhub', rawResponseId: 1, tsEvent: 1_000, tsRecv: 1_030 };

describe('validatePriceEvent', () => {
  it('accepts price events of every provider', () => {
    assertAccepts(validatePriceEvent, [event, { ...event, source: 'alphavantage', rawResponseId: 2 ** 40 }]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validatePriceEvent, [
      ['AAPL', 'not an object'],
      [{ ...event, type: 'trade' }, 'type must be "price-event" (got "trade")'],
      [{ ...event, symbol: '' }, 'symbol missing'],
      [without(event, 'tsRecv'), 'tsEvent/tsRecv must be numbers'],
      [{ ...event, source: null }, 'source missing'],
      [{ ...event, price: 0 }, 'price must be a positive number'],
      [{ ...event, timestamp: 999 }, 'timestamp must equal tsEvent'],
      [{ ...event, rawResponseId: 0 }, 'rawResponseId must be an integer ≥ 1'],
      [{ ...event, rawResponseId: '1' }, 'rawResponseId must be an integer ≥ 1'],
    ]);
  });
});
