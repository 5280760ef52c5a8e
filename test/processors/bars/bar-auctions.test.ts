import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bar } from '../../../src/model/bar.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { OPENING_AUCTION, type EligibilityRule } from '../../../src/model/trade-eligibility.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';
import { trade } from '../trade-factory.ts';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);
/** The session of these tests ends at T0 + 60 s. */
const SESSION_END = T0 + 60_000;

const auctionRule: EligibilityRule = (t) => {
  const condition = t.conditions?.[0];
  return condition === 'open' ? OPENING_AUCTION : condition === 'close' ? { auction: 'closing', sessionEnd: SESSION_END } : 'full';
};
const print = (ms: number, price: number, size = 1, condition?: string): Trade => trade({ price, size, tsEvent: T0 + ms, conditions: condition ? [condition] : null });
const ohlcv = (bars: readonly Bar[]): string[] => bars.map((bar) => `${bar.interval} ${bar.start - T0} ${bar.open}/${bar.high}/${bar.low}/${bar.close} v${bar.volume}`);

describe('BarBuilder: auction prints', () => {
  it('opens its bar with the opening auction print, whatever was reported before it in that period', () => {
    const builder = new BarBuilder({ intervals: ['1s'], eligibility: auctionRule });
    for (const t of [print(100, 10), print(300, 9), print(500, 12, 100, 'open'), print(700, 11)]) builder.add(t, 0);
    assert.deepEqual(ohlcv(builder.flush(0)), ['1s 0 12/12/9/11 v103']);
  });

  it('closes the session’s last bar with the closing auction print reported after the close', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'], lateness: 2_000, eligibility: auctionRule });
    const bars = [
      print(59_500, 10),
      print(60_100, 9), // after the close, before the auction's print
      print(60_700, 11, 50, 'close'),
      print(59_900, 13), // late but within the lateness: in the bar, and not its close
      print(61_200, 8),
    ].flatMap((t) => builder.add(t, 0));
    bars.push(...builder.flush(0));
    assert.deepEqual(ohlcv(bars), ['1s 59000 10/13/10/11 v52', '1m 0 10/13/10/11 v52', '1s 60000 9/9/9/9 v1', '1s 61000 8/8/8/8 v1', '1m 60000 9/9/8/8 v2']);
  });

  it('counts the closing auction print as late once the session’s last bar is published', () => {
    const builder = new BarBuilder({ intervals: ['1s', '1m'], eligibility: auctionRule });
    const bars = [print(59_500, 10), print(60_100, 9), print(60_700, 11, 50, 'close')].flatMap((t) => builder.add(t, 0));
    bars.push(...builder.flush(0));
    assert.deepEqual(ohlcv(bars), ['1s 59000 10/10/10/10 v1', '1m 0 10/10/10/10 v1', '1s 60000 9/9/9/9 v1', '1m 60000 9/9/9/9 v1']);
    assert.equal(builder.lateTrades, 1);
  });

  it('keeps an auction’s open or close across a restore', () => {
    const run = (restart: boolean): string[] => {
      let builder = new BarBuilder({ intervals: ['1m'], lateness: 2_000, eligibility: auctionRule });
      const out: Bar[] = [];
      out.push(...builder.add(print(200, 9), 0), ...builder.add(print(500, 12, 5, 'open'), 0), ...builder.add(print(60_500, 11, 5, 'close'), 0));
      if (restart) {
        const saved = JSON.parse(JSON.stringify(builder.symbolState('AAA')));
        builder = new BarBuilder({ intervals: ['1m'], lateness: 2_000, eligibility: auctionRule });
        builder.restoreSymbol('AAA', saved);
      }
      out.push(...builder.add(print(59_000, 10), 0), ...builder.flush(0));
      return ohlcv(out);
    };
    assert.deepEqual(run(false), ['1m 0 12/12/9/11 v12']);
    assert.deepEqual(run(true), run(false));
  });
});
