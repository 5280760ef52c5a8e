import { describe, it } from 'node:test';
import { validateAlertFiring, type AlertFiring } from '../../src/model/alert.ts';
import { assertAccepts, assertReasons, without } from './cases.ts';

const firing: AlertFiring = {
  type: 'alert',
  id: 'rule-1:2',
  ruleId: 'rule-1',
  symbol: 'OANDA:EUR_USD',
  condition: { kind: 'price-above', threshold: 1.1 },
  price: 1.1002,
  message: 'OANDA:EUR_USD above 1.1 at 1.1002',
  note: null,
  tsEvent: 1_000,
  tsRecv: 1_002,
};
const stale: AlertFiring = { ...firing, condition: { kind: 'stale', afterMs: 60_000 }, price: null, message: 'stale', note: 'check the feed' };

describe('validateAlertFiring', () => {
  it('accepts firings of price conditions and of silence (no price)', () => {
    assertAccepts(validateAlertFiring, [firing, stale, { ...firing, condition: { kind: 'move-pct', percent: 2, windowMs: 60_000 }, message: '' }]);
  });

  it('names the first rule a value breaks', () => {
    assertReasons(validateAlertFiring, [
      [null, 'not an object'],
      [{ ...firing, type: 'signal' }, 'type must be "alert" (got "signal")'],
      [{ ...firing, symbol: 'EUR USD' }, 'symbol must be 1 to 40 letters, digits or . : _ - / ^ = (got "EUR USD")'],
      [{ ...firing, tsEvent: null }, 'tsEvent/tsRecv must be numbers'],
      [{ ...firing, ruleId: '' }, 'ruleId missing'],
      [{ ...firing, id: 'rule-2:2' }, 'id must be "<ruleId>:<crossing>"'],
      [without(firing, 'id'), 'id must be "<ruleId>:<crossing>"'],
      [{ ...firing, condition: { kind: 'price-above', threshold: -1 } }, 'condition.threshold must be a positive finite number'],
      [{ ...firing, condition: null }, 'condition must be an object'],
      [{ ...firing, price: null }, 'price must be a positive number'],
      [{ ...firing, price: 0 }, 'price must be a positive number'],
      [{ ...stale, price: 1.1 }, 'price must be null for a stale alert'],
      [{ ...firing, message: undefined }, 'message must be a string'],
      [{ ...firing, note: 'x'.repeat(501) }, 'note must be null or a string of at most 500 characters without NUL'],
      [without(firing, 'note'), 'note must be null or a string of at most 500 characters without NUL'],
    ]);
  });
});
