/**
 * The exactly-once aggregator as its own process, for the crash test (test-only).
 *
 * Environment: SCENARIO (JSON of ScenarioTopics), KAFKA_BROKERS, MAX_BATCH (records per transaction),
 * HANG_AT (optional: the transaction of that number is written but never committed, so the process
 * can be killed with it open). Prints `ready`, then `committed <n>` after each commit and `open <n>`
 * when it hangs. SIGTERM stops it cleanly.
 */
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts';
import { KafkaTransaction } from '../../../src/bus/kafka/transactions.ts';
import { StatefulAggregator } from '../../../src/processors/aggregator/stateful-aggregator.ts';
import { TransactionalRunner } from '../../../src/processors/runner/kafka/transactional-runner.ts';
import { systemClock } from '../../../src/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { TEST_BUS_OPTIONS } from '../../support/kafka.ts';
import type { ScenarioTopics } from './kafka-scenario.ts';
import { aggregatorOptions } from './scenario.ts';

const topics = JSON.parse(process.env.SCENARIO ?? '') as ScenarioTopics;
const hangAt = Number(process.env.HANG_AT ?? 0);

let transactions = 0;
const commit = KafkaTransaction.prototype.commit;
KafkaTransaction.prototype.commit = async function (this: KafkaTransaction): Promise<void> {
  const number = ++transactions;
  if (number === hangAt) {
    process.stdout.write(`open ${number}\n`);
    await new Promise(() => {});
  }
  await commit.call(this);
  process.stdout.write(`committed ${number}\n`);
};

// The broker's group.min.session.timeout.ms: a killed member leaves the group after this.
const bus = new KafkaBus({ ...TEST_BUS_OPTIONS, sessionTimeoutMs: 6_000 });
const runner = new TransactionalRunner({
  bus,
  processor: new StatefulAggregator(aggregatorOptions({ input: topics.input, output: topics.output, deadLetters: topics.deadLetters })),
  groupId: topics.group,
  stateTopic: topics.state,
  clock: systemClock,
  logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
  maxBatchSize: Number(process.env.MAX_BATCH ?? 25),
});
process.once('SIGTERM', () => {
  void runner
    .stop()
    .then(() => bus.close())
    .then(() => process.exit(0));
});
await runner.start();
process.stdout.write('ready\n');
