import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundTrips } from '../../../src/backtest/report/round-trips.ts';
import { formatFixed } from '../../../src/model/fixed-point.ts';
import type { Fill } from '../../../src/model/fill.ts';
import { FILLS } from './fixture.ts';

const fill = (side: Fill['side'], qty: string, price: string, fee: string, time: number, symbol = 'X'): Fill => ({ ...FILLS[0]!, symbol, side, qty, price, fee, transaction_time: time });
const pls = (fills: readonly Fill[]) => roundTrips(fills).map((trip) => [trip.side, formatFixed(trip.pl), trip.openedAt, trip.closedAt]);

describe('roundTrips', () => {
  it('closes when the position returns to 0, over partial fills', () => {
    // Buy 3 @ 10 and 1 @ 12 (cost 42), sell 2 @ 15 and 2 @ 11 (52): +10 − fees .4.
    const trip = [fill('buy', '3', '10', '0.1', 1), fill('buy', '1', '12', '0.1', 2), fill('sell', '2', '15', '0.1', 3), fill('sell', '2', '11', '0.1', 4)];
    assert.deepEqual(pls(trip), [['long', '9.6', 1, 4]]);
  });

  it('a flip closes one trip and opens the next with the rest, the fee split by quantity', () => {
    // Short 2 @ 50; buy 6 @ 40: 2 close the short (+20, fees .2 + 1/3 of .3), 4 open a long (fee .2); sold @ 45: +20 − .2 − .1.
    const fills = [fill('sell', '2', '50', '0.2', 1), fill('buy', '6', '40', '0.3', 2), fill('sell', '4', '45', '0.1', 3)];
    assert.deepEqual(pls(fills), [['short', '19.7', 1, 2], ['long', '19.7', 2, 3]]);
  });

  it('symbols apart; a trip still open at the end is not counted', () => {
    const fills = [fill('buy', '1', '10', '0', 1, 'A'), fill('buy', '1', '20', '0', 2, 'B'), fill('sell', '1', '8', '0', 3, 'A')];
    assert.deepEqual(pls(fills), [['long', '-2', 1, 3]]);
  });
});
