import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { ArchiveProcessor } from '../../../src/processors/archive/archive-processor.ts';
import { archivedValues } from '../../../src/processors/archive/archived-values.ts';

const DAY = Date.UTC(2026, 10, 23, 14, 30);
const TOPIC = 'raw-market-data';

function trade(seq: number) {
  return { type: 'trade', source: 'test', symbol: 'AAPL', price: 100 + seq, size: 1, conditions: null, tsEvent: DAY + seq, tsRecv: DAY + seq + 1, seq };
}

function busRecord(offset: number, value: ReturnType<typeof trade>): BusRecord {
  return { topic: TOPIC, partition: 0, offset, key: 'AAPL', timestamp: value.tsRecv, value };
}

async function archiveAll(archive: ArchiveProcessor, records: readonly BusRecord[]): Promise<void> {
  await archive.process(records);
  await archive.close();
}

describe('records published again after a crash', () => {
  it('are found in the archive by value, and skipped once each when they come again with new offsets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archived-'));
    // Before the crash: the archive wrote trades 1–3 (offsets of that run's bus).
    await archiveAll(new ArchiveProcessor({ dir, topics: [TOPIC] }), [1, 2, 3].map((seq) => busRecord(seq - 1, trade(seq))));

    // The journal held 2–5: 2 and 3 were archived, 4 and 5 were not.
    const journal = [2, 3, 4, 5].map(trade);
    const held = await archivedValues(dir, TOPIC, journal);
    assert.deepEqual([...held].map((json) => (JSON.parse(json) as { seq: number }).seq).sort(), [2, 3]);

    // After the restart the bus numbers from 0 again: 2–5 come as offsets 0–3, then a live trade 6.
    const restarted = new ArchiveProcessor({ dir, topics: [TOPIC], alreadyArchived: { topic: TOPIC, values: held } });
    await archiveAll(restarted, [...journal, trade(6)].map((value, offset) => busRecord(offset, value)));
    const seqs = readFileSync(join(dir, TOPIC, '2026-11-23.jsonl'), 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { value: { seq: number } }).value.seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);
    assert.equal(restarted.stats().duplicatesSkipped, 2);
  });

  it('finds nothing when the archive has no file for their day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-archived-'));
    assert.equal((await archivedValues(dir, TOPIC, [trade(1)])).size, 0);
  });
});
