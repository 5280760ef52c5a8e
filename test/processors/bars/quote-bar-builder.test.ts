import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from '../../../src/errors.ts';
import type { Bar } from '../../../src/model/bar.ts';
import type { Quote } from '../../../src/model/quote.ts';
import type { QuoteBar } from '../../../src/model/quote-bar.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';
import { QuoteBarBuilder } from '../../../src/processors/bars/quote-bar-builder.ts';
import { quote } from '../quote-factory.ts';

/** A whole minute, so offsets below read as seconds into the minute. */
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);

const at = (ms: number, bid: number, ask: number, fields: Partial<Quote> = {}): Quote => quote({ bid, ask, tsEvent: T0 + ms, tsRecv: T0 + ms, ...fields });
const brief = (bars: readonly QuoteBar[]): string[] => bars.map((bar) => `${bar.symbol} ${bar.interval} ${bar.start - T0}`);

describe('QuoteBarBuilder', () => {
  it('builds the OHLC of each side and keeps the last size > 0 of each, over [start, end)', () => {
    const builder = new QuoteBarBuilder({ intervals: ['1s'] });
    const quotes = [
      at(1_100, 1.1, 1.3, { bidSize: 5 }),
      at(1_200, 1.0, 1.5, { bidSize: 0, askSize: 7 }),
      at(1_300, 1.2, 1.2, { askSize: null }),
      at(1_999, 1.15, 1.25),
    ];
    for (const q of quotes) assert.deepEqual(builder.add(q, 0), []);
    const [bar] = builder.advanceTo(T0 + 2_000, T0 + 2_005);
    assert.deepEqual(bar, {
      type: 'quote-bar', symbol: 'EURUSD', interval: '1s', start: T0 + 1_000, end: T0 + 2_000,
      bid: { open: 1.1, high: 1.2, low: 1.0, close: 1.15 },
      ask: { open: 1.3, high: 1.5, low: 1.2, close: 1.25 },
      // A size of 0 or none leaves the last one standing (Lean's rule).
      lastBidSize: 5, lastAskSize: 7, count: 4,
      tsEvent: T0 + 2_000, tsRecv: T0 + 2_005,
    });
    const [unsized] = [...builder.add(at(2_500, 1, 2), 0), ...builder.flush(9)];
    assert.deepEqual([unsized!.lastBidSize, unsized!.lastAskSize, unsized!.tsRecv], [null, null, 9], 'no size seen: null, not carried over from the previous bar');
  });

  it('closes on the clock for a quiet symbol, on its own event time, and never reopens a bar (late quotes counted)', () => {
    const builder = new QuoteBarBuilder({ intervals: ['1s', '1m'] });
    builder.add(at(500, 1, 2, { symbol: 'QUIET' }), 0);
    builder.add(at(700, 1, 2, { symbol: 'BUSY' }), 0);
    assert.deepEqual(brief(builder.add(at(1_500, 1, 2, { symbol: 'BUSY' }), 0)), ['BUSY 1s 0']);
    assert.deepEqual(brief(builder.advanceTo(T0 + 1_000)), ['QUIET 1s 0']);
    assert.deepEqual(builder.add(at(900, 3, 4, { symbol: 'QUIET' }), 0), []);
    assert.equal(builder.lateQuotes, 1);
    assert.deepEqual(builder.stats().lateByInterval, { '1s': 1, '1m': 0 });
    const rest = builder.flush(0);
    assert.deepEqual(brief(rest), ['BUSY 1s 1000', 'BUSY 1m 0', 'QUIET 1m 0']);
    assert.deepEqual(rest.at(-1)!.bid, { open: 1, high: 3, low: 1, close: 3 }, 'the late quote is in the open minute');
    assert.deepEqual({ ...builder.stats(), lateByInterval: null }, { quotes: 4, lateQuotes: 1, lateByInterval: null, rejected: 0, openBars: 0, closedBars: 5 });
  });

  it('continues exactly from its saved state (through JSON), as after a restart', () => {
    const quotes = Array.from({ length: 40 }, (_, i) => at(i * 173, 1 + (i % 7) / 100, 1.1 + (i % 5) / 100, { bidSize: i % 3, symbol: i % 2 ? 'A' : 'B' }));
    const straight = new QuoteBarBuilder({ lateness: 200 });
    const expected = [...quotes.flatMap((q) => straight.add(q, 1)), ...straight.flush(2)];
    const first = new QuoteBarBuilder({ lateness: 200 });
    const out = quotes.slice(0, 23).flatMap((q) => first.add(q, 1));
    const second = new QuoteBarBuilder({ lateness: 200 });
    for (const symbol of first.takeChangedSymbols()) second.restoreSymbol(symbol, JSON.parse(JSON.stringify(first.symbolState(symbol))));
    second.restoreWatermark(first.watermark);
    out.push(...quotes.slice(23).flatMap((q) => second.add(q, 1)), ...second.flush(2));
    assert.deepEqual(out, expected);
    assert.equal(second.symbolState('never'), null);
  });

  it('refuses unusable quotes and invalid options', () => {
    const builder = new QuoteBarBuilder();
    assert.deepEqual(builder.intervals, ['1s', '1m']);
    assert.deepEqual(builder.add({ ...at(0, 1, 2), bid: Number.NaN }, 0), []);
    assert.deepEqual(builder.add({ ...at(0, 1, 2), ask: 0 }, 0), []);
    assert.deepEqual(builder.add({ ...at(0, 1, 2), tsEvent: Number.NaN }, 0), []);
    assert.equal(builder.stats().rejected, 3);
    assert.deepEqual(builder.flush(0), []);
    assert.throws(() => new QuoteBarBuilder({ intervals: [] }), ConfigError);
    assert.throws(() => new QuoteBarBuilder({ lateness: -1 }), /invalid quote bar builder options/);
  });

  it('follows the time rules of trade bars: the same periods closed at the same calls, the same late counts', () => {
    // A quote at bid b is fed to BarBuilder as a trade at price b: the two builders must agree on
    // which bars close when (their tsRecv), on the bid OHLC, and on what came late.
    const step = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('quote' as const), symbol: fc.constantFrom('A', 'B'), jitter: fc.integer({ min: -3_000, max: 0 }), bid: fc.integer({ min: 1, max: 50 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), ahead: fc.integer({ min: -1_000, max: 2_000 }) }) },
    );
    const scenario = fc.record({ lateness: fc.constantFrom(0, 500, 2_000), steps: fc.array(step, { maxLength: 300, size: 'max' }), gapMs: fc.integer({ min: 1, max: 400 }) });
    fc.assert(
      fc.property(scenario, ({ lateness, steps, gapMs }) => {
        const quotes = new QuoteBarBuilder({ lateness });
        const trades = new BarBuilder({ lateness });
        const quoteBars: QuoteBar[] = [];
        const tradeBars: Bar[] = [];
        let now = 0;
        for (const [index, action] of steps.entries()) {
          now = T0 + index * gapMs;
          if (action.kind === 'clock') {
            quoteBars.push(...quotes.advanceTo(now + action.ahead, now));
            tradeBars.push(...trades.advanceTo(now + action.ahead, now));
            continue;
          }
          const tsEvent = now + action.jitter;
          quoteBars.push(...quotes.add({ type: 'quote', source: 'p', symbol: action.symbol, bid: action.bid, ask: action.bid + 1, bidSize: null, askSize: null, tsEvent, tsRecv: now, seq: index }, now));
          tradeBars.push(...trades.add({ type: 'trade', source: 'p', symbol: action.symbol, price: action.bid, size: 1, conditions: null, tsEvent, tsRecv: now, seq: index }, now));
        }
        quoteBars.push(...quotes.flush(now));
        tradeBars.push(...trades.flush(now));
        assert.deepEqual(
          quoteBars.map(({ symbol, interval, start, end, bid, count, tsEvent, tsRecv }) => ({ symbol, interval, start, end, ...bid, count, tsEvent, tsRecv })),
          tradeBars.map(({ symbol, interval, start, end, open, high, low, close, count, tsEvent, tsRecv }) => ({ symbol, interval, start, end, open, high, low, close, count, tsEvent, tsRecv })),
        );
        assert.deepEqual(quotes.stats().lateByInterval, trades.stats().lateByInterval);
        assert.equal(quotes.watermark, trades.watermark);
      }),
      { numRuns: 200 },
    );
  });
});
