import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { startCli } from '../support/cli.ts';
import { KAFKA_BROKERS, kafkaFixture, type KafkaFixture } from '../support/kafka.ts';
import { within } from '../support/wait.ts';

let fixture: KafkaFixture | undefined;
after(() => within(fixture?.close() ?? Promise.resolve(), 20_000, 'deleting the topics'));

it('tickflow topics create and describe use the names set by TICKFLOW_TOPIC_<KIND>', async () => {
  fixture = await kafkaFixture();
  const prefix = `${fixture.uniqueName('named')}-`;
  const env = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), TICKFLOW_TOPIC_PREFIX: prefix, TICKFLOW_TOPIC_SIGNALS: 'trading_signals', KAFKA_PRICE_EVENTS_TOPIC: 'price_events' };
  const create = startCli(['topics', 'create', '--partitions', '1'], env);
  assert.equal(await within(create.exited, 30_000, 'topics create'), 0, create.stderr());
  const created = create.stdout().split('\n').flatMap((line) => /^created\s+(\S+)/.exec(line)?.[1] ?? []);
  assert.deepEqual(created.sort(), ['aggregated-metrics', 'aggregator-state', 'alerts', 'dead-letter', 'executions', 'orders', 'price_events', 'raw-market-data', 'trading_signals'].map((name) => `${prefix}${name}`).sort());
  const describe = startCli(['topics', 'describe'], env);
  assert.equal(await within(describe.exited, 30_000, 'topics describe'), 0, describe.stderr());
  assert.match(describe.stdout(), new RegExp(`^${prefix}trading_signals  partitions=1`, 'm'));
  assert.doesNotMatch(describe.stdout(), /missing/);
});
