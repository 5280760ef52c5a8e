import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import type { SourceSink } from '../../../src/sources/source.ts';
import type { ReplayTimer } from '../../../src/sources/replay/pacer.ts';

export interface CollectingSink extends SourceSink {
  readonly batches: MarketRecord[][];
  readonly letters: DeadLetter[];
  records(batch: readonly MarketRecord[]): Promise<void>;
}

/** Keeps every batch and dead letter; `onBatch` runs before a batch is accepted. */
export function collectingSink(onBatch?: (batch: readonly MarketRecord[]) => void | Promise<void>): CollectingSink {
  const batches: MarketRecord[][] = [];
  const letters: DeadLetter[] = [];
  return {
    batches,
    letters,
    records: async (batch) => {
      batches.push([...batch]);
      await onBatch?.(batch);
    },
    deadLetter: async (letter) => {
      letters.push(letter);
    },
  };
}

/** A timer whose sleeps return at once, moving its time forward by the requested amount. */
export class FakeTimer implements ReplayTimer {
  time = 1_000;
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

/** A timer whose sleeps end only when aborted: a replay paced by it stalls until closed. */
export class StalledTimer implements ReplayTimer {
  sleeping = 0;

  now(): number {
    return 0;
  }

  sleep(_ms: number, signal: AbortSignal): Promise<void> {
    this.sleeping++;
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}
