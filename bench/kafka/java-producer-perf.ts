/**
 * One run of Kafka's own `org.apache.kafka.tools.ProducerPerformance` (a fresh JVM, through
 * scripts/kafka/kafka.sh), read back from its summary line.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const KAFKA_SH = fileURLToPath(new URL('../../scripts/kafka/kafka.sh', import.meta.url));
const run = promisify(execFile);

export interface JavaPerfConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly records: number;
  /** One payload per line; ProducerPerformance picks one at random for each record (null key). */
  readonly payloadFile: string;
  readonly compression: string;
  readonly batchSizeBytes: number;
  readonly lingerMs: number;
  /** TLS and SASL settings (writeJavaSecurityConfig), for a broker that is not PLAINTEXT. */
  readonly securityConfigFile?: string;
}

export interface JavaPerfResult {
  readonly records: number;
  readonly recordsPerSecond: number;
  /** As ProducerPerformance computes it: value bytes / 2^20 per second. */
  readonly mbPerSecond: number;
  readonly avgLatencyMs: number;
  readonly seconds: number;
}

/** The producer settings of a run, as passed to `--producer-props`. */
export function javaProducerProps(config: JavaPerfConfig): string[] {
  return [
    `bootstrap.servers=${config.brokers.join(',')}`,
    'client.id=java-producer-perf',
    'acks=all',
    'enable.idempotence=true',
    // The most an idempotent Java producer allows (and its default).
    'max.in.flight.requests.per.connection=5',
    `compression.type=${config.compression}`,
    `batch.size=${config.batchSizeBytes}`,
    `linger.ms=${config.lingerMs}`,
  ];
}

export async function runJavaPerf(config: JavaPerfConfig): Promise<JavaPerfResult> {
  const args = [
    KAFKA_SH,
    'tool',
    'producer-perf',
    '--topic',
    config.topic,
    '--num-records',
    String(config.records),
    '--payload-file',
    config.payloadFile,
    '--throughput',
    '-1',
    '--producer-props',
    ...javaProducerProps(config),
    ...(config.securityConfigFile ? ['--producer.config', config.securityConfigFile] : []),
  ];
  const { stdout } = await run('bash', args, { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
  return parseSummary(stdout);
}

// 1000000 records sent, 470366.9 records/sec (89.72 MB/sec), 19.27 ms avg latency, 396.00 ms max latency, 12 ms 50th, ...
const SUMMARY = /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/m;

export function parseSummary(output: string): JavaPerfResult {
  const lines = output.split('\n').filter((line) => SUMMARY.test(line) && line.includes('50th'));
  const match = SUMMARY.exec(lines.at(-1) ?? '');
  if (!match) throw new Error(`no summary line in ProducerPerformance's output:\n${output.slice(-2_000)}`);
  const records = Number(match[1]);
  const recordsPerSecond = Number(match[2]);
  return { records, recordsPerSecond, mbPerSecond: Number(match[3]), avgLatencyMs: Number(match[4]), seconds: records / recordsPerSecond };
}
