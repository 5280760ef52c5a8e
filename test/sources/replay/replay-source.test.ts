import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ERROR_CODES, TickflowError } from '../../../src/errors.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import { ManualClock } from '../../../src/clock.ts';
import { ReplaySource } from '../../../src/sources/replay/replay-source.ts';
import { isPending, waitFor, within } from '../../support/wait.ts';
import { collectingSink, FakeTimer, StalledTimer } from './sink.ts';

const ARCHIVE = join(import.meta.dirname, '../../fixtures/replay/raw-archive.jsonl');
const T = 1_700_000_000_000;

async function replay(options: Omit<ConstructorParameters<typeof ReplaySource>[0], 'path'> & { path?: string } = {}) {
  const source = new ReplaySource({ path: ARCHIVE, ...options });
  const sink = collectingSink();
  await source.start(sink);
  await within(source.done, 5_000, 'the replay');
  return { source, sink, records: sink.batches.flat() };
}

const times = (records: readonly MarketRecord[]): number[] => records.map((record) => record.tsEvent - T);

describe('ReplaySource (JSON Lines)', () => {
  it('reads archive lines and bare trades, dead-letters bad lines with their line number', async () => {
    const { source, sink, records } = await replay();
    assert.deepEqual(
      records.map((record) => `${record.type}:${record.symbol}:${record.source}:${record.type === 'trade' ? record.seq : '-'}`),
      ['trade:AAPL:finnhub:1700000000105000', 'trade:AAPL:finnhub:1700000001110000', 'trade:OANDA:EUR_USD:replay:3', 'gap:AAPL:finnhub:-', 'trade:AAPL:finnhub:1700000004100000'],
    );
    assert.deepEqual(records[2], { type: 'trade', source: 'replay', symbol: 'OANDA:EUR_USD', price: 1.0712, size: 0, conditions: null, tsEvent: T + 1_000, tsRecv: T + 1_000, seq: 3 });
    assert.equal('extra' in records[4]!, false, 'fields outside the model are dropped');
    assert.deepEqual(
      sink.letters.map((letter) => [letter.origin, letter.reason.replace(ARCHIVE, '<file>').slice(0, 24)]),
      [['replay', '<file> line 4: price mus'], ['replay', '<file> line 7: not JSON ']],
    );
    assert.equal(sink.letters[1]!.raw, 'this is not json');
    const status = source.status();
    assert.deepEqual([status.records, status.rejects, status.connected, status.fatalError], [5, 2, false, null]);
    const progress = source.progress();
    assert.deepEqual([progress.lines, progress.bytesRead, progress.totalBytes, progress.finished], [8, statSync(ARCHIVE).size, statSync(ARCHIVE).size, true]);
  });

  it('dead-letters a bad line at the recording\'s time: the last record\'s receive time, or the first one\'s before any', async () => {
    const { sink } = await replay();
    // Line 4 follows the bare trade of line 3 (no tsRecv: its tsEvent), line 7 the gap of line 6.
    assert.deepEqual(sink.letters.map((letter) => letter.tsRecv - T), [1_000, 3_000]);
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-replay-source-'));
    const early = join(dir, 'bad-first.jsonl');
    writeFileSync(early, ['not json', JSON.stringify({ type: 'trade', symbol: 'AAPL', price: 1, size: 1, tsEvent: T + 5, tsRecv: T + 9 }), ''].join('\n'));
    const { sink: first } = await replay({ path: early });
    assert.deepEqual(first.letters.map((letter) => letter.tsRecv - T), [9]);
  });

  it('hands records over in batches of at most batchSize', async () => {
    const { sink } = await replay({ batchSize: 2 });
    assert.deepEqual(sink.batches.map((batch) => batch.length), [2, 2, 1]);
  });

  it('paces by event time at N× with an injected timer, batching what is due together', async () => {
    const timer = new FakeTimer();
    const source = new ReplaySource({ path: ARCHIVE, speed: 10, timer });
    const dueAt: number[] = [];
    const sink = collectingSink(() => void dueAt.push(timer.now() - 1_000));
    await source.start(sink);
    await within(source.done, 5_000, 'the paced replay');
    // Event times 0, 1 000, 1 000, 3 000 (gap), 4 000 ms at 10×: due at 0, 100, 100, 300, 400 ms.
    assert.deepEqual(timer.sleeps, [100, 200, 100]);
    assert.deepEqual(sink.batches.map(times), [[0], [1_000, 1_000], [3_000], [4_000]]);
    assert.deepEqual(dueAt, [0, 100, 300, 400]);
  });

  it('replays at 1× in real proportions, and as fast as possible by default', async () => {
    const timer = new FakeTimer();
    await replay({ speed: 1, timer });
    assert.deepEqual(timer.sleeps, [1_000, 2_000, 1_000]);
    const fast = new FakeTimer();
    const { sink } = await replay({ timer: fast });
    assert.deepEqual([fast.sleeps, sink.batches.length], [[], 1]);
  });

  it('advances a ManualClock to the newest event time of each batch once the sink took it', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const source = new ReplaySource({ path: ARCHIVE, clock, batchSize: 2 });
    await source.start(collectingSink(() => void seen.push(clock.now())));
    await within(source.done, 5_000, 'the replay');
    assert.deepEqual(seen, [0, T + 1_000, T + 3_000]);
    assert.equal(clock.now(), T + 4_000);
    assert.equal(source.progress().lastEventTime, T + 4_000);
  });

  it('yields the same records, identities included, every time; `source` relabels with line numbers', async () => {
    const first = await replay();
    const second = await replay();
    assert.deepEqual(second.records, first.records);
    const { records } = await replay({ source: 'backfill' });
    assert.deepEqual(
      records.map((record) => `${record.source}:${record.type === 'trade' ? record.seq : record.type}`),
      ['backfill:1', 'backfill:2', 'backfill:3', 'backfill:gap', 'backfill:8'],
    );
  });

  it('stops when closed while waiting to pace, keeping what was handed over', async () => {
    const timer = new StalledTimer();
    const source = new ReplaySource({ path: ARCHIVE, speed: 1, timer });
    const sink = collectingSink();
    await source.start(sink);
    await waitFor(() => timer.sleeping === 1, 'the replay to wait for the second record');
    assert.ok(await isPending(source.done, 20));
    await within(source.close(), 1_000, 'close');
    await within(source.done, 1_000, 'done after close');
    await source.close();
    assert.deepEqual(sink.batches.map(times), [[0]]);
    assert.deepEqual([source.status().records, source.status().connected], [1, false]);
  });

  it('fails start, done and status for a file it cannot read', async () => {
    const source = new ReplaySource({ path: join(import.meta.dirname, 'no-such-file.jsonl') });
    await assert.rejects(source.start(collectingSink()), (error: unknown) => error instanceof TickflowError && error.code === ERROR_CODES.REPLAY_INPUT);
    await assert.rejects(source.done, TickflowError);
    assert.match(source.status().fatalError!, /no-such-file/);
    await source.close();
  });

  it('rejects done when the sink fails, and refuses a second start', async () => {
    const source = new ReplaySource({ path: ARCHIVE });
    await source.start({ records: async () => Promise.reject(new Error('bus closed')), deadLetter: async () => {} });
    await assert.rejects(source.done, /bus closed/);
    assert.equal(source.status().fatalError, 'bus closed');
    await assert.rejects(source.start(collectingSink()), (error: unknown) => (error as TickflowError).code === ERROR_CODES.USAGE);
  });

  it('ends at once when closed before it started', async () => {
    const source = new ReplaySource({ path: ARCHIVE });
    await within(source.close(), 1_000, 'close before start');
    const sink = collectingSink();
    await source.start(sink);
    await within(source.done, 1_000, 'done');
    assert.deepEqual(sink.batches, []);
  });

  it('reads quotes back from an archive of the raw topic, keeping their identity; bare quotes get defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-quotes-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const archived = { type: 'quote', source: 'lean', symbol: 'OANDA:EUR_USD', bid: 1.38694, ask: 1.38705, bidSize: null, askSize: 2_000_000, tsEvent: T, tsRecv: T + 4, seq: 2014050200000001 };
    const path = join(dir, 'quotes.jsonl');
    writeFileSync(path, [
      JSON.stringify({ partition: 0, offset: 0, key: archived.symbol, timestamp: T + 4, value: { ...archived, extra: 1 } }),
      JSON.stringify({ type: 'quote', symbol: 'OANDA:GBP_USD', bid: 1.25, ask: 1.2502, tsEvent: T + 1_000 }),
      JSON.stringify({ type: 'quote', symbol: 'OANDA:GBP_USD', bid: 0, ask: 1.2502, tsEvent: T + 2_000 }),
      JSON.stringify({ type: 'quote', symbol: 'OANDA:GBP_USD', bid: 1.25, ask: 1.2502, bidSize: -1, tsEvent: T + 3_000 }),
    ].join('\n'));
    const { sink, records } = await replay({ path });
    assert.deepEqual(records, [
      archived,
      { type: 'quote', source: 'replay', symbol: 'OANDA:GBP_USD', bid: 1.25, ask: 1.2502, bidSize: null, askSize: null, tsEvent: T + 1_000, tsRecv: T + 1_000, seq: 2 },
    ]);
    assert.deepEqual(sink.letters.map((letter) => letter.reason.replace(path, '<file>')), ['<file> line 3: bid must be a positive number', '<file> line 4: bidSize must be null or a number ≥ 0']);
  });

  it('validates its options', () => {
    assert.throws(() => new ReplaySource({ path: ARCHIVE, speed: 0 }), /speed/);
    assert.throws(() => new ReplaySource({ path: ARCHIVE, speed: 'fast' as never }), /speed/);
    assert.throws(() => new ReplaySource({ path: '' }), /path/);
    assert.equal(new ReplaySource({ path: ARCHIVE }).name, 'replay:raw-archive.jsonl');
  });
});
