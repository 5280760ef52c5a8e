import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SYMBOLS } from '../../../src/config/config.ts';
import { AggregatorCore } from '../../../src/processors/aggregator/aggregator-core.ts';
import { SignalEngine } from '../../../src/processors/signals/signal-engine.ts';
import { DEFAULT_STRATEGY_CONFIG } from '../../../src/processors/signals/strategy-config.ts';
import { planFor } from '../../../src/processors/signals/strategy-registry.ts';
import { SimulatedMarket } from '../../../src/sources/simulator/market.ts';

/**
 * The default strategies must give the dashboard something within ~30 s of `npm start` on the
 * simulator: its market at the default rate (50 trades/s over the default symbols, in 250 ms frames)
 * through the aggregator's core with the default settings, on simulated time.
 */
function firstSignalSeconds(seed: number, seconds: number): Map<string, number> {
  const symbols = DEFAULT_SYMBOLS.split(',');
  const market = new SimulatedMarket({ seed, symbols });
  const core = new AggregatorCore({ windowSize: 20, publishEvery: 10, barLatenessMs: 2_000 });
  const engine = new SignalEngine(planFor(DEFAULT_STRATEGY_CONFIG));
  const t0 = 1_700_000_000_000;
  const first = new Map<string, number>();
  let seq = 0;
  let offset = 0;
  for (let now = t0; now < t0 + seconds * 1_000; now += 250) {
    const outputs = [];
    for (const e of market.trades(symbols, 12 + (now % 1_000 === 0 ? 2 : 0), now, 250)) {
      outputs.push(...core.add({ type: 'trade', source: 'simulator', symbol: e.s, price: e.p, size: e.v, conditions: e.c ?? null, tsEvent: e.t, tsRecv: now, seq: seq++ }, now));
    }
    outputs.push(...core.advanceTo(now, now));
    for (const output of outputs) {
      for (const signal of engine.apply(output, { topic: 'aggregated-metrics', partition: 0, offset: offset++, recordType: output.type, tsEvent: output.tsEvent }, now)) {
        if (!first.has(signal.strategy)) first.set(signal.strategy, (now - t0) / 1_000);
      }
    }
  }
  return first;
}

describe('default strategies on the simulator', () => {
  for (const seed of [1, 2, 3]) {
    it(`every default strategy fires within 30 s (seed ${seed})`, () => {
      const first = firstSignalSeconds(seed, 30);
      assert.deepEqual([...first.keys()].sort(), DEFAULT_STRATEGY_CONFIG.default.map((entry) => entry.id).sort(), JSON.stringify(Object.fromEntries(first)));
    });
  }
});
