import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DeadLetter } from '../../../src/model/dead-letter.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { IngestJournal, parseSegment } from '../../../src/sources/ingest/ingest-journal.ts';
import { JournalSink } from '../../../src/sources/ingest/journal-sink.ts';
import type { SourceSink } from '../../../src/sources/source.ts';

function trade(seq: number): Trade {
  return { type: 'trade', source: 'test', symbol: 'AAPL', price: 100, size: 1, conditions: null, tsEvent: 1_700_000_000_000 + seq, tsRecv: 1_700_000_000_000 + seq, seq };
}

const seqs = (records: readonly MarketRecord[]) => records.map((record) => (record as Trade).seq);

/** What the bus got; one partition, whose end offset is how many records were published. */
class RecordingSink implements SourceSink {
  readonly published: MarketRecord[] = [];
  onRecords: (batch: readonly MarketRecord[]) => void = () => {};
  async records(batch: readonly MarketRecord[]): Promise<void> {
    this.onRecords(batch);
    this.published.push(...batch);
  }
  async deadLetter(_letter: DeadLetter): Promise<void> {}
}

function journaledInDir(dir: string): number[] {
  return readdirSync(dir).flatMap((name) => seqs(parseSegment(readFileSync(join(dir, name))).parsed));
}

describe('JournalSink', () => {
  it('publishes a record only once the journal holds it, in the order received', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tickflow-journal-sink-')), 'journal');
    const journal = await IngestJournal.open(dir);
    const bus = new RecordingSink();
    bus.onRecords = (batch) => {
      const onDisk = new Set(journaledInDir(dir));
      assert.ok(seqs(batch).every((seq) => onDisk.has(seq)), 'published before it was journaled');
    };
    const sink = new JournalSink({ journal, sink: bus, offsets: async () => ({ ends: [bus.published.length], committed: [bus.published.length] }) });
    await sink.replay();
    for (let i = 0; i < 50; i++) await sink.records([trade(2 * i), trade(2 * i + 1)]);
    await sink.flush();
    assert.deepEqual(seqs(bus.published), Array.from({ length: 100 }, (_, i) => i));
    assert.ok(journal.syncs < 50, `group commit: ${journal.syncs} syncs for 50 frames`);
    await sink.close();
  });

  it('publishes a record once the journal wrote it, without waiting for its fdatasync (as a broker acknowledges from the page cache)', async () => {
    const syncs = Promise.withResolvers<void>();
    const journal = { recovered: { records: [], segments: [], bytes: 0, tornRecords: 0 }, append: () => ({ written: Promise.resolve(), synced: syncs.promise }) };
    const bus = new RecordingSink();
    const sink = new JournalSink({ journal: journal as unknown as IngestJournal, sink: bus, offsets: async () => ({ ends: [bus.published.length], committed: [] }), maxUnsynced: 100 });
    await sink.records([trade(1), trade(2)]);
    await sink.flush();
    assert.deepEqual(seqs(bus.published), [1, 2], 'published while the sync is still pending');
    syncs.resolve();
  });

  it('makes the source wait for the sync once more than maxUnsynced records are not on disk', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tickflow-journal-sink-')), 'journal');
    const journal = await IngestJournal.open(dir);
    const bus = new RecordingSink();
    const offsets = async () => ({ ends: [bus.published.length], committed: [bus.published.length] });
    const roomy = new JournalSink({ journal, sink: bus, offsets, maxUnsynced: 100 });
    await roomy.records([trade(1), trade(2), trade(3)]);
    assert.equal(journal.syncs, 0, 'under the bound the source does not wait for the disk');
    await roomy.flush();

    const tight = new JournalSink({ journal, sink: bus, offsets, maxUnsynced: 2 });
    const before = journal.syncs;
    await tight.records([trade(4), trade(5), trade(6)]);
    assert.ok(journal.syncs > before, 'over the bound records() resolves only after the sync');
    await tight.close();
  });

  it('deletes a segment once every consumer committed its records, and publishes what remains at the next start', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tickflow-journal-sink-')), 'journal');
    const bus = new RecordingSink();
    let committed = 0;
    const offsets = async () => ({ ends: [bus.published.length], committed: [committed] });
    const sink = new JournalSink({ journal: await IngestJournal.open(dir), sink: bus, offsets });
    await sink.replay();
    await sink.records([trade(1), trade(2), trade(3)]);
    await sink.housekeep();
    assert.deepEqual(journaledInDir(dir), [1, 2, 3], 'not committed yet: kept');
    committed = 2;
    await sink.housekeep();
    assert.deepEqual(journaledInDir(dir), [1, 2, 3], 'partly committed: kept');
    committed = 3;
    await sink.housekeep();
    assert.deepEqual(journaledInDir(dir), [], 'committed: deleted');

    await sink.records([trade(4), trade(5)]);
    await sink.close();
    assert.deepEqual(journaledInDir(dir), [4, 5], 'uncommitted at close: kept');

    const restarted = new RecordingSink();
    const next = new JournalSink({ journal: await IngestJournal.open(dir), sink: restarted, offsets: async () => ({ ends: [restarted.published.length], committed: [restarted.published.length] }) });
    assert.equal(await next.replay(), 2);
    assert.deepEqual(seqs(restarted.published), [4, 5]);
    await next.housekeep();
    assert.deepEqual(journaledInDir(dir), [], 'replayed and committed: deleted');
    await next.close();
  });
});
