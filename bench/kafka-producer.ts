/**
 * Producer throughput on one broker, side by side: Kafka's own Java ProducerPerformance against
 * tickflow's KafkaBus producer, both idempotent with acks=all, sending the same number of records of
 * the same trade JSON with the same compression. The clients take turns for several rounds (each run
 * a fresh process on a fresh topic, deleted afterwards): the machine is shared and noisy, so medians
 * and the ratio say more than any single run. A third, diagnostic client — @platformatic/kafka alone
 * with pre-serialized values — separates the cost of the client library from our adapter's.
 *
 *   node bench/kafka-producer.ts [--records 1000000] [--record-size 200] [--rounds 3]
 *     [--compression snappy,none] [--partitions 4] [--batch 2000] [--in-flight 2]
 *     [--java-batch-size BYTES] [--java-linger-ms 5] [--no-library] [--cpu-prof DIR]
 *
 * The broker: KAFKA_BROKERS (default 127.0.0.1:9092, as `bash scripts/kafka/kafka.sh start` runs it),
 * with tickflow's KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and KAFKA_SSL_* for all three clients.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { KafkaBus, KAFKA_COMPRESSIONS, type KafkaCompression } from '../src/bus/kafka/kafka-bus.ts';
import { clientConnection } from '../src/bus/kafka/security.ts';
import { loadConfig } from '../src/config/config.ts';
import { writeJavaSecurityConfig } from './kafka/java-security.ts';
import { javaProducerProps, runJavaPerf, type JavaPerfConfig } from './kafka/java-producer-perf.ts';
import { sizedTrades } from './kafka/payloads.ts';
import type { WorkerConfig, WorkerResult } from './kafka/tickflow-worker.ts';

const WORKER = fileURLToPath(new URL('./kafka/tickflow-worker.ts', import.meta.url));
const CLIENTS = ['java', 'tickflow', 'library'] as const;
type Client = (typeof CLIENTS)[number];
const LABELS: Record<Client, string> = {
  java: 'Java ProducerPerformance',
  tickflow: 'tickflow KafkaBus',
  library: '(diagnostic) @platformatic/kafka alone, pre-serialized',
};

interface Run {
  readonly compression: KafkaCompression;
  readonly client: Client;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** CPU seconds of the producing process while sending (not measured for the JVM). */
  readonly cpuSeconds?: number;
}

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    'record-size': { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    compression: { type: 'string', default: 'snappy,none' },
    partitions: { type: 'string', default: '4' },
    batch: { type: 'string', default: '2000' },
    'in-flight': { type: 'string', default: '2' },
    'java-batch-size': { type: 'string' },
    'java-linger-ms': { type: 'string', default: '5' },
    'distinct-payloads': { type: 'string', default: '1000' },
    'no-library': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()).filter(Boolean);
const records = positive('records');
const recordSize = positive('record-size');
const rounds = positive('rounds');
const partitions = positive('partitions');
const batch = positive('batch');
const inFlight = positive('in-flight');
const distinctPayloads = positive('distinct-payloads');
// The settings that map: a tickflow send of `batch` records spreads over the partitions by key, so
// one partition's batch holds about batch / partitions records; Java's batch.size is in bytes.
const javaBatchSize = values['java-batch-size'] === undefined ? Math.round((batch / partitions) * recordSize) : positive('java-batch-size');
const javaLingerMs = Number(values['java-linger-ms']);
const compressions = values.compression.split(',').map((name) => {
  if (!(KAFKA_COMPRESSIONS as readonly string[]).includes(name)) throw new Error(`--compression: ${name} is not one of ${KAFKA_COMPRESSIONS.join(', ')}`);
  return name as KafkaCompression;
});
const clients = CLIENTS.filter((client) => client !== 'library' || !values['no-library']);

requireJava();
const security = loadConfig().kafkaSecurity;
const admin = new Admin({ clientId: 'tickflow-bench-admin', ...clientConnection(brokers, security), retries: 0 });
await admin.metadata({ topics: [] }).catch((error: Error) => {
  throw new Error(`no Kafka broker answers at ${brokers.join(',')}: start one with 'bash scripts/kafka/kafka.sh start' or set KAFKA_BROKERS`, { cause: error });
});
const bus = new KafkaBus({ brokers, clientId: 'tickflow-bench-admin', security });

const workDir = mkdtempSync(join(tmpdir(), 'tickflow-bench-kafka-'));
const securityConfigFile = writeJavaSecurityConfig(security, workDir);
const payloadFile = join(workDir, 'payloads.txt');
const payloads = sizedTrades(distinctPayloads, recordSize);
writeFileSync(payloadFile, payloads.map((trade) => trade.json).join('\n'));
const prefix = `tickflow-bench-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
let topics = 0;

log(machineNotes().join('\n'));
log(`${records} records of ${recordSize} B (trade JSON, keys: ${[...new Set(payloads.map((trade) => trade.key))].join(' ')}), ${partitions} partitions, ${rounds} rounds`);
const javaProps = javaProducerProps({ brokers, topic: '', records, payloadFile, compression: '<compression>', batchSizeBytes: javaBatchSize, lingerMs: javaLingerMs });
log(`tickflow: idempotent, acks=all, sends of ${batch} records, ${inFlight} in flight; Java: --producer-props ${javaProps.join(' ')}`);

const runs: Run[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    for (const compression of compressions) {
      // Alternate who goes first, so neither always runs on a broker still busy with the other's data.
      const order = round % 2 === 1 ? clients : [...clients].reverse();
      for (const client of order) {
        const topic = `${prefix}-${++topics}`;
        await bus.ensureTopics([{ name: topic, partitions }]);
        try {
          const run = await runOne(client, compression, topic);
          runs.push(run);
          const cpu = run.cpuSeconds === undefined ? '' : `, ${run.cpuSeconds.toFixed(2)} CPU s`;
          log(`round ${round} ${compression.padEnd(6)} ${client.padEnd(8)} ${fmt(run.recordsPerSecond)} records/s ${run.mbPerSecond.toFixed(1)} MB/s${cpu}`);
        } finally {
          await admin.deleteTopics({ topics: [topic] });
        }
      }
    }
  }
} finally {
  await bus.close();
  await admin.close();
  rmSync(workDir, { recursive: true, force: true });
}

console.log(`| compression | producer | records/s | MB/s | × Java | CPU s per 1M records |`);
console.log('|---|---|--:|--:|--:|--:|');
for (const compression of compressions) {
  const of = (client: Client) => runs.filter((run) => run.compression === compression && run.client === client);
  const java = median(of('java').map((run) => run.recordsPerSecond));
  for (const client of clients) {
    const mine = of(client);
    const perSecond = median(mine.map((run) => run.recordsPerSecond));
    const cpu = mine.every((run) => run.cpuSeconds !== undefined) ? (median(mine.map((run) => run.cpuSeconds!)) * 1e6) / records : undefined;
    console.log(
      `| ${compression} | ${LABELS[client]} | ${fmt(perSecond)} | ${median(mine.map((run) => run.mbPerSecond)).toFixed(1)} | ${(perSecond / java).toFixed(2)} | ${cpu === undefined ? '—' : cpu.toFixed(2)} |`,
    );
  }
}
console.log(`\nmedians of ${rounds} rounds; MB/s = value bytes / 2^20 per second, as ProducerPerformance reports it`);

async function runOne(client: Client, compression: KafkaCompression, topic: string): Promise<Run> {
  if (client === 'java') {
    const config: JavaPerfConfig = { brokers, topic, records, payloadFile, compression, batchSizeBytes: javaBatchSize, lingerMs: javaLingerMs, ...(securityConfigFile ? { securityConfigFile } : {}) };
    const result = await runJavaPerf(config);
    return { compression, client, recordsPerSecond: result.recordsPerSecond, mbPerSecond: result.mbPerSecond };
  }
  const config: WorkerConfig = { brokers, topic, records, recordSize, distinctPayloads, compression, batch, inFlight, client: client === 'tickflow' ? 'bus' : 'library' };
  const profile = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof'], '--cpu-prof-name', `${client}-${compression}-${topics}.cpuprofile`];
  const { stdout } = await promisify(execFile)(process.execPath, [...profile, WORKER, JSON.stringify(config)], { timeout: 15 * 60_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerResult;
  return {
    compression,
    client,
    recordsPerSecond: result.records / result.seconds,
    mbPerSecond: result.bytes / 2 ** 20 / result.seconds,
    cpuSeconds: result.cpuSeconds,
  };
}

function requireJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error('java not found on PATH: ProducerPerformance needs Java 17+ (apt-get install -y openjdk-17-jre-headless)');
  }
}

function machineNotes(): string[] {
  const cpu = cpus();
  const javaVersion = /version "([^"]+)"/.exec(spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr)?.[1] ?? '?';
  const pom = readFileSync(fileURLToPath(new URL('../scripts/kafka/pom.xml', import.meta.url)), 'utf8');
  const kafkaVersion = /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? '?';
  return [
    `machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
    `node ${process.version}, java ${javaVersion}, broker Kafka ${kafkaVersion} at ${brokers.join(',')}`,
  ];
}

function positive(name: string): number {
  const value = Number((values as Record<string, unknown>)[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

