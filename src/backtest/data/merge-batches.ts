import { BATCH_SIZE } from './event-batches.ts';
import type { MarketEvent } from './market-event.ts';

/** One input of the merge: opened only once the merge reaches `notBefore`, a lower bound of its event times. */
export interface MergeInput {
  readonly notBefore: number;
  open(): AsyncIterator<readonly MarketEvent[]>;
}

interface Cursor {
  readonly order: number;
  readonly batches: AsyncIterator<readonly MarketEvent[]>;
  batch: readonly MarketEvent[];
  index: number;
}

/**
 * Merges the inputs' batches into one sequence ordered by `tsEvent`, ties going to the input listed
 * first, then to the earlier event of that input: the same inputs always give the same sequence.
 * Each input is assumed in event-time order already (Lean files are; an archive is up to the
 * interleaving of receive order), and its own order is kept. Events are copied in runs (all of the
 * leading input's events up to the next input's head) and a lone input's batches pass through as
 * they are, so the merge costs little over the parse. Memory: one batch per open input, plus one out.
 */
export async function* mergeBatches(inputs: readonly MergeInput[]): AsyncGenerator<readonly MarketEvent[]> {
  const pending = inputs.map((input, order) => ({ input, order })).sort((a, b) => a.input.notBefore - b.input.notBefore || a.order - b.order);
  let next = 0;
  const active: Cursor[] = [];
  let out: MarketEvent[] = [];
  try {
    for (;;) {
      while (next < pending.length && (active.length === 0 || pending[next]!.input.notBefore <= head(leading(active)))) {
        const { input, order } = pending[next++]!;
        const cursor: Cursor = { order, batches: input.open(), batch: [], index: 0 };
        if (await refill(cursor)) active.push(cursor);
      }
      if (active.length === 0) break;
      const bound = next < pending.length ? pending[next]!.input.notBefore : Infinity;
      if (active.length === 1 && bound === Infinity) {
        if (out.length > 0) yield out;
        out = [];
        yield* passThrough(active[0]!);
        active.length = 0;
        break;
      }
      const leader = leading(active);
      const { time: nextTime, order: nextOrder } = runnerUp(active, leader);
      const { batch } = leader;
      let i = leader.index;
      for (; i < batch.length; i++) {
        const time = batch[i]!.tsEvent;
        if (time > nextTime || (time === nextTime && leader.order > nextOrder) || time >= bound) break;
        out.push(batch[i]!);
      }
      leader.index = i;
      if (i === batch.length && !(await refill(leader))) active.splice(active.indexOf(leader), 1);
      if (out.length >= BATCH_SIZE) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.all(active.map((cursor) => cursor.batches.return?.()));
  }
}

/** Loads the cursor's next non-empty batch; false when its input has ended. */
async function refill(cursor: Cursor): Promise<boolean> {
  for (;;) {
    const result = await cursor.batches.next();
    if (result.done) return false;
    if (result.value.length > 0) {
      cursor.batch = result.value;
      cursor.index = 0;
      return true;
    }
  }
}

async function* passThrough(cursor: Cursor): AsyncGenerator<readonly MarketEvent[]> {
  yield cursor.index === 0 ? cursor.batch : cursor.batch.slice(cursor.index);
  while (await refill(cursor)) yield cursor.batch;
}

function head(cursor: Cursor): number {
  return cursor.batch[cursor.index]!.tsEvent;
}

function leading(active: readonly Cursor[]): Cursor {
  let best = active[0]!;
  for (const cursor of active) if (before(cursor, best)) best = cursor;
  return best;
}

function runnerUp(active: readonly Cursor[], leader: Cursor): { time: number; order: number } {
  let time = Infinity;
  let order = Infinity;
  for (const cursor of active) {
    if (cursor === leader) continue;
    const candidate = head(cursor);
    if (candidate < time || (candidate === time && cursor.order < order)) [time, order] = [candidate, cursor.order];
  }
  return { time, order };
}

function before(a: Cursor, b: Cursor): boolean {
  const ta = head(a);
  const tb = head(b);
  return ta < tb || (ta === tb && a.order < b.order);
}
