import type { Trade } from '../../src/model/trade.ts';

let seq = 0;

/** A trade with defaults for everything a test does not care about. */
export function trade(fields: Partial<Trade> & Pick<Trade, 'price'>): Trade {
  seq++;
  return { type: 'trade', source: 'test', symbol: 'AAA', size: 1, conditions: null, tsEvent: seq, tsRecv: seq, seq, ...fields };
}
