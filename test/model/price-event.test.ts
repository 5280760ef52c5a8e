import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoUtc, validatePriceEvent, type PriceEvent } from '../../src/model/price-event.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const ID = '3f2b8c4e-9a1d-4e6f-b7c2-5d8e9f0a1b2c';
const event: PriceEvent = { type: 'price-event', symbol: 'AAPL', price: 190.25, timestamp: '2024-03-20T10:30:00Z', source: 'finnhub', raw_response_id: ID, tsEvent: Date.UTC(2024, 2, 20, 10, 30), tsRecv: Date.UTC(2024, 2, 20, 10, 30, 1) };

describe('validatePriceEvent', () => {
  it('accepts price events of every provider, with extra fields', () => {
    assertAccepts(validatePriceEvent, [event, { ...event, source: 'alpha_vantage' }, { ...event, timestamp: '2024-03-20T10:30:00.250Z', tsEvent: event.tsEvent + 250 }, { ...event, note: 'extra' }]);
  });

  it('writes times as ISO 8601 UTC, milliseconds only when there are some', () => {
    assert.equal(isoUtc(Date.UTC(2024, 2, 20, 10, 30)), '2024-03-20T10:30:00Z');
    assert.equal(isoUtc(Date.UTC(2024, 2, 20, 10, 30, 0, 7)), '2024-03-20T10:30:00.007Z');
  });

  it('takes a record of only the five contract fields, as another producer of the seed contract writes it', () => {
    const seed = { symbol: 'AAPL', price: 150.25, timestamp: '2024-03-20T10:30:00Z', source: 'alpha_vantage', raw_response_id: ID };
    assert.deepEqual(validatePriceEvent(seed), { ...seed, type: 'price-event', tsEvent: Date.UTC(2024, 2, 20, 10, 30), tsRecv: Date.UTC(2024, 2, 20, 10, 30) });
  });

  it('takes what tickflow wrote before the contract, normalized', () => {
    const old = { type: 'price-event', symbol: 'IBM', price: 250.5, timestamp: 1_710_930_600_000, source: 'alphavantage', rawResponseId: 42, tsEvent: 1_710_930_600_000, tsRecv: 1_710_930_600_900 };
    assert.deepEqual(validatePriceEvent(old), { type: 'price-event', symbol: 'IBM', price: 250.5, timestamp: '2024-03-20T10:30:00Z', source: 'alpha_vantage', raw_response_id: '42', tsEvent: 1_710_930_600_000, tsRecv: 1_710_930_600_900 });
    assert.equal((validatePriceEvent({ ...old, source: 'finnhub' }) as PriceEvent).source, 'finnhub');
    assertReasons(validatePriceEvent, [
      [{ ...old, rawResponseId: 0 }, 'rawResponseId must be an integer ≥ 1'],
      [{ ...old, timestamp: 999 }, 'timestamp must equal tsEvent'],
      [{ ...old, source: 'bloomberg' }, 'source must be one of finnhub, alphavantage, alpha_vantage (got "bloomberg")'],
    ]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validatePriceEvent, [
      ['AAPL', 'not an object'],
      [{ ...event, type: 'trade' }, 'type must be "price-event" (got "trade")'],
      [{ ...event, symbol: '' }, 'symbol missing'],
      [{ ...event, price: 0 }, 'price must be a positive number'],
      [{ ...event, timestamp: '2024-03-20 10:30:00' }, 'timestamp must be an ISO 8601 UTC time such as 2024-03-20T10:30:00Z'],
      [{ ...event, timestamp: '2024-03-20T12:30:00+02:00' }, 'timestamp must be an ISO 8601 UTC time such as 2024-03-20T10:30:00Z'],
      [{ ...event, source: 'alphavantage' }, 'source must be one of finnhub, alpha_vantage (got "alphavantage")'],
      [{ ...event, raw_response_id: 'abc' }, 'raw_response_id must be a UUID string'],
      [without(event, 'raw_response_id'), 'raw_response_id must be a UUID string'],
      [without(event, 'tsRecv'), 'tsRecv must be a number'],
      [{ ...event, tsEvent: event.tsEvent + 1 }, 'timestamp must be the time of tsEvent'],
    ]);
  });
});
