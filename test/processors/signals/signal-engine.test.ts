import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignalInput, TradingSignal } from '../../../src/model/signal.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { SignalEngine, type EngineRecord } from '../../../src/processors/signals/signal-engine.ts';
import type { Decision, Strategy } from '../../../src/processors/signals/strategy.ts';
import { parseStrategyConfig } from '../../../src/processors/signals/strategy-config.ts';
import { planFor } from '../../../src/processors/signals/strategy-registry.ts';
import { trade } from '../trade-factory.ts';
import { bar, gap, inputOf } from './support.ts';

const CROSSING = [12, 12, 9, 12, 15, 16, 10]; // EMA(2)/EMA(3): buy at bar 4, sell at bar 6 (see strategies.test.ts)
const config = parseStrategyConfig(JSON.stringify({ default: [{ strategy: 'ma-crossover', fast: 2, slow: 3, strengthScalePct: 10 }] }));

function run(engine: SignalEngine, records: readonly EngineRecord[]): TradingSignal[] {
  return records.flatMap((record, offset) => engine.apply(record, inputOf(record, offset), 42));
}

describe('signal engine', () => {
  it('turns decisions into signals: instance id, event time and lineage of the input, the given tsRecv', () => {
    const signals = run(new SignalEngine(planFor(config)), CROSSING.map((close, n) => bar(n, close)));
    assert.deepEqual(signals.map((s) => [s.strategy, s.side, s.price, s.tsEvent, s.tsRecv]), [
      ['ma-crossover', 'buy', 15, bar(4, 15).tsEvent, 42],
      ['ma-crossover', 'sell', 10, bar(6, 10).tsEvent, 42],
    ]);
    assert.equal(signals[0]!.type, 'signal');
    assert.equal(signals[0]!.symbol, 'AAPL');
  });

  it('keeps state per symbol', () => {
    const interleaved = CROSSING.flatMap((close, n) => [bar(n, close), bar(n, 100 - close, { symbol: 'MSFT' })]);
    const signals = run(new SignalEngine(planFor(config)), interleaved);
    assert.deepEqual(signals.map((s) => [s.symbol, s.side]), [['AAPL', 'buy'], ['MSFT', 'sell'], ['AAPL', 'sell'], ['MSFT', 'buy']]);
  });

  it('a gap resets that symbol’s strategies only: they warm up again after it', () => {
    const engine = new SignalEngine(planFor(config));
    const records: EngineRecord[] = [...CROSSING.slice(0, 4).map((close, n) => bar(n, close)), gap('AAPL'), gap('MSFT'), ...CROSSING.slice(4).map((close, n) => bar(n + 4, close))];
    assert.deepEqual(run(engine, records), [], 'after the gap 15, 16, 10 are too few bars for EMA(3) to set a side and cross');
    assert.equal(engine.stats().resets, 1, 'MSFT had no state to reset');
  });

  it('passes over quotes and quote bars: no strategy decides on them, and they make no instances', () => {
    const engine = new SignalEngine(planFor(config));
    const quote: EngineRecord = { type: 'quote', source: 'lean', symbol: 'OANDA:EUR_USD', bid: 1.1, ask: 1.2, bidSize: null, askSize: null, tsEvent: 1, tsRecv: 1, seq: 1 };
    const quoteBar: EngineRecord = {
      type: 'quote-bar', symbol: 'OANDA:EUR_USD', interval: '1m', start: 0, end: 60_000, bid: { open: 1, high: 1, low: 1, close: 1 }, ask: { open: 2, high: 2, low: 2, close: 2 },
      lastBidSize: null, lastAskSize: null, count: 1, tsEvent: 60_000, tsRecv: 60_000,
    };
    assert.deepEqual(run(engine, [quote, quoteBar, quote]), []);
    assert.equal(engine.stats().symbols, 0);
  });

  it('skips a bar not after the last of its symbol and interval (a redelivered aggregator output)', () => {
    const bars = CROSSING.map((close, n) => bar(n, close));
    const engine = new SignalEngine(planFor(config));
    const signals = run(engine, [bars[0]!, bars[1]!, bars[2]!, bars[3]!, bars[3]!, bars[2]!, bars[4]!, bars[5]!, bars[6]!]);
    assert.deepEqual(signals.map((s) => s.side), ['buy', 'sell']);
    assert.equal(engine.stats().duplicateBars, 2);
  });

  it('runs a strategy a user plugs in, with per-symbol state from its factory', () => {
    /** Buys the third trade of each symbol above 100 (and claims an out-of-range strength). */
    class ThirdTradeAbove implements Strategy {
      readonly name = 'third-above';
      seen = 0;
      onTrade(t: Trade, _input: SignalInput): Decision | null {
        if (t.price <= 100 || ++this.seen !== 3) return null;
        return { side: 'buy', strength: 5, price: t.price, reason: `third trade above 100 at ${t.price}` };
      }
    }
    const made: string[] = [];
    const engine = new SignalEngine((symbol) => [{ id: 'mine', create: (s: string) => (made.push(s), new ThirdTradeAbove()) }].filter(() => symbol !== 'IGNORED'));
    const trades = [101, 102, 50, 103, 104].flatMap((price) => [trade({ symbol: 'AAA', price }), trade({ symbol: 'BBB', price })]);
    const signals = run(engine, [...trades, trade({ symbol: 'IGNORED', price: 200 })]);
    assert.deepEqual(signals.map((s) => [s.symbol, s.price, s.strength, s.strategy]), [['AAA', 103, 1, 'mine'], ['BBB', 103, 1, 'mine']]);
    assert.deepEqual(signals[0]!.lineage, [inputOf(trades[6]!, 6)], 'default lineage: the triggering record');
    assert.deepEqual(made, ['AAA', 'BBB']);
  });
});
