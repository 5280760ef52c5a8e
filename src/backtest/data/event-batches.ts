import type { EventLines, MarketEvent } from './market-event.ts';
import type { Rejections } from './rejections.ts';

/**
 * Events per batch: enough that the per-batch awaits of the merge and the runner cost nothing next to
 * parsing, few enough that a batch's events mostly die young (bench/backtest-data.ts: 2,048 and 4,096
 * measured 10–20 % slower on the SPY tick day, events promoted out of the young generation).
 */
export const BATCH_SIZE = 1_024;

/**
 * One file's events in batches of `BATCH_SIZE` (the last one shorter), in line order. A malformed
 * line is counted in `rejections`, never thrown. The file is closed when its lines end or the
 * consumer stops early.
 */
export async function* eventBatches(input: EventLines, file: string, rejections: Rejections): AsyncGenerator<MarketEvent[]> {
  let batch: MarketEvent[] = [];
  let lineNumber = 0;
  try {
    for await (const line of input.lines()) {
      lineNumber++;
      if (line.length === 0) continue;
      const event = input.parse(line, lineNumber);
      if (event === null) continue;
      if (typeof event === 'string') {
        rejections.add(file, lineNumber, event);
        continue;
      }
      batch.push(event);
      if (batch.length >= BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await input.close();
  }
}
