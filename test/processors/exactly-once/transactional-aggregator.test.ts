import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaTransaction } from '../../../src/bus/kafka/transactions.ts';
import { StatefulAggregator, type StatefulAggregatorOptions } from '../../../src/processors/aggregator/stateful-aggregator.ts';
import { TransactionalRunner } from '../../../src/processors/runner/kafka/transactional-runner.ts';
import { systemClock } from '../../../src/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { kafkaFixture, type KafkaFixture } from '../../support/kafka.ts';
import { waitFor, within } from '../../support/wait.ts';
import { committedOutputs, createTopics, feed, firstDifference, PARTITIONS, scenarioTopics, waitCaughtUp, type ScenarioTopics } from './kafka-scenario.ts';
import { aggregatorOptions, AGGREGATOR_SETTINGS, expectedOutputs, marketRecords, outgoing } from './scenario.ts';

// Against a real broker (KAFKA_BROKERS, default 127.0.0.1:9092): start one with `npm run kafka:start`.
const logger = createLogger({ level: 'silent' });

function runner(fixture: KafkaFixture, topics: ScenarioTopics, instanceId: string, overrides: Partial<StatefulAggregatorOptions> = {}): TransactionalRunner {
  const processor = new StatefulAggregator({ ...aggregatorOptions({ input: topics.input, output: topics.output, deadLetters: topics.deadLetters }), ...overrides });
  return new TransactionalRunner({ bus: fixture.bus, processor, groupId: topics.group, stateTopic: topics.state, instanceId, clock: systemClock, logger, maxBatchSize: 40, tickMs: 50 });
}

describe('exactly-once aggregator on Kafka', () => {
  let fixture: KafkaFixture;
  before(async () => {
    fixture = await kafkaFixture();
  });
  after(() => fixture?.close());

  it('continues its windows and bars after a clean restart, as if it had never stopped', async () => {
    const topics = scenarioTopics(fixture.uniqueName);
    await createTopics(fixture.bus, topics);
    const records = outgoing(marketRecords(1_200, 11));
    const firstHalf = records.slice(0, 600);

    const first = runner(fixture, topics, 'a');
    await first.start();
    await feed(fixture.bus, topics, firstHalf);
    await waitCaughtUp(fixture.admin, topics, 20_000);
    await within(first.stop(), 15_000, 'first stop');
    const before = await committedOutputs(fixture.bus, topics.output);

    const second = runner(fixture, topics, 'a');
    await second.start();
    const input = await feed(fixture.bus, topics, records.slice(600), firstHalf);
    await waitCaughtUp(fixture.admin, topics, 20_000);
    await within(second.stop(), 15_000, 'second stop');

    const expected = expectedOutputs(aggregatorOptions(topics), input, PARTITIONS).get(topics.output)!;
    const actual = await committedOutputs(fixture.bus, topics.output);
    assert.equal(firstDifference(actual, expected), 'none');
    // The first metrics after the restart cover a full window: it was restored, not refilled.
    const resumed = actual.map((outputs, partition) => outputs.slice(before[partition]!.length)).flat() as Array<{ type: string; count: number }>;
    const firstMetrics = resumed.filter((value) => value.type === 'window-metrics').slice(0, PARTITIONS);
    assert.ok(firstMetrics.length > 0 && firstMetrics.every((metrics) => metrics.count === AGGREGATOR_SETTINGS.windowSize), JSON.stringify(firstMetrics));
    assert.ok(second.status().transactions > 0);
  });

  it('moves state with partitions when members join and leave the group', async () => {
    const topics = scenarioTopics(fixture.uniqueName);
    await createTopics(fixture.bus, topics);
    const records = outgoing(marketRecords(1_500, 12));
    const a = runner(fixture, topics, 'a');
    const b = runner(fixture, topics, 'b');
    await a.start();
    await feed(fixture.bus, topics, records.slice(0, 500));
    await waitCaughtUp(fixture.admin, topics, 20_000);

    await b.start();
    await waitFor(() => b.status().partitions.length > 0 && a.status().partitions.length < PARTITIONS, 'the partitions to be shared', 20_000);
    await feed(fixture.bus, topics, records.slice(500, 1_000));
    await waitCaughtUp(fixture.admin, topics, 20_000);

    await within(a.stop(), 15_000, 'a stops');
    await waitFor(() => b.status().partitions.length === PARTITIONS, 'b to take every partition', 20_000);
    const input = await feed(fixture.bus, topics, records.slice(1_000), records.slice(0, 1_000));
    await waitCaughtUp(fixture.admin, topics, 20_000);
    await within(b.stop(), 15_000, 'b stops');

    const expected = expectedOutputs(aggregatorOptions(topics), input, PARTITIONS).get(topics.output)!;
    assert.equal(firstDifference(await committedOutputs(fixture.bus, topics.output), expected), 'none');
  });

  it('aborts and redoes a batch whose transaction a rebalance overtook (its generation is refused)', async (t) => {
    const topics = scenarioTopics(fixture.uniqueName);
    await createTopics(fixture.bus, topics);
    const records = outgoing(marketRecords(1_000, 14));
    // The next transaction to commit offsets first waits for `hold` (once).
    let hold: (() => Promise<void>) | null = null;
    let entered = false;
    const sendOffsets = KafkaTransaction.prototype.sendOffsets;
    t.after(() => (KafkaTransaction.prototype.sendOffsets = sendOffsets));
    KafkaTransaction.prototype.sendOffsets = async function (this: KafkaTransaction, ...args: Parameters<typeof sendOffsets>) {
      const wait = hold;
      hold = null;
      if (wait) {
        entered = true;
        await wait();
      }
      return sendOffsets.apply(this, args);
    };

    const a = runner(fixture, topics, 'a');
    const b = runner(fixture, topics, 'b');
    await a.start();
    await feed(fixture.bus, topics, records.slice(0, 300));
    await waitCaughtUp(fixture.admin, topics, 20_000);
    // Released once b joined: the group is then in a generation after the one a's transaction carries.
    let joined: () => void = () => {};
    hold = () => new Promise<void>((resolve) => (joined = resolve));
    await feed(fixture.bus, topics, records.slice(300, 600));
    await waitFor(() => entered, 'a transaction of a to be open', 10_000);
    await b.start();
    joined();
    const input = await feed(fixture.bus, topics, records.slice(600), records.slice(0, 600));
    await waitCaughtUp(fixture.admin, topics, 30_000);
    await within(Promise.all([a.stop(), b.stop()]), 15_000, 'stops');

    assert.ok(a.status().aborted >= 1, JSON.stringify(a.status()));
    assert.equal(a.status().failures, 0, `handled without starting over: ${a.status().lastError}`);
    const expected = expectedOutputs(aggregatorOptions(topics), input, PARTITIONS).get(topics.output)!;
    assert.equal(firstDifference(await committedOutputs(fixture.bus, topics.output), expected), 'none');
  });

  it('stops an instance once another one started with its id (fenced), and loses nothing', async () => {
    const topics = scenarioTopics(fixture.uniqueName);
    await createTopics(fixture.bus, topics);
    const records = outgoing(marketRecords(900, 15));
    const old = runner(fixture, topics, 'a');
    await old.start();
    await feed(fixture.bus, topics, records.slice(0, 300));
    await waitCaughtUp(fixture.admin, topics, 20_000);

    const successor = runner(fixture, topics, 'a');
    await successor.start();
    await feed(fixture.bus, topics, records.slice(300, 600));
    await waitFor(() => old.status().fenced, 'the old instance to be fenced', 20_000);
    const input = await feed(fixture.bus, topics, records.slice(600), records.slice(0, 600));
    await waitCaughtUp(fixture.admin, topics, 30_000);
    await within(Promise.all([old.stop(), successor.stop()]), 15_000, 'stops');

    assert.equal(old.status().running, false);
    assert.equal(successor.status().fenced, false);
    const expected = expectedOutputs(aggregatorOptions(topics), input, PARTITIONS).get(topics.output)!;
    assert.equal(firstDifference(await committedOutputs(fixture.bus, topics.output), expected), 'none');
  });

  it('closes bars on the wall clock once each across a restart, with the same window metrics as ever', async () => {
    const topics = scenarioTopics(fixture.uniqueName);
    await createTopics(fixture.bus, topics);
    // Event times from 1 s to ~4 s ahead of the clock: the ticks close their bars while the test runs.
    const generated = marketRecords(800, 13) as Array<{ tsEvent: number; tsRecv: number }>;
    const shift = Date.now() + 1_000 - generated[0]!.tsEvent;
    const records = outgoing(generated.map((record) => ({ ...record, tsEvent: record.tsEvent + shift, tsRecv: record.tsRecv + shift })));
    const onClock = { closeBarsOnEventTime: false };

    const first = runner(fixture, topics, 'a', onClock);
    await first.start();
    await feed(fixture.bus, topics, records.slice(0, 400));
    await waitCaughtUp(fixture.admin, topics, 20_000);
    await waitFor(async () => (await committedOutputs(fixture.bus, topics.output)).flat().some((value) => (value as { type: string }).type === 'bar'), 'a bar closed on the clock', 10_000);
    await within(first.stop(), 15_000, 'first stop');

    const second = runner(fixture, topics, 'a', onClock);
    await second.start();
    const input = await feed(fixture.bus, topics, records.slice(400), records.slice(0, 400));
    await waitCaughtUp(fixture.admin, topics, 20_000);
    // Every 1 s bar of the input ends by its last event time + 1 s; closed once the clock passes that + lateness.
    const lastEnd = Math.ceil(((records.at(-1)!.value as { tsEvent: number }).tsEvent + 1) / 1_000) * 1_000;
    await waitFor(() => Date.now() > lastEnd + AGGREGATOR_SETTINGS.barLatenessMs + 300, 'the clock to pass the last bar', 10_000);
    await within(second.stop(), 15_000, 'second stop');

    const actual = (await committedOutputs(fixture.bus, topics.output)) as Array<Array<{ type: string; symbol: string; interval?: string; start?: number }>>;
    const metricsOnly = (outputs: readonly unknown[][]) => outputs.map((values) => values.filter((value) => (value as { type: string }).type === 'window-metrics'));
    const expected = expectedOutputs(aggregatorOptions(topics), input, PARTITIONS).get(topics.output)!;
    assert.equal(firstDifference(metricsOnly(actual), metricsOnly(expected)), 'none');
    const bars = actual.flat().filter((value) => value.type === 'bar');
    const ids = bars.map((bar) => `${bar.symbol}/${bar.interval}/${bar.start}`);
    assert.ok(bars.filter((bar) => bar.interval === '1s').length > 10, `${bars.length} bars`);
    assert.equal(new Set(ids).size, ids.length, 'no bar published twice');
  });
});
