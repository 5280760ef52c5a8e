/**
 * One tickflow producer run, in its own process (as each ProducerPerformance run has its own JVM):
 * a KafkaBus producer (idempotent, acks=all) sends `records` trades of `recordSize` bytes in sends of
 * `batch` records, keeping `inFlight` sends outstanding. The clock runs from the first send to the
 * last acknowledgement, as ProducerPerformance's does (its producer also connects on first send).
 *
 *   node bench/kafka/tickflow-worker.ts '<WorkerConfig as JSON>'   prints a WorkerResult as JSON
 *
 * TLS and SASL come from tickflow's own variables in the environment, never on the command line.
 */
import { compatibilityPartitioner, ProduceAcks, Producer } from '@platformatic/kafka';
import { KafkaBus, type KafkaCompression } from '../../src/bus/kafka/kafka-bus.ts';
import { clientConnection } from '../../src/bus/kafka/security.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { OutgoingRecord } from '../../src/bus/bus.ts';
import { sizedTrades } from './payloads.ts';

export interface WorkerConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly records: number;
  readonly recordSize: number;
  readonly distinctPayloads: number;
  readonly compression: KafkaCompression;
  readonly batch: number;
  readonly inFlight: number;
  /**
   * `bus`: the KafkaBus producer, as tickflow uses it. `library`: a diagnostic ceiling, the
   * @platformatic/kafka Producer alone with the same settings, sending pre-serialized values and keys
   * (as ProducerPerformance sends pre-made bytes): what the client library costs without our adapter
   * and without JSON serialization.
   */
  readonly client: 'bus' | 'library';
}

export interface WorkerResult {
  readonly records: number;
  /** Value bytes sent, as ProducerPerformance counts them (keys and headers not included). */
  readonly bytes: number;
  readonly seconds: number;
  /** CPU time of this process (user + system) while sending: on a shared 2-core machine, steadier than wall time. */
  readonly cpuSeconds: number;
}

export async function runWorker(config: WorkerConfig): Promise<WorkerResult> {
  return config.client === 'bus' ? runBus(config) : runLibrary(config);
}

async function runBus(config: WorkerConfig): Promise<WorkerResult> {
  const pool = sizedTrades(config.distinctPayloads, config.recordSize);
  const bus = new KafkaBus({ brokers: config.brokers, clientId: 'tickflow-bench', compression: config.compression, security: loadConfig().kafkaSecurity });
  const producer = bus.producer();
  let next = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // `inFlight` loops, each awaiting its own send before making the next batch: at most `inFlight` sends outstanding.
  const lane = async () => {
    while (next < config.records) {
      const count = Math.min(config.batch, config.records - next);
      const records: OutgoingRecord[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const trade = pool[(next + i) % pool.length]!;
        records[i] = { key: trade.key, value: trade.value };
        bytes += trade.json.length;
      }
      next += count;
      await producer.send(config.topic, records);
    }
  };
  await Promise.all(Array.from({ length: config.inFlight }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = cpuSince(cpu);
  await bus.close();
  return { records: config.records, bytes, seconds, cpuSeconds };
}

async function runLibrary(config: WorkerConfig): Promise<WorkerResult> {
  const pool = sizedTrades(config.distinctPayloads, config.recordSize).map((trade) => ({
    key: Buffer.from(trade.key),
    value: Buffer.from(trade.json),
  }));
  const producer = new Producer({
    clientId: 'tickflow-bench-library',
    ...clientConnection(config.brokers, loadConfig().kafkaSecurity),
    idempotent: true,
    acks: ProduceAcks.ALL,
    compression: config.compression,
    partitioner: compatibilityPartitioner,
    autocreateTopics: false,
  });
  let next = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < config.records) {
      const count = Math.min(config.batch, config.records - next);
      const now = BigInt(Date.now());
      const messages = new Array(count);
      for (let i = 0; i < count; i++) {
        const payload = pool[(next + i) % pool.length]!;
        messages[i] = { topic: config.topic, key: payload.key, value: payload.value, timestamp: now };
        bytes += payload.value.length;
      }
      next += count;
      await producer.send({ messages });
    }
  };
  await Promise.all(Array.from({ length: config.inFlight }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = cpuSince(cpu);
  await producer.close();
  return { records: config.records, bytes, seconds, cpuSeconds };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

if (import.meta.main) {
  const result = await runWorker(JSON.parse(process.argv[2]!) as WorkerConfig);
  process.stdout.write(JSON.stringify(result) + '\n');
}
