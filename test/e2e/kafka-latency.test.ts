/**
 * A guard, not a benchmark (bench/kafka-latency.ts measures): a trade's effect through Kafka —
 * simulator → `run ingest` → Kafka → `run aggregator` (exactly once) → Kafka → a consumer — arrives in
 * milliseconds, not seconds. The bound is far above the target (p99 ≤ 25 ms), so a busy machine
 * cannot trip it; a transaction cadence that waits out retry delays (p50 0.6–1.4 s) does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { topicSpecs } from '../../src/cli/compose/topic-specs.ts';
import type { WindowMetrics } from '../../src/model/metrics.ts';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../src/sources/simulator/server.ts';
import { topicNames } from '../../src/topics.ts';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { KAFKA_BROKERS, kafkaFixture, requireBroker, type KafkaFixture } from '../support/kafka.ts';
import { within } from '../support/wait.ts';

const MEDIAN_BOUND_MS = 500;

let fixture: KafkaFixture;
let simulator: FinnhubSimulator | undefined;
const processes: RunningCli[] = [];
before(async () => {
  await requireBroker();
  fixture = await kafkaFixture();
});
after(async () => {
  for (const cli of processes) cli.child.kill('SIGKILL');
  await simulator?.close();
  await fixture?.close();
});

it('carries a trade to its window metrics through ingest, Kafka and the exactly-once aggregator in well under a second', async () => {
  const prefix = fixture.uniqueName('latency-');
  await fixture.bus.ensureTopics(topicSpecs({ topicPrefix: prefix, partitions: 2, retentionMs: 3_600_000 }));
  simulator = await createFinnhubSimulator({ tradesPerSecond: 200, frameIntervalMs: 20, pingIntervalMs: 60_000, duplicateRate: 0 });
  const env = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), TICKFLOW_TOPIC_PREFIX: prefix, TICKFLOW_SIMULATOR_URL: simulator.url, TICKFLOW_LOG_LEVEL: 'warn', TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-latency-')) };
  for (const part of ['aggregator', 'ingest']) processes.push(startCli(['run', part], { ...env, PORT: String(await freePort()) }));

  const consumer = await fixture.bus.consumer({ groupId: fixture.uniqueName('group'), topics: [topicNames(prefix).metrics], startFrom: 'latest' });
  const latencies: number[] = [];
  let measureFrom = Number.POSITIVE_INFINITY;
  const reading = (async () => {
    for await (const batch of consumer) {
      const now = Date.now();
      // Two seconds of warm-up from the first metrics: the group's first join and the state load.
      if (measureFrom === Number.POSITIVE_INFINITY) measureFrom = now + 2_000;
      if (now >= measureFrom) for (const record of batch) if ((record.value as WindowMetrics).type === 'window-metrics') latencies.push(now - (record.value as WindowMetrics).tsEvent);
      if (now >= measureFrom + 5_000) break;
    }
  })();
  await within(reading, 90_000, 'window metrics for 5 s after the warm-up');
  await consumer.close();

  latencies.sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)]!;
  assert.ok(latencies.length >= 20, `only ${latencies.length} window metrics measured`);
  assert.ok(median < MEDIAN_BOUND_MS, `trade → window metrics: median ${median} ms, p90 ${latencies[Math.floor(latencies.length * 0.9)]} ms over ${latencies.length} metrics`);

  for (const cli of processes) cli.child.kill('SIGINT');
  for (const cli of processes) assert.equal(await within(cli.exited, 30_000, 'a process to stop'), 0, cli.stderr());
});
