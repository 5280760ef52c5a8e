import { ConfigError } from '../../errors.ts';
import { redactSecrets, type Logger } from '../../logger.ts';
import { topicNames } from '../../topics.ts';

/** Static AWS credentials. Without them the SDK's default credential chain is used. */
export interface KinesisCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface KinesisSinkOptions {
  /** Kinesis Data Stream name (1–128 of `[a-zA-Z0-9_.-]`). */
  readonly streamName: string;
  /** AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /** Endpoint override (kinesalite, LocalStack, VPC endpoint): an http(s) URL. */
  readonly endpoint?: string;
  /** Static credentials; default: the AWS SDK's default credential provider chain. */
  readonly credentials?: KinesisCredentials;
  /** Bus topics to publish; default: the raw market-data topic. */
  readonly topics?: readonly string[];
  /** Send once this many records are waiting (1–500)… */
  readonly batchSize?: number;
  /** …or once the oldest waiting record is this old. */
  readonly flushMs?: number;
  /** Retries of one PutRecords request (whole call or its failed entries) before the batch fails. */
  readonly maxRetries?: number;
  /** First backoff of the exponential backoff with jitter… */
  readonly retryBaseMs?: number;
  /** …and its cap. */
  readonly retryMaxMs?: number;
  readonly logger?: Logger;
}

export interface ResolvedKinesisSinkOptions {
  readonly streamName: string;
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly credentials: KinesisCredentials | undefined;
  readonly topics: readonly string[];
  readonly batchSize: number;
  readonly flushMs: number;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly logger: Logger | undefined;
}

/** PutRecords limits: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html */
export const KINESIS_LIMITS = {
  recordsPerRequest: 500,
  /** Per request, data and partition keys together. */
  bytesPerRequest: 5 * 1024 * 1024,
  /** Per record, data and partition key together. */
  bytesPerRecord: 1024 * 1024,
  /** Unicode characters. */
  partitionKeyMaxLength: 256,
} as const;

/** What `resolveKinesisSinkOptions` fills in (the README's Kinesis section describes these). */
export const KINESIS_SINK_DEFAULTS = {
  batchSize: KINESIS_LIMITS.recordsPerRequest,
  flushMs: 200,
  maxRetries: 10,
  retryBaseMs: 100,
  retryMaxMs: 5_000,
  region: 'us-east-1',
} as const;

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const REGION = /^[a-z0-9-]{1,64}$/;

function fail(option: string, problem: string, got: unknown): never {
  throw new ConfigError(`kinesis sink option ${option}: ${problem} (got ${describe(option, got)})`);
}

function describe(option: string, value: unknown): string {
  if (option === 'credentials') return typeof value; // never a secret in a message
  if (value === undefined) return 'nothing';
  try {
    return redactSecrets(JSON.stringify(value) ?? String(value));
  } catch {
    return redactSecrets(String(value));
  }
}

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(option, `must be an integer from ${min} to ${max}`, value);
  return value;
}

/** Checks options and fills in defaults; throws a `ConfigError` naming the first bad option. */
export function resolveKinesisSinkOptions(options: KinesisSinkOptions): ResolvedKinesisSinkOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('kinesis sink options: must be an object');
  const { streamName, region, endpoint, credentials, topics } = options;
  if (typeof streamName !== 'string' || !STREAM_NAME.test(streamName)) fail('streamName', 'must be 1–128 characters of a-z, A-Z, 0-9, "_", ".", "-"', streamName);
  if (typeof region !== 'string' || !REGION.test(region)) fail('region', 'must be an AWS region such as "us-east-1"', region);
  if (endpoint !== undefined) checkEndpoint('endpoint', endpoint, fail);
  if (credentials !== undefined) {
    const ok =
      typeof credentials === 'object' &&
      credentials !== null &&
      typeof credentials.accessKeyId === 'string' &&
      credentials.accessKeyId.length > 0 &&
      typeof credentials.secretAccessKey === 'string' &&
      credentials.secretAccessKey.length > 0 &&
      (credentials.sessionToken === undefined || typeof credentials.sessionToken === 'string');
    if (!ok) fail('credentials', 'must be { accessKeyId, secretAccessKey, sessionToken? } with non-empty strings', credentials);
  }
  if (topics !== undefined && (!Array.isArray(topics) || topics.length === 0 || !topics.every((topic) => typeof topic === 'string' && topic.length > 0))) {
    fail('topics', 'must be a non-empty list of topic names', topics);
  }
  const retryBaseMs = integer('retryBaseMs', options.retryBaseMs, KINESIS_SINK_DEFAULTS.retryBaseMs, 1, 60_000);
  const retryMaxMs = integer('retryMaxMs', options.retryMaxMs, KINESIS_SINK_DEFAULTS.retryMaxMs, 1, 300_000);
  if (retryMaxMs < retryBaseMs) fail('retryMaxMs', `must be at least retryBaseMs (${retryBaseMs})`, retryMaxMs);
  return {
    streamName,
    region,
    endpoint,
    credentials,
    topics: topics ? [...new Set(topics)] : [topicNames().raw],
    batchSize: integer('batchSize', options.batchSize, KINESIS_SINK_DEFAULTS.batchSize, 1, KINESIS_LIMITS.recordsPerRequest),
    flushMs: integer('flushMs', options.flushMs, KINESIS_SINK_DEFAULTS.flushMs, 0, 600_000),
    maxRetries: integer('maxRetries', options.maxRetries, KINESIS_SINK_DEFAULTS.maxRetries, 0, 1_000),
    retryBaseMs,
    retryMaxMs,
    logger: options.logger,
  };
}

function checkEndpoint(name: string, value: unknown, onError: (name: string, problem: string, got: unknown) => never): void {
  let url: URL | null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) onError(name, 'must be an http:// or https:// URL', value);
}

/** The environment variables the sink reads, as plain values (undefined or empty = not set). */
export interface KinesisEnv {
  /** Required to enable the sink. */
  readonly KINESIS_STREAM?: string | undefined;
  /** Default `KINESIS_SINK_DEFAULTS.region`. */
  readonly AWS_REGION?: string | undefined;
  /** Endpoint override, e.g. `http://127.0.0.1:4567` for kinesalite. */
  readonly KINESIS_ENDPOINT?: string | undefined;
}

export interface KinesisConfig {
  readonly streamName: string;
  readonly region: string;
  readonly endpoint?: string;
}

/**
 * Reads the sink's settings from plain values (for `src/config/config.ts`). Returns `null` when
 * `KINESIS_STREAM` is not set (the sink is off); throws a `ConfigError` naming the bad variable.
 * Credentials are not read here: the AWS SDK's default chain finds them (AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE and ~/.aws, SSO, web identity, ECS/EC2 roles).
 */
export function kinesisConfigFromEnv(env: KinesisEnv): KinesisConfig | null {
  const stream = env.KINESIS_STREAM?.trim() ?? '';
  if (stream === '') return null;
  const envFail = (name: string, problem: string, got: unknown): never => {
    throw new ConfigError(`${name}: ${problem} (got ${redactSecrets(JSON.stringify(got) ?? String(got))})`);
  };
  if (!STREAM_NAME.test(stream)) envFail('KINESIS_STREAM', 'must be 1–128 characters of a-z, A-Z, 0-9, "_", ".", "-"', stream);
  const region = env.AWS_REGION?.trim() || KINESIS_SINK_DEFAULTS.region;
  if (!REGION.test(region)) envFail('AWS_REGION', 'must be an AWS region such as "us-east-1"', region);
  const endpoint = env.KINESIS_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined) checkEndpoint('KINESIS_ENDPOINT', endpoint, envFail);
  return { streamName: stream, region, ...(endpoint ? { endpoint } : {}) };
}
