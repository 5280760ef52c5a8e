import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openBacktestData } from '../../../src/backtest/data/backtest-data.ts';
import { join } from 'node:path';

const SPY_TICKS = join(import.meta.dirname, '../../../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

it('streams a day of 250,601 trades without keeping them', async () => {
  let base = heapAfterGc();
  const kept = [];
  const all = await openBacktestData([SPY_TICKS]);
  for await (const batch of all.batches()) kept.push(...batch);
  const everything = heapAfterGc() - base;
  const total = kept.length;
  assert.equal(total, 250_601);
  kept.length = 0;

  base = heapAfterGc();
  let peak = 0;
  let events = 0;
  let batches = 0;
  const streamed = await openBacktestData([SPY_TICKS]);
  for await (const batch of streamed.batches()) {
    events += batch.length;
    if (++batches % 8 === 0) peak = Math.max(peak, heapAfterGc() - base);
  }
  assert.equal(events, total);
  // Streaming holds a batch or two (about a thousand trades), not the day: a coarse bound, far from the
  // real ratio (a few hundredths), so a busy machine cannot make it flake.
  assert.ok(peak < everything / 4, `peak heap growth ${peak} B vs ${everything} B for all the events kept`);
});
