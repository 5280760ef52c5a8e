import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts';
import type { Trade } from '../../src/model/trade.ts';
import { topicSpecs } from '../../src/cli/compose/topic-specs.ts';
import { topicNames } from '../../src/topics.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { KAFKA_BROKERS, requireBroker } from '../support/kafka.ts';
import { waitFor, within } from '../support/wait.ts';

const TRADES = 12_000;
const prefix = `faults-${randomBytes(4).toString('hex')}-`;
const dataDir = mkdtempSync(join(tmpdir(), 'tickflow-faults-'));
const day = '2026-11-20';
const archiveFile = join(dataDir, 'archive', topicNames(prefix).raw, `${day}.jsonl`);
const children: RunningCli[] = [];

before(async () => {
  await requireBroker();
  const bus = new KafkaBus({ brokers: KAFKA_BROKERS, clientId: 'faults-seed' });
  await bus.ensureTopics(topicSpecs({ topicPrefix: prefix, partitions: 3, retentionMs: 3_600_000 }));
  const producer = bus.producer();
  const start = Date.parse(`${day}T14:30:00Z`);
  const symbols = ['AAPL', 'MSFT', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT'];
  for (let first = 0; first < TRADES; first += 1_000) {
    const batch = Array.from({ length: 1_000 }, (_, i): Trade => {
      const n = first + i;
      return { type: 'trade', source: 'faults', symbol: symbols[n % 4]!, price: 100 + (n % 50) / 10, size: 1, conditions: null, tsEvent: start + n, tsRecv: start + n, seq: n };
    });
    await producer.send(topicNames(prefix).raw, batch.map((trade) => ({ key: trade.symbol, value: trade })));
  }
  await bus.close();
});

after(() => {
  for (const child of children) child.child.kill('SIGKILL');
});

function archivedSeqs(): number[] {
  if (!existsSync(archiveFile)) return [];
  // Only complete lines: the archive may be writing (or have been killed writing) the last one.
  const lines = readFileSync(archiveFile, 'utf8').split('\n').slice(0, -1);
  return lines.map((line) => (JSON.parse(line) as { value: Trade }).value.seq);
}

async function startArchive(): Promise<RunningCli> {
  const archive = startCli(['run', 'archive'], {
    KAFKA_BROKERS: KAFKA_BROKERS.join(','),
    TICKFLOW_TOPIC_PREFIX: prefix,
    TICKFLOW_DATA_DIR: dataDir,
    TICKFLOW_ARCHIVE_BATCH: '50',
    // A killed member holds its partitions until its session expires: keep that short here.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    PORT: String(await freePort()),
  });
  children.push(archive);
  return archive;
}

it('archives every trade exactly once although the archive is killed -9 three times mid-stream', async () => {
  for (const killAt of [1_500, 4_000, 7_000]) {
    const archive = await startArchive();
    await waitFor(() => archivedSeqs().length >= killAt, `${killAt} trades archived`, 60_000);
    archive.child.kill('SIGKILL');
    await archive.exited;
  }
  const partialBeforeLastStart = archivedSeqs().length;
  assert.ok(partialBeforeLastStart < TRADES, 'the kills happened mid-stream');

  const archive = await startArchive();
  await waitFor(() => archivedSeqs().length >= TRADES, `all ${TRADES} trades archived`, 90_000);
  archive.child.kill('SIGINT');
  assert.equal(await within(archive.exited, 30_000, 'archive to stop'), 0);

  const seqs = archivedSeqs();
  assert.equal(new Set(seqs).size, TRADES, 'every trade is there');
  assert.equal(seqs.length, TRADES, 'and none twice');
});
