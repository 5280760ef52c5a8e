import { compressionsAlgorithms } from '@platformatic/kafka';
import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { clientConnection, kafkaSecuritySchema, PLAINTEXT, type KafkaClientConnection, type KafkaSecurityOptions } from './security.ts';

export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

export interface KafkaBusOptions {
  /** Bootstrap brokers, `host:port`: an array or a comma-separated string (as in `KAFKA_BROKERS`). */
  readonly brokers: string | readonly string[];
  /** Prefix of every client id (`<clientId>-producer`, `-consumer`, `-admin`): shows in broker logs and quotas. */
  readonly clientId?: string;
  /** Compression of produced batches. */
  readonly compression?: KafkaCompression;
  /** Most records in one batch handed out by a consumer. */
  readonly maxBatchSize?: number;
  /** Records a consumer buffers ahead of the code reading it; fetching stops while the buffer is full. */
  readonly highWaterMark?: number;
  /** How long the broker holds a fetch open waiting for records (Kafka's fetch.max.wait.ms). */
  readonly fetchMaxWaitMs?: number;
  /** A member not heard from for this long leaves its group (session.timeout.ms). */
  readonly sessionTimeoutMs?: number;
  /**
   * Heartbeat period (heartbeat.interval.ms). With the classic group protocol a joining member waits
   * until every present member has noticed the rebalance on its next heartbeat, so this bounds join time.
   */
  readonly heartbeatIntervalMs?: number;
  /** How long a rebalance may wait for members to rejoin (max.poll.interval.ms in the Java client). */
  readonly rebalanceTimeoutMs?: number;
  /** Retries of a failed request (produce, commit, join, metadata, admin) before it fails. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** How long `ensureTopics` waits for new topics to have a leader on every partition. */
  readonly topicReadyTimeoutMs?: number;
  /** How long closing waits for sends and commits in flight before it cuts them off. */
  readonly closeTimeoutMs?: number;
  /** TLS and SASL (default PLAINTEXT): applied to every client the bus creates. */
  readonly security?: KafkaSecurityOptions;
}

export const KAFKA_BUS_DEFAULTS = {
  clientId: 'tickflow',
  compression: 'snappy',
  maxBatchSize: 500,
  highWaterMark: 1_024,
  fetchMaxWaitMs: 500,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 60_000,
  retries: 10,
  retryDelayMs: 500,
  topicReadyTimeoutMs: 10_000,
  closeTimeoutMs: 10_000,
  security: PLAINTEXT,
} as const satisfies Required<Omit<KafkaBusOptions, 'brokers'>>;

export type ResolvedKafkaBusOptions = Required<Omit<KafkaBusOptions, 'brokers'>> & {
  readonly brokers: readonly string[];
  /** Brokers and security as client options: every client spreads it. */
  readonly connection: KafkaClientConnection;
};

// host:port, where host is a name, an IPv4 address or a bracketed IPv6 address.
const BROKER = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

const broker = z
  .string()
  .trim()
  .refine((text) => {
    const match = BROKER.exec(text);
    return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= 65_535;
  }, 'must be host:port with a port from 1 to 65535, e.g. 127.0.0.1:9092');

const ms = (min: number) => z.number().int().min(min).max(2_147_483_647);

const schema = z
  .strictObject({
    brokers: z
      .union([z.string().transform((text) => text.split(',')), z.array(z.string())], {
        error: 'required: a list of host:port, or one comma-separated string of them',
      })
      .transform((list) => list.map((entry) => entry.trim()).filter((entry) => entry !== ''))
      .pipe(z.array(broker).min(1, 'needs at least one broker (host:port)')),
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits and . _ - only (1 to 200)')
      .default(KAFKA_BUS_DEFAULTS.clientId),
    compression: z
      .enum(KAFKA_COMPRESSIONS, { error: `must be one of ${KAFKA_COMPRESSIONS.join(', ')}` })
      .refine((name) => compressionsAlgorithms[name].available !== false, 'is not available in this Node.js build')
      .default(KAFKA_BUS_DEFAULTS.compression),
    maxBatchSize: z.number().int().min(1).max(1_000_000).default(KAFKA_BUS_DEFAULTS.maxBatchSize),
    highWaterMark: z.number().int().min(1).max(1_000_000).default(KAFKA_BUS_DEFAULTS.highWaterMark),
    fetchMaxWaitMs: ms(0).default(KAFKA_BUS_DEFAULTS.fetchMaxWaitMs),
    sessionTimeoutMs: ms(1).default(KAFKA_BUS_DEFAULTS.sessionTimeoutMs),
    heartbeatIntervalMs: ms(1).default(KAFKA_BUS_DEFAULTS.heartbeatIntervalMs),
    rebalanceTimeoutMs: ms(1).default(KAFKA_BUS_DEFAULTS.rebalanceTimeoutMs),
    retries: z.number().int().min(0).max(1_000).default(KAFKA_BUS_DEFAULTS.retries),
    retryDelayMs: ms(0).default(KAFKA_BUS_DEFAULTS.retryDelayMs),
    topicReadyTimeoutMs: ms(0).default(KAFKA_BUS_DEFAULTS.topicReadyTimeoutMs),
    closeTimeoutMs: ms(0).default(KAFKA_BUS_DEFAULTS.closeTimeoutMs),
    security: kafkaSecuritySchema,
  })
  .refine((options) => options.heartbeatIntervalMs < options.sessionTimeoutMs, {
    path: ['heartbeatIntervalMs'],
    error: 'must be below sessionTimeoutMs',
  });

/** Applies the defaults and checks every option; throws a ConfigError naming each bad one. */
export function resolveKafkaBusOptions(options: KafkaBusOptions): ResolvedKafkaBusOptions {
  const parsed = schema.safeParse(options);
  if (parsed.success) return { ...parsed.data, connection: clientConnection(parsed.data.brokers, parsed.data.security) };
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'options';
    return `  ${path}: ${issue.message}`;
  });
  throw new ConfigError(`invalid Kafka bus options:\n${problems.join('\n')}`);
}
