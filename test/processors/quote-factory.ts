import type { Quote } from '../../src/model/quote.ts';

let seq = 0;

/** A quote with defaults for everything a test does not care about. */
export function quote(fields: Partial<Quote> & Pick<Quote, 'bid' | 'ask'>): Quote {
  seq++;
  return { type: 'quote', source: 'test', symbol: 'EURUSD', bidSize: null, askSize: null, tsEvent: seq, tsRecv: seq, seq, ...fields };
}
