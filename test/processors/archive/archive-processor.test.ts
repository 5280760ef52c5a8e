import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { ArchiveProcessor } from '../../../src/processors/archive/archive-processor.ts';
import { ManualClock } from '../../../src/clock.ts';

const DAY = Date.UTC(2026, 10, 23, 14, 30);

function record(offset: number, tsEvent: number, topic = 'raw-market-data'): BusRecord {
  return { topic, partition: 1, offset, key: 'AAPL', timestamp: tsEvent + 5, value: { type: 'trade', symbol: 'AAPL', price: 100 + offset, tsEvent } };
}

/** What the archive reports durable once its write in flight has synced. */
async function durable(archive: ArchiveProcessor): Promise<readonly BusRecord[]> {
  for (let i = 0; i < 500; i++) {
    const done = await archive.tick();
    if (done.length > 0) return done;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return [];
}

function lines(path: string): unknown[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('archive', () => {
  it('holds records until a batch is full, then writes them and reports them durable once synced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archive-'));
    const archive = new ArchiveProcessor({ dir, topics: ['raw-market-data'], batchSize: 3, flushMs: 60_000 });
    assert.deepEqual(await archive.process([record(0, DAY), record(1, DAY)]), []);
    assert.deepEqual(await archive.process([record(2, DAY)]), [], 'the write is under way, not yet durable');
    const done = await durable(archive);
    assert.deepEqual(done.map((r) => r.offset), [0, 1, 2]);
    const written = lines(join(dir, 'raw-market-data', '2026-11-23.jsonl'));
    assert.equal(written.length, 3);
    assert.deepEqual(written[0], { partition: 1, offset: 0, key: 'AAPL', timestamp: DAY + 5, value: record(0, DAY).value });
    await archive.close();
  });

  it('writes a partial batch once the oldest record waited flushMs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archive-'));
    const clock = new ManualClock(DAY);
    const archive = new ArchiveProcessor({ dir, topics: ['t'], batchSize: 100, flushMs: 1_000, clock });
    await archive.process([record(7, DAY, 't')]);
    clock.advanceTo(DAY + 999);
    assert.deepEqual(await archive.tick(), []);
    assert.deepEqual(readdirSync(dir), [], 'not yet flushMs old');
    clock.advanceTo(DAY + 1_000);
    const done = await durable(archive);
    assert.deepEqual(done.map((r) => r.offset), [7]);
    assert.equal(lines(join(dir, 't', '2026-11-23.jsonl')).length, 1);
    await archive.close();
  });

  it('splits files by topic and by the UTC day of the event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archive-'));
    const archive = new ArchiveProcessor({ dir, topics: ['a', 'b'], batchSize: 1_000 });
    await archive.process([record(0, DAY, 'a'), record(1, DAY + 86_400_000, 'a'), record(0, DAY, 'b')]);
    const flushed = await archive.close();
    assert.equal(flushed.length, 3);
    assert.deepEqual(readdirSync(join(dir, 'a')).sort(), ['2026-11-23.jsonl', '2026-11-24.jsonl']);
    assert.deepEqual(readdirSync(join(dir, 'b')), ['2026-11-23.jsonl']);
  });

  it('appends across restarts instead of overwriting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archive-'));
    for (const offset of [0, 1]) {
      const archive = new ArchiveProcessor({ dir, topics: ['t'], batchSize: 1 });
      await archive.process([record(offset, DAY, 't')]);
      await archive.close();
    }
    assert.deepEqual(lines(join(dir, 't', '2026-11-23.jsonl')).map((line) => (line as { offset: number }).offset), [0, 1]);
  });

  it('reports nothing durable when the write fails, so the records are read again', async () => {
    const notADirectory = join(mkdtempSync(join(tmpdir(), 'tickflow-archive-')), 'file');
    writeFileSync(notADirectory, 'in the way');
    const archive = new ArchiveProcessor({ dir: notADirectory, topics: ['t'], batchSize: 1 });
    await archive.process([record(0, DAY, 't')]);
    await assert.rejects(durable(archive));
    assert.equal(archive.stats().written, 0);
  });
});

describe('archive on a bus whose offsets outlive the process', () => {
  it('does not write a redelivered record twice, even when the crash came before the checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archive-'));
    const first = new ArchiveProcessor({ dir, topics: ['t'], batchSize: 2, dedupe: true });
    await first.process([record(0, DAY, 't'), record(1, DAY, 't')]);
    await first.close();
    // A crash after the data reached the file but before the checkpoint was saved:
    const file = join(dir, 't', '2026-11-23.jsonl');
    appendFileSync(file, JSON.stringify({ partition: 1, offset: 2, key: 'AAPL', timestamp: DAY, value: record(2, DAY, 't').value }) + '\n');

    const restarted = new ArchiveProcessor({ dir, topics: ['t'], batchSize: 3, dedupe: true });
    await restarted.process([record(1, DAY, 't'), record(2, DAY, 't'), record(3, DAY, 't')]);
    const done = await restarted.close();
    assert.deepEqual(done.map((r) => r.offset), [1, 2, 3], 'redelivered records still count as durable, so they get committed');
    assert.deepEqual(lines(file).map((line) => (line as { offset: number }).offset), [0, 1, 2, 3]);
    assert.equal(restarted.stats().duplicatesSkipped, 2);
  });

  it('cuts off a line a crash left half written before appending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archive-'));
    const file = join(dir, 't', '2026-11-23.jsonl');
    const archive = new ArchiveProcessor({ dir, topics: ['t'], batchSize: 1 });
    await archive.process([record(0, DAY, 't')]);
    await archive.close();
    appendFileSync(file, '{"partition":1,"offset":1,"key":"AA');
    const restarted = new ArchiveProcessor({ dir, topics: ['t'], batchSize: 1 });
    await restarted.process([record(1, DAY, 't')]);
    await restarted.close();
    assert.deepEqual(lines(file).map((line) => (line as { offset: number }).offset), [0, 1]);
    assert.equal(restarted.stats().truncatedLines, 1);
  });
});
