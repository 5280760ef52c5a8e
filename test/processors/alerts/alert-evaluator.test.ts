import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AlertCondition, AlertFiring, AlertRule } from '../../../src/model/alert.ts';
import { AlertEvaluator } from '../../../src/processors/alerts/alert-evaluator.ts';
import { trade } from '../trade-factory.ts';

function rule(id: string, condition: AlertCondition, fields: Partial<AlertRule> = {}): AlertRule {
  return { id, symbol: 'AAPL', condition, note: null, enabled: true, createdAt: 0, updatedAt: 0, ...fields };
}

function evaluatorWith(...rules: AlertRule[]): AlertEvaluator {
  const evaluator = new AlertEvaluator({ startedAt: 0 });
  evaluator.setRules(rules);
  return evaluator;
}

/** Feeds prices (AAPL, one ms apart) and returns the firings. */
function feed(evaluator: AlertEvaluator, prices: readonly number[], start = 1_000): AlertFiring[] {
  return prices.flatMap((price, i) => evaluator.onTrade(trade({ symbol: 'AAPL', price, tsEvent: start + i, tsRecv: start + i })));
}

const above = rule('up', { kind: 'price-above', threshold: 100 });
const below = rule('down', { kind: 'price-below', threshold: 100 });

describe('AlertEvaluator', () => {
  it('fires price-above once per upward crossing and re-arms at or below the threshold', () => {
    const evaluator = evaluatorWith(above);
    const firings = feed(evaluator, [99, 100, 100.5, 101, 102, 100, 99, 100.01, 100.02]);
    assert.deepEqual(firings.map((f) => [f.id, f.price]), [['up:1', 100.5], ['up:2', 100.01]]);
    assert.equal(firings[0]!.message, 'AAPL above 100 at 100.5');
    assert.deepEqual(
      { type: firings[0]!.type, ruleId: firings[0]!.ruleId, symbol: firings[0]!.symbol, condition: firings[0]!.condition, tsEvent: firings[0]!.tsEvent },
      { type: 'alert', ruleId: 'up', symbol: 'AAPL', condition: above.condition, tsEvent: 1_002 },
    );
  });

  it('fires once for a price hovering above the threshold, however many ticks', () => {
    const evaluator = evaluatorWith(above);
    const hovering = Array.from({ length: 500 }, (_, i) => 100.01 + (i % 7) / 100);
    assert.equal(feed(evaluator, [99, ...hovering]).length, 1);
  });

  it('fires a brand-new rule on its first trade when the condition already holds', () => {
    assert.deepEqual(feed(evaluatorWith(above), [105, 106]).map((f) => f.id), ['up:1']);
    assert.deepEqual(feed(evaluatorWith(below), [105]).length, 0);
  });

  it('fires price-below symmetrically', () => {
    const evaluator = evaluatorWith(below);
    const firings = feed(evaluator, [101, 100, 99.5, 99, 100, 98, 101, 97]);
    assert.deepEqual(firings.map((f) => [f.id, f.price]), [['down:1', 99.5], ['down:2', 98], ['down:3', 97]]);
    assert.equal(firings[0]!.message, 'AAPL below 100 at 99.5');
  });

  it('ignores other symbols and disabled (not given) rules', () => {
    const evaluator = evaluatorWith(above, rule('msft', { kind: 'price-above', threshold: 100 }, { symbol: 'MSFT' }));
    assert.deepEqual(evaluator.onTrade(trade({ symbol: 'MSFT', price: 200 })).map((f) => f.id), ['msft:1']);
    assert.deepEqual(evaluator.onTrade(trade({ symbol: 'TSLA', price: 200 })), []);
    evaluator.setRules([]);
    assert.deepEqual(feed(evaluator, [200]), []);
  });

  it('fires move-pct over the trades of its event-time window, in either direction, once per move', () => {
    const evaluator = evaluatorWith(rule('move', { kind: 'move-pct', percent: 2, windowMs: 60_000 }));
    const at = (price: number, tsEvent: number) => evaluator.onTrade(trade({ symbol: 'AAPL', price, tsEvent, tsRecv: tsEvent }));
    assert.deepEqual(at(100, 0), []);
    assert.deepEqual(at(101, 10_000), []);
    const up = at(102.5, 20_000);
    assert.deepEqual(up.map((f) => [f.id, f.price]), [['move:1', 102.5]]);
    assert.equal(up[0]!.message, 'AAPL moved +2.50% within 60 s (100 → 102.5)');
    assert.deepEqual(at(103, 30_000), [], 'still moved: disarmed');
    // 100 @0 leaves the window at 60 000: (0, 60 000] holds 101 … 103, 103/101 − 1 < 2 %.
    assert.deepEqual(at(102.9, 60_000), [], 're-arms');
    // A trade older than the window changes nothing.
    assert.deepEqual(at(50, -1), []);
    const down = at(100, 65_000);
    assert.deepEqual(down.map((f) => f.id), [], '100 / 101 − 1 ≈ −0.99 %');
    const drop = at(98, 80_000);
    // Window (20 000, 80 000]: first is 103 @30 000.
    assert.deepEqual(drop.map((f) => [f.id, f.message]), [['move:2', 'AAPL moved -4.85% within 60 s (103 → 98)']]);
  });

  it('places out-of-order trades by event time in the move window', () => {
    const evaluator = evaluatorWith(rule('move', { kind: 'move-pct', percent: 5, windowMs: 10_000 }));
    const at = (price: number, tsEvent: number) => evaluator.onTrade(trade({ symbol: 'AAPL', price, tsEvent, tsRecv: tsEvent }));
    at(100, 5_000);
    at(101, 9_000);
    // Arrives late but is the earliest: first becomes 95, last stays 101 (+6.3 %).
    assert.deepEqual(at(95, 4_000).map((f) => f.id), ['move:1']);
  });

  it('fires stale on the clock once per quiet spell, re-arms on the next trade, and notes gaps', () => {
    const evaluator = evaluatorWith(rule('quiet', { kind: 'stale', afterMs: 5_000 }));
    assert.deepEqual(evaluator.tick(4_999), []);
    const first = evaluator.tick(5_000);
    assert.deepEqual(first.map((f) => [f.id, f.price, f.tsEvent, f.message]), [['quiet:1', null, 5_000, 'AAPL stale: no trade for 5 s (after 5 s)']]);
    assert.deepEqual(evaluator.tick(9_000), [], 'once');
    evaluator.onTrade(trade({ symbol: 'AAPL', price: 1, tsEvent: 6_500, tsRecv: 7_000 }));
    assert.deepEqual(evaluator.tick(11_999), []);
    evaluator.onGap({ type: 'gap', source: 'finnhub', symbol: 'AAPL', reason: 'disconnect', tsEvent: 8_000, tsRecv: 8_000 });
    assert.deepEqual(evaluator.tick(12_500).map((f) => [f.id, f.message]), [['quiet:2', 'AAPL stale: no trade for 5.5 s (after 5 s), feed gap: disconnect']]);
  });

  it('a stale rule created later measures from the symbol’s last trade, or from the start', () => {
    const evaluator = new AlertEvaluator({ startedAt: 1_000 });
    evaluator.onTrade(trade({ symbol: 'MSFT', price: 1, tsRecv: 2_000 }));
    evaluator.setRules([rule('a', { kind: 'stale', afterMs: 3_000 }), rule('m', { kind: 'stale', afterMs: 3_000 }, { symbol: 'MSFT' })]);
    assert.deepEqual(evaluator.tick(4_500).map((f) => f.id), ['a:1']);
    assert.deepEqual(evaluator.tick(5_000).map((f) => f.id), ['m:1']);
  });

  it('reports changed states and resumes from them without firing a crossing again', () => {
    const first = evaluatorWith(above);
    feed(first, [99, 101]);
    const states = first.takeChanges();
    assert.deepEqual(states.map((s) => [s.ruleId, s.armed, s.crossings, s.lastPrice]), [['up', false, 1, 101]]);
    assert.deepEqual(first.takeChanges(), [], 'taken');
    feed(first, [102, 103]);
    assert.deepEqual(first.takeChanges(), [], 'hovering changes no state');

    const restarted = new AlertEvaluator({ startedAt: 0 });
    assert.deepEqual(restarted.unknownRules([above]), ['up']);
    restarted.setRules([above], states);
    assert.deepEqual(feed(restarted, [104]), [], 'the same crossing does not fire again');
    assert.deepEqual(feed(restarted, [100, 101]).map((f) => f.id), ['up:2']);
  });

  it('starts afresh when a rule’s condition changed, keeping its crossing count', () => {
    const evaluator = evaluatorWith(above);
    feed(evaluator, [101]);
    evaluator.takeChanges();
    const raised = { ...above, condition: { kind: 'price-above', threshold: 100.5 } as const, updatedAt: 5 };
    evaluator.setRules([raised]);
    assert.deepEqual(evaluator.takeChanges().map((s) => [s.armed, s.crossings, s.condition]), [[true, 1, raised.condition]]);
    assert.deepEqual(feed(evaluator, [101]).map((f) => f.id), ['up:2']);
    // A stored state of the old condition is reset too.
    const restarted = new AlertEvaluator({ startedAt: 0 });
    restarted.setRules([raised], [{ ruleId: 'up', condition: above.condition, armed: false, crossings: 7, lastPrice: 101, lastTsEvent: 1, updatedAt: 1 }]);
    assert.deepEqual(feed(restarted, [101]).map((f) => f.id), ['up:8']);
  });

  it('property: price-above fires exactly once per upward crossing, across any restart', () => {
    const price = fc.oneof(fc.constant(100), fc.double({ min: 90, max: 110, noNaN: true }));
    fc.assert(
      fc.property(fc.array(price, { maxLength: 200 }), fc.nat(), (prices, cut) => {
        const crossings = prices.filter((p, i) => p > 100 && (i === 0 || prices[i - 1]! <= 100)).length;
        const whole = feed(evaluatorWith(above), prices);
        assert.equal(whole.length, crossings);
        assert.deepEqual(whole.map((f) => f.id), Array.from({ length: crossings }, (_, i) => `up:${i + 1}`));
        // Cut the path anywhere, restart from the persisted states: the same firings.
        const at = prices.length === 0 ? 0 : cut % (prices.length + 1);
        const before = evaluatorWith(above);
        const firstPart = feed(before, prices.slice(0, at));
        const after = new AlertEvaluator({ startedAt: 0 });
        after.setRules([above], before.takeChanges());
        assert.deepEqual([...firstPart, ...feed(after, prices.slice(at), 1_000 + at)], whole);
      }),
      { numRuns: 300 },
    );
  });
});
