import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MarketEvent } from '../../../src/backtest/data/market-event.ts';
import { mergeBatches, type MergeInput } from '../../../src/backtest/data/merge-batches.ts';

const trade = (symbol: string, tsEvent: number, seq: number): MarketEvent => ({ type: 'trade', source: 'test', symbol, price: 1, size: 1, conditions: null, tsEvent, tsRecv: tsEvent, seq });

function input(notBefore: number, batches: readonly (readonly MarketEvent[])[], opened: string[], name: string): MergeInput {
  return {
    notBefore,
    open: () => {
      opened.push(name);
      return (async function* () {
        for (const [index, batch] of batches.entries()) {
          opened.push(`${name} batch ${index}`);
          yield batch;
        }
      })();
    },
  };
}

async function collect(batches: AsyncIterable<readonly MarketEvent[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of batches) for (const event of batch) out.push(`${event.symbol}${(event as { seq: number }).seq}@${event.tsEvent}`);
  return out;
}

it('merges by event time, ties to the input listed first, then to the earlier event, across batch edges', async () => {
  const opened: string[] = [];
  const merged = await collect(
    mergeBatches([
      input(-Infinity, [[trade('A', 1, 1), trade('A', 3, 2)], [], [trade('A', 3, 3), trade('A', 5, 4)]], opened, 'A'),
      input(-Infinity, [[trade('B', 0, 1), trade('B', 3, 2)], [trade('B', 3, 3), trade('B', 4, 4)]], opened, 'B'),
    ]),
  );
  assert.deepEqual(merged, ['B1@0', 'A1@1', 'A2@3', 'A3@3', 'B2@3', 'B3@3', 'B4@4', 'A4@5']);
});

it('opens an input only once the merge reaches its lower bound, and passes a lone input through', async () => {
  const opened: string[] = [];
  const late = [trade('L', 100, 1), trade('L', 101, 2)];
  const merged = await collect(mergeBatches([input(100, [late], opened, 'late'), input(0, [[trade('E', 10, 1)], [trade('E', 100, 2)]], opened, 'early')]));
  assert.deepEqual(opened, ['early', 'early batch 0', 'early batch 1', 'late', 'late batch 0']);
  assert.deepEqual(merged, ['E1@10', 'L1@100', 'E2@100', 'L2@101']);

  const lone = [trade('S', 1, 1), trade('S', 2, 2)];
  const passed: (readonly MarketEvent[])[] = [];
  for await (const batch of mergeBatches([input(0, [lone], [], 'S')])) passed.push(batch);
  assert.equal(passed[0], lone);
});
