import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Trade } from '../../../src/model/trade.ts';
import { IngestJournal } from '../../../src/sources/ingest/ingest-journal.ts';

function trade(seq: number): Trade {
  return { type: 'trade', source: 'test', symbol: 'AAPL', price: 100 + seq / 100, size: 1, conditions: null, tsEvent: 1_700_000_000_000 + seq, tsRecv: 1_700_000_000_001 + seq, seq };
}

const journalDir = () => join(mkdtempSync(join(tmpdir(), 'tickflow-journal-')), 'journal');

describe('IngestJournal', () => {
  it('writes appends made during a sync together in the next one (group commit), and reads them back in order', async () => {
    const dir = journalDir();
    const journal = await IngestJournal.open(dir);
    const appends = Array.from({ length: 200 }, (_, i) => journal.append([trade(2 * i), trade(2 * i + 1)]).synced);
    await Promise.all(appends);
    // One sync for the first append, one for the 199 made while it was in flight.
    assert.ok(journal.syncs <= 3, `${journal.syncs} syncs for 200 appends`);
    await journal.close();

    const reopened = await IngestJournal.open(dir);
    assert.deepEqual(reopened.recovered.records.map((record) => (record as Trade).seq), Array.from({ length: 400 }, (_, i) => i));
    assert.equal(reopened.recovered.tornRecords, 0);
    await reopened.close();
  });

  it('cuts off a last record a crash left half-written, and a record whose checksum fails, keeping what precedes them', async () => {
    const dir = journalDir();
    const journal = await IngestJournal.open(dir);
    await journal.append([trade(1), trade(2), trade(3)]).synced;
    await journal.close();
    const [segment] = readdirSync(dir);
    const path = join(dir, segment!);
    const whole = readFileSync(path);
    const lines = whole.toString('utf8').split('\n');
    // Torn: the third line without its end.
    writeFileSync(path, `${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 40)}`);
    const torn = await IngestJournal.open(dir);
    assert.deepEqual(torn.recovered.records.map((record) => (record as Trade).seq), [1, 2]);
    assert.equal(torn.recovered.tornRecords, 1);
    assert.equal(statSync(path).size, Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`), 'the torn tail is truncated');
    await torn.close();

    // Corrupted: a complete line whose bytes changed after its checksum was taken (a power loss mid-page).
    appendFileSync(path, `${lines[2]!.replace('"size":1', '"size":9')}\n`);
    const corrupted = await IngestJournal.open(dir);
    assert.deepEqual(corrupted.recovered.records.map((record) => (record as Trade).seq), [1, 2]);
    assert.equal(corrupted.recovered.tornRecords, 1);
    await corrupted.close();
  });

  it('starts a new segment on rotate, after what was appended before it; removed segments are not read again', async () => {
    const dir = journalDir();
    const journal = await IngestJournal.open(dir);
    const first = journal.append([trade(1), trade(2)]).synced;
    const sealed = journal.rotate();
    assert.equal(journal.segmentRecords, 0);
    const second = journal.append([trade(3)]).synced;
    await Promise.all([first, second]);
    assert.equal(readdirSync(dir).length, 2);
    await journal.remove([sealed]);
    assert.equal(existsSync(sealed.path), false);
    await journal.close();

    const reopened = await IngestJournal.open(dir);
    assert.deepEqual(reopened.recovered.records.map((record) => (record as Trade).seq), [3]);
    await reopened.remove(reopened.recovered.segments);
    await reopened.close();
    const again = await IngestJournal.open(dir);
    assert.equal(again.recovered.records.length, 0);
    await again.close();
  });

  it('fails every later append once the disk refused a write', async () => {
    const dir = journalDir();
    const journal = await IngestJournal.open(dir);
    await journal.close();
    // The file handle is closed underneath: the next write fails like a disk error would.
    await assert.rejects(journal.append([trade(1)]).written);
    await assert.rejects(journal.append([trade(2)]).synced);
  });
});
