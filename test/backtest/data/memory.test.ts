import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openBacktestData } from '../../../src/backtest/data/backtest-data.ts';
import { WEEK } from './week-data.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};
const FIVE_DAYS = { from: '2013-10-07', to: '2013-10-11', quotes: true } as const;

it('streams the five days without keeping their events', async () => {
  let base = heapAfterGc();
  const kept = [];
  const all = await openBacktestData([WEEK], FIVE_DAYS);
  for await (const batch of all.batches()) kept.push(...batch);
  const everything = heapAfterGc() - base;
  const total = kept.length;
  assert.ok(total > 20_000);
  kept.length = 0;

  base = heapAfterGc();
  let peak = 0;
  let events = 0;
  const streamed = await openBacktestData([WEEK], FIVE_DAYS);
  for await (const batch of streamed.batches()) {
    events += batch.length;
    peak = Math.max(peak, heapAfterGc() - base);
  }
  assert.equal(events, total);
  // The merge holds one batch per open file (a day's files: a fifth of the data here), not the data.
  assert.ok(peak < everything / 2, `peak heap growth ${peak} B vs ${everything} B for all the events kept`);
});
