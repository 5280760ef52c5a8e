/**
 * The trading service as its own process on Kafka and PostgreSQL, for the kill test (test-only).
 *
 * Environment: SCENARIO (JSON of KillScenario), KAFKA_BROKERS, MAX_BATCH (records per batch), HANG_AT
 * (optional: after the batch of that number is stored, never report it done, so the process is
 * killed between the store's commit and the bus's). Prints `ready`, `applied <n> skipped <records skipped so far>` after
 * each batch is stored, and `hang <n>`. SIGTERM stops it cleanly.
 */
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts';
import type { BusRecord } from '../../../src/bus/bus.ts';
import { systemClock } from '../../../src/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { ProcessorRunner } from '../../../src/processors/runner/processor-runner.ts';
import { TradingProcessor } from '../../../src/processors/trading/trading-processor.ts';
import { TEST_BUS_OPTIONS } from '../../support/kafka.ts';
import { openScenarioService, type KillScenario } from './kill-scenario.ts';

const scenario = JSON.parse(process.env.SCENARIO ?? '') as KillScenario;
const hangAt = Number(process.env.HANG_AT ?? 0);

// The broker's group.min.session.timeout.ms: a killed member leaves the group after this.
const bus = new KafkaBus({ ...TEST_BUS_OPTIONS, sessionTimeoutMs: 6_000, maxBatchSize: Number(process.env.MAX_BATCH ?? 50) });
const producer = bus.producer();
const { service, sql } = await openScenarioService(scenario.schema, producer, scenario);
const trading = new TradingProcessor({ service, rawTopic: scenario.raw, live: false });
let batches = 0;
const processor = {
  name: trading.name,
  topics: trading.topics,
  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    process.stdout.write(`received ${batch.length} from ${batch[0]?.offset}\n`);
    const done = await trading.process(batch);
    const number = ++batches;
    process.stdout.write(`applied ${number} skipped ${service.stats().skipped}\n`);
    if (number === hangAt) {
      process.stdout.write(`hang ${number}\n`);
      await new Promise(() => {});
    }
    return done;
  },
};
const runner = new ProcessorRunner({ bus, processor, groupId: scenario.group, clock: systemClock, logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }), startFrom: 'earliest' });
process.once('SIGTERM', () => {
  void runner
    .stop()
    .then(() => service.close())
    .then(() => producer.close())
    .then(() => sql.close())
    .then(() => bus.close())
    .then(() => process.exit(0));
});
await runner.start();
process.stdout.write('ready\n');
