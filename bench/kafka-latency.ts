/**
 * End-to-end latency through Kafka at a fixed rate: from the simulator writing a trade to its
 * socket to a consumer receiving the aggregator's window metrics that include it. `tickflow run
 * ingest` and `tickflow run aggregator` run as their own processes, as in production.
 *
 *   node bench/kafka-latency.ts [--rate 10000] [--seconds 30] [--every 30] [--brokers 127.0.0.1:9092]
 *
 * With `--every N`, also one row per N seconds of the run: a pipeline that falls behind shows as
 * latency growing from row to row.
 *
 * Latency of a metrics record = its arrival at this process − `tsEvent` of the trade that triggered
 * it (the simulator stamps `t` with its send time, in ms; trades are stamped across its 20 ms frames,
 * so this includes up to 20 ms of waiting for the frame). The second table starts at the trade's
 * `tsRecv` instead (ingest received the frame): tickflow's own part. The third is what lies between:
 * the frame wait, newest trade's `tsEvent` → newest `tsRecv` of the same metrics. All processes share
 * this machine's clock.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KafkaBus } from '../src/bus/kafka/kafka-bus.ts';
import { topicSpecs } from '../src/cli/compose/topic-specs.ts';
import { createFinnhubSimulator } from '../src/sources/simulator/server.ts';
import { topicNames } from '../src/topics.ts';
import { quantile, receiveMetrics } from './received-metrics.ts';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '30' }, every: { type: 'string', default: '0' }, brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' } } });
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const everyMs = Number(values.every) * 1000;
if (!(everyMs >= 0)) throw new Error(`--every must be a number of seconds (got ${values.every})`);
const prefix = `latency-${randomBytes(3).toString('hex')}-`;
const bin = fileURLToPath(new URL('../bin/tickflow.js', import.meta.url));

const bus = new KafkaBus({ brokers: values.brokers, clientId: 'bench-latency' });
await bus.ensureTopics(topicSpecs({ topicPrefix: prefix, partitions: 4, retentionMs: 3_600_000 }));
const simulator = await createFinnhubSimulator({ tradesPerSecond: rate, frameIntervalMs: 20, pingIntervalMs: 60_000, duplicateRate: 0 });
const env = { ...process.env, KAFKA_BROKERS: values.brokers, TICKFLOW_TOPIC_PREFIX: prefix, TICKFLOW_SIMULATOR_URL: simulator.url, TICKFLOW_LOG_LEVEL: 'warn', TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-latency-')) };
const children = ['aggregator', 'ingest'].map((part, i) => spawn(process.execPath, [bin, 'run', part], { env: { ...env, PORT: String(18_900 + i) }, stdio: 'inherit' }));

const consumer = await bus.consumer({ groupId: `${prefix}bench`, topics: [topicNames(prefix).metrics], startFrom: 'latest' });
const received = await receiveMetrics(consumer, seconds);
const latencies = received.map(({ metrics, at }) => at - metrics.tsEvent).sort((a, b) => a - b);
const fromReceipt = received.map(({ metrics, at }) => at - metrics.tsRecv).sort((a, b) => a - b);
const inFrames = received.map(({ metrics }) => metrics.tsRecv - metrics.tsEvent).sort((a, b) => a - b);
const sent = simulator.stats.tradesSent;
await consumer.close();
for (const child of children) child.kill('SIGINT');
await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
await simulator.close();
await bus.close();

/** p50, p90, p99 and max of sorted latencies, as table cells. */
const cells = (values: readonly number[]) => `${quantile(values, 0.5)} ms | ${quantile(values, 0.9)} ms | ${quantile(values, 0.99)} ms | ${values.at(-1)} ms`;
console.log(`| offered rate | trades sent | metrics measured | p50 | p90 | p99 | max |`);
console.log(`|---|---|---|---|---|---|---|`);
console.log(`| ${rate.toLocaleString('en-US')} trades/s for ${seconds} s (after 5 s warm-up) | ${sent.toLocaleString('en-US')} | ${latencies.length.toLocaleString('en-US')} | ${cells(latencies)} |`);
console.log(`\n| from ingest's receipt (tsRecv) | p50 | p90 | p99 | max |`);
console.log(`|---|---|---|---|---|`);
console.log(`| ${rate.toLocaleString('en-US')} trades/s | ${cells(fromReceipt)} |`);
console.log(`\n| the simulator's frames (tsEvent → tsRecv) | p50 | p90 | p99 | max |`);
console.log(`|---|---|---|---|---|`);
console.log(`| ${rate.toLocaleString('en-US')} trades/s | ${cells(inFrames)} |`);

if (everyMs > 0 && received.length > 0) {
  const start = received[0]!.at;
  const rows = new Map<number, number[]>();
  for (const { metrics, at } of received) {
    const row = Math.floor((at - start) / everyMs);
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row)!.push(at - metrics.tsEvent);
  }
  console.log(`\n| seconds into the run | metrics measured | p50 | p99 | max |`);
  console.log(`|---|---|---|---|---|`);
  for (const [row, values] of rows) {
    values.sort((a, b) => a - b);
    console.log(`| ${(row * everyMs) / 1000}–${((row + 1) * everyMs) / 1000} | ${values.length.toLocaleString('en-US')} | ${quantile(values, 0.5)} ms | ${quantile(values, 0.99)} ms | ${values.at(-1)} ms |`);
  }
}
