import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { KAFKA_BROKERS, kafkaFixture, type KafkaFixture } from '../../support/kafka.ts';
import { waitFor, within } from '../../support/wait.ts';
import { committedOutputs, createTopics, feed, firstDifference, PARTITIONS, scenarioTopics, waitCaughtUp, type ScenarioTopics } from './kafka-scenario.ts';
import { aggregatorOptions, byTopicAndPartition, expectedOutputs, marketRecords, outgoing } from './scenario.ts';

// Against a real broker (KAFKA_BROKERS, default 127.0.0.1:9092): start one with `npm run kafka:start`.
const CHILD = fileURLToPath(new URL('./aggregator-child.ts', import.meta.url));

function startChild(topics: ScenarioTopics, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CHILD], {
    env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: KAFKA_BROKERS.join(','), SCENARIO: JSON.stringify(topics), MAX_BATCH: '25', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** What a read_committed group consumer reads from `topic` now: waits for `expected` outputs per partition, then a moment for any more. */
async function consumeCommitted(fixture: KafkaFixture, topic: string, expected: readonly unknown[][]): Promise<unknown[][]> {
  const consumer = await fixture.bus.consumer({ groupId: fixture.uniqueName('reader'), topics: [topic], startFrom: 'earliest' });
  const records: BusRecord[] = [];
  const reading = (async () => {
    for await (const batch of consumer) records.push(...batch);
  })();
  try {
    const wanted = expected.flat().length;
    await waitFor(() => records.length >= wanted, `${wanted} committed outputs`, 15_000);
    // Nothing more may come: the open transaction's outputs stay invisible.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await consumer.close();
    await reading;
  }
  return byTopicAndPartition(records, PARTITIONS).get(topic) ?? [];
}

describe('exactly-once aggregator, killed mid-transaction', () => {
  let fixture: KafkaFixture;
  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  it('after kill -9 and a restart, read_committed consumers see exactly the outputs of an uninterrupted run', async () => {
    const topics = scenarioTopics(fixture.uniqueName);
    await createTopics(fixture.bus, topics);
    const input = await feed(fixture.bus, topics, outgoing(marketRecords(4_000, 5)));
    const options = aggregatorOptions(topics);
    const expected = expectedOutputs(options, input, PARTITIONS).get(topics.output)!;

    // Commits 19 transactions of 25 records, writes the 20th (outputs, state, offsets) and is killed before committing it.
    const first = startChild(topics, { HANG_AT: '20' });
    try {
      await waitFor(() => first.stdout().includes('open 20\n'), 'the 20th transaction to be written', 30_000);
    } finally {
      first.child.kill('SIGKILL');
    }
    assert.equal(await within(first.exited, 5_000, 'killed child exit'), 'SIGKILL');
    assert.match(first.stdout(), /committed 19\n/);

    // While its transaction is open: exactly the outputs of the input the group committed.
    const [group] = await fixture.admin.listConsumerGroupOffsets({ groups: [{ groupId: topics.group, topics: [{ name: topics.input, partitionIndexes: [...Array(PARTITIONS).keys()] }] }] });
    const committed = new Map(group!.topics[0]!.partitions.map((partition) => [partition.partitionIndex, Number(partition.committedOffset)]));
    const done = input.filter((record) => record.offset < (committed.get(record.partition) ?? 0));
    assert.ok(done.length > 0 && done.length < input.length, `${done.length} records committed before the kill`);
    const expectedSoFar = expectedOutputs(options, done, PARTITIONS).get(topics.output)!;
    assert.equal(firstDifference(await consumeCommitted(fixture, topics.output, expectedSoFar), expectedSoFar), 'none');

    // Restarted: aborts the open transaction, rebuilds its state, finishes.
    const second = startChild(topics);
    try {
      await waitCaughtUp(fixture.admin, topics, 40_000);
    } finally {
      second.child.kill('SIGTERM');
    }
    assert.equal(await within(second.exited, 15_000, 'restarted child exit'), 0, second.stderr());

    const actual = await committedOutputs(fixture.bus, topics.output);
    assert.equal(firstDifference(actual, expected), 'none');
    assert.equal(firstDifference(await consumeCommitted(fixture, topics.output, expected), expected), 'none');
    // The one invalid record was dead-lettered once, not once per attempt.
    const reader = fixture.bus.committedReader();
    const deadLetters = await reader.readToEnd(topics.deadLetters, [0]);
    await reader.close();
    assert.equal(deadLetters.length, 1);
  });
});
