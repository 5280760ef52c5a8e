/**
 * What the ingest journal costs, side by side in one run: trades handed to the sink in frames (as
 * the feed does) until a consumer group on the in-memory bus committed all of them, once through the
 * bus sink alone and once through the journal in front of it (a write and an fdatasync per group
 * commit). The scenarios take turns for several rounds, each in a fresh directory: the machine is
 * shared, so trust the ratio more than the rates. Then, with `--kills N`, N kills -9 of `tickflow up`
 * at 10,000 trades/s with and without the journal, taking turns (test/support/kill-run.ts); a loss in
 * ms of feed is the trades lost over those 10,000 trades/s.
 *
 *   node bench/ingest-journal.ts [--trades 200000] [--frame 100] [--rounds 3] [--kills 0]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryBus } from '../src/bus/memory/memory-bus.ts';
import type { Trade } from '../src/model/trade.ts';
import { BusSink } from '../src/sources/ingest/bus-sink.ts';
import { IngestJournal } from '../src/sources/ingest/ingest-journal.ts';
import { JournalSink } from '../src/sources/ingest/journal-sink.ts';
import type { SourceSink } from '../src/sources/source.ts';
import { topicNames } from '../src/topics.ts';
import { KILL_RATE, killAndRestart, running, type KillOutcome } from '../test/support/kill-run.ts';

const { values } = parseArgs({
  options: {
    trades: { type: 'string', default: '200000' },
    frame: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    kills: { type: 'string', default: '0' },
  },
});
const trades = Number(values.trades);
const frame = Number(values.frame);
const rounds = Number(values.rounds);
const kills = Number(values.kills);
const topics = topicNames('');
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'SPY', 'OANDA:EUR_USD', 'OANDA:GBP_USD', 'BINANCE:BTCUSDT', 'BINANCE:ETHUSDT'];

type Scenario = 'bus' | 'journal';

async function run(scenario: Scenario): Promise<{ perSecond: number; syncs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  const bus = new MemoryBus();
  await bus.ensureTopics([{ name: topics.raw, partitions: 4 }]);
  const consumer = await bus.consumer({ groupId: 'bench', topics: [topics.raw] });
  const busSink = new BusSink(bus.producer(), topics);
  const journal = scenario === 'journal' ? await IngestJournal.open(dir) : null;
  const sink: SourceSink = journal ? new JournalSink({ journal, sink: busSink, offsets: async () => ({ ends: [], committed: [] }) }) : busSink;
  let committed = 0;
  const consuming = (async () => {
    for await (const batch of consumer) {
      await consumer.commit(batch);
      committed += batch.length;
      if (committed >= trades) return;
    }
  })();
  const started = performance.now();
  const now = Date.now();
  for (let first = 0; first < trades; first += frame) {
    const batch = Array.from({ length: Math.min(frame, trades - first) }, (_, i): Trade => {
      const n = first + i;
      return { type: 'trade', source: 'bench', symbol: SYMBOLS[n % SYMBOLS.length]!, price: 100 + (n % 100) / 100, size: 10, conditions: ['1'], tsEvent: now + n, tsRecv: now + n, seq: now * 1000 + n };
    });
    await sink.records(batch);
  }
  await consuming;
  const seconds = (performance.now() - started) / 1000;
  const syncs = journal?.syncs ?? 0;
  if (sink instanceof JournalSink) await sink.close();
  await bus.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: Math.round(trades / seconds), syncs };
}

const median = (numbers: number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const results: Record<Scenario, Array<{ perSecond: number; syncs: number }>> = { bus: [], journal: [] };
for (let round = 0; round < rounds; round++) {
  const order: Scenario[] = round % 2 === 0 ? ['bus', 'journal'] : ['journal', 'bus'];
  for (const scenario of order) results[scenario].push(await run(scenario));
}
const bus = median(results.bus.map((result) => result.perSecond));
const journaled = median(results.journal.map((result) => result.perSecond));
const syncs = median(results.journal.map((result) => result.syncs));
console.log(`| scenario | trades/s (median of ${rounds}) | vs bus sink alone | fdatasyncs | trades per sync |`);
console.log('|---|---|---|---|---|');
console.log(`| bus sink alone (no journal) | ${bus.toLocaleString('en-US')} | 1.00× | 0 | |`);
console.log(`| journal, then bus sink | ${journaled.toLocaleString('en-US')} | ${(journaled / bus).toFixed(2)}× | ${syncs} | ${Math.round(trades / syncs)} |`);

if (kills > 0) {
  const outcomes: Record<'on' | 'off', KillOutcome[]> = { on: [], off: [] };
  try {
    for (let kill = 0; kill < kills; kill++) {
      for (const journal of kill % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) outcomes[journal].push(await killAndRestart(journal));
    }
  } finally {
    for (const cli of running) cli.child.kill('SIGKILL');
  }
  // "ms of feed": trades lost over the simulator's rate; the ingest rate is what this machine kept up with.
  console.log('\n| journal | kill | received | ingest rate (trades/s) | lost from the archive | ms of feed | lost from the store | ms of feed | archived twice |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const journal of ['on', 'off'] as const) {
    outcomes[journal].forEach((outcome, kill) => {
      const archiveLost = outcome.received - outcome.archived;
      const storeLost = outcome.received - outcome.stored;
      const ms = (lost: number) => Math.round((Math.max(0, lost) * 1000) / KILL_RATE);
      console.log(`| ${journal} | ${kill + 1} | ${outcome.received} | ${outcome.rate} | ${archiveLost} | ${ms(archiveLost)} | ${storeLost} | ${ms(storeLost)} | ${outcome.archivedLines - outcome.archived} |`);
    });
  }
}
