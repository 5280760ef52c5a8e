import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { SYMBOL_PATTERN } from '../model/guards.ts';
import { kinesisConfigFromEnv, type KinesisConfig } from '../processors/kinesis/kinesis-options.ts';
import { DEFAULT_STRATEGY_CONFIG, parseStrategyConfig, type StrategyConfig } from '../processors/signals/strategy-config.ts';

export const DEFAULT_SYMBOLS = 'AAPL,MSFT,NVDA,TSLA,SPY,OANDA:EUR_USD,OANDA:GBP_USD,BINANCE:BTCUSDT,BINANCE:ETHUSDT';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);


/** Every setting tickflow reads from the environment, with its default. */
const schema = z.object({
  PORT: integer(0, 65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  FINNHUB_API_KEY: z.string().trim().min(1).optional(),
  FINNHUB_WS_URL: z
    .url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' })
    .default('wss://ws.finnhub.io'),
  TICKFLOW_SIMULATOR_URL: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }).optional(),
  TICKFLOW_SYMBOLS: z
    .string()
    .default(DEFAULT_SYMBOLS)
    .transform((text) => [...new Set(text.split(',').map((symbol) => symbol.trim()).filter(Boolean))])
    .refine((symbols) => symbols.length > 0, 'needs at least one symbol')
    .refine((symbols) => symbols.every((symbol) => SYMBOL_PATTERN.test(symbol)), {
      error: 'symbols are letters, digits and . : _ - / ^ = (e.g. AAPL,OANDA:EUR_USD,BINANCE:BTCUSDT)',
    }),
  TICKFLOW_DATA_DIR: z.string().min(1).default('./data'),
  TICKFLOW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TICKFLOW_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ - only')
    .default(''),
  TICKFLOW_PARTITIONS: integer(1, 1_024).default(4),
  TICKFLOW_WINDOW_SIZE: integer(1, 100_000).default(20),
  TICKFLOW_PUBLISH_EVERY: integer(1, 100_000).default(10),
  TICKFLOW_BAR_LATENESS_MS: integer(0, 600_000).default(2_000),
  TICKFLOW_ARCHIVE_BATCH: integer(1, 1_000_000).default(50),
  TICKFLOW_ARCHIVE_FLUSH_MS: integer(1, 600_000).default(1_000),
  TICKFLOW_STORE_BATCH: integer(1, 1_000_000).default(500),
  TICKFLOW_STORE_FLUSH_MS: integer(1, 600_000).default(1_000),
  TICKFLOW_SHUTDOWN_TIMEOUT_MS: integer(1_000, 600_000).default(20_000),
  TICKFLOW_SIM_RATE: z.coerce.number().positive().max(1_000_000).default(50),
  TICKFLOW_BUS: z.enum(['memory', 'kafka']).default('memory'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((text) => text.split(',').map((broker) => broker.trim()).filter(Boolean))
    .refine((brokers) => brokers.length > 0 && brokers.every((broker) => /^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/.test(broker)), {
      error: 'comma-separated host:port list, e.g. 127.0.0.1:9092,kafka-2:9092',
    }),
  KAFKA_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits and . _ - only').default('tickflow'),
  KAFKA_COMPRESSION: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('snappy'),
  TICKFLOW_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits and . _ - only').default(hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100) || 'tickflow'),
  KAFKA_SESSION_TIMEOUT_MS: integer(6_000, 3_600_000).default(30_000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  QUOTE_PROVIDERS: z
    .string()
    .default('finnhub,alphavantage')
    .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))
    .refine((names) => names.every((name) => name === 'finnhub' || name === 'alphavantage') && new Set(names).size === names.length, {
      error: 'comma-separated, each once: finnhub, alphavantage',
    }),
  FINNHUB_REST_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('https://finnhub.io/api/v1'),
  ALPHAVANTAGE_API_KEY: z.string().trim().min(1).optional(),
  ALPHAVANTAGE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('https://www.alphavantage.co'),
  TICKFLOW_QUOTE_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  TICKFLOW_PRICE_FRESH_MS: integer(0, 86_400_000).default(60_000),
  TICKFLOW_PRICE_CACHE_MS: integer(0, 3_600_000).default(5_000),
  TICKFLOW_MA_WINDOWS: z
    .string()
    .default('20')
    .transform((text) => text.split(',').map((window) => Number(window.trim())))
    .refine((windows) => windows.length > 0 && windows.every((window) => Number.isInteger(window) && window >= 1 && window <= 10_000), {
      error: 'comma-separated whole numbers from 1 to 10000, e.g. 20,50',
    }),
  TICKFLOW_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) => (text.trim() === '*' ? ('*' as const) : text.split(',').map((origin) => origin.trim()).filter(Boolean)))
    .refine((origins) => origins === '*' || origins.every((origin) => /^https?:\/\/[^/\s]+$/.test(origin)), {
      error: 'comma-separated origins such as https://app.example.com, or *',
    }),
  TICKFLOW_API_RATE_LIMIT: integer(0, 1_000_000).default(60),
  KINESIS_STREAM: z.string().trim().optional(),
  AWS_REGION: z.string().trim().optional(),
  KINESIS_ENDPOINT: z.string().trim().optional(),
  TICKFLOW_RETENTION_MS: integer(-1, 2_147_483_647 * 1000).default(7 * 24 * 60 * 60 * 1000),
  TICKFLOW_STRATEGIES: z.string().trim().optional(),
  TICKFLOW_ALERTS_RELOAD_MS: integer(100, 600_000).default(1_000),
  // Browsers send it as a WebSocket subprotocol, which takes HTTP token characters only.
  TICKFLOW_WS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').regex(/^[A-Za-z0-9._~+-]+$/, 'letters, digits and . _ ~ + - only').optional(),
  TICKFLOW_WS_HEARTBEAT_MS: integer(1_000, 600_000).default(15_000),
  TICKFLOW_WS_BUFFER: integer(10, 1_000_000).default(1_000),
});

export type RawConfig = z.infer<typeof schema>;

/** Never echoed in an error (DATABASE_URL may hold a password). */
const SECRET_VARIABLES = new Set(['FINNHUB_API_KEY', 'ALPHAVANTAGE_API_KEY', 'DATABASE_URL', 'TICKFLOW_WS_TOKEN']);

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly finnhubApiKey: string | undefined;
  readonly finnhubWsUrl: string;
  readonly symbols: readonly string[];
  readonly dataDir: string;
  readonly logLevel: RawConfig['TICKFLOW_LOG_LEVEL'];
  readonly topicPrefix: string;
  readonly partitions: number;
  readonly windowSize: number;
  readonly publishEvery: number;
  readonly barLatenessMs: number;
  readonly archiveBatch: number;
  readonly archiveFlushMs: number;
  readonly storeBatch: number;
  readonly storeFlushMs: number;
  readonly simulatorRate: number;
  /** The bound on a graceful shutdown (drain, commit, close) before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  readonly bus: 'memory' | 'kafka';
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClientId: string;
  readonly kafkaCompression: RawConfig['KAFKA_COMPRESSION'];
  /**
   * Names this process among copies of the same processor: the same after a restart, different
   * between copies (Kafka transactional ids derive from it).
   */
  readonly instanceId: string;
  /** How long a silent group member keeps its partitions before Kafka hands them to another. */
  readonly kafkaSessionTimeoutMs: number;
  /** PostgreSQL; without it, the embedded store under the data directory. */
  readonly databaseUrl: string | undefined;
  readonly quoteProviders: ReadonlyArray<'finnhub' | 'alphavantage'>;
  readonly finnhubRestUrl: string;
  readonly alphaVantageApiKey: string | undefined;
  readonly alphaVantageUrl: string;
  readonly quoteTimeoutMs: number;
  readonly priceFreshMs: number;
  readonly priceCacheMs: number;
  readonly movingAverageWindows: readonly number[];
  readonly corsOrigins: readonly string[] | '*';
  readonly apiRateLimitPerMinute: number;
  /** The Amazon Kinesis sink, when KINESIS_STREAM names a stream. */
  readonly kinesis: KinesisConfig | null;
  /** Topic retention on Kafka; -1 keeps records forever. */
  readonly retentionMs: number;
  /** A simulator elsewhere (`tickflow simulate`) to read when there is no API key. */
  readonly simulatorUrl: string | undefined;
  /** The signals processor's strategies, per symbol (TICKFLOW_STRATEGIES: JSON, or a JSON file's path). */
  readonly strategies: StrategyConfig;
  /** How often the alerts processor rereads the rules (the API may run in another process). */
  readonly alertsReloadMs: number;
  /** Bearer token the WebSocket endpoints require; none when unset. */
  readonly wsToken: string | undefined;
  readonly wsHeartbeatMs: number;
  /** Messages a WebSocket client may have waiting before it is conflated (stream) or dropped (notifications). */
  readonly wsBuffer: number;
}

export const CONFIG_VARIABLES = Object.keys(schema.shape) as ReadonlyArray<keyof RawConfig>;

/**
 * Reads the configuration from `env`, with a `.env` file (if present) filling in what `env` lacks.
 * Throws a ConfigError naming every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[name] = value;
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration');
      const shown = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(merged[name])})`;
      return `  ${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const raw = parsed.data;
  const kinesis = kinesisConfigFromEnv({ KINESIS_STREAM: raw.KINESIS_STREAM, AWS_REGION: raw.AWS_REGION, KINESIS_ENDPOINT: raw.KINESIS_ENDPOINT });
  return {
    kinesis,
    port: raw.PORT,
    host: raw.HOST,
    finnhubApiKey: raw.FINNHUB_API_KEY,
    finnhubWsUrl: raw.FINNHUB_WS_URL,
    symbols: raw.TICKFLOW_SYMBOLS,
    dataDir: raw.TICKFLOW_DATA_DIR,
    logLevel: raw.TICKFLOW_LOG_LEVEL,
    topicPrefix: raw.TICKFLOW_TOPIC_PREFIX,
    partitions: raw.TICKFLOW_PARTITIONS,
    windowSize: raw.TICKFLOW_WINDOW_SIZE,
    publishEvery: raw.TICKFLOW_PUBLISH_EVERY,
    barLatenessMs: raw.TICKFLOW_BAR_LATENESS_MS,
    archiveBatch: raw.TICKFLOW_ARCHIVE_BATCH,
    archiveFlushMs: raw.TICKFLOW_ARCHIVE_FLUSH_MS,
    storeBatch: raw.TICKFLOW_STORE_BATCH,
    storeFlushMs: raw.TICKFLOW_STORE_FLUSH_MS,
    simulatorRate: raw.TICKFLOW_SIM_RATE,
    shutdownTimeoutMs: raw.TICKFLOW_SHUTDOWN_TIMEOUT_MS,
    bus: raw.TICKFLOW_BUS,
    kafkaBrokers: raw.KAFKA_BROKERS,
    kafkaClientId: raw.KAFKA_CLIENT_ID,
    kafkaCompression: raw.KAFKA_COMPRESSION,
    retentionMs: raw.TICKFLOW_RETENTION_MS,
    kafkaSessionTimeoutMs: raw.KAFKA_SESSION_TIMEOUT_MS,
    instanceId: raw.TICKFLOW_INSTANCE_ID,
    databaseUrl: raw.DATABASE_URL,
    quoteProviders: raw.QUOTE_PROVIDERS as Array<'finnhub' | 'alphavantage'>,
    finnhubRestUrl: raw.FINNHUB_REST_URL,
    alphaVantageApiKey: raw.ALPHAVANTAGE_API_KEY,
    alphaVantageUrl: raw.ALPHAVANTAGE_URL,
    quoteTimeoutMs: raw.TICKFLOW_QUOTE_TIMEOUT_MS,
    priceFreshMs: raw.TICKFLOW_PRICE_FRESH_MS,
    priceCacheMs: raw.TICKFLOW_PRICE_CACHE_MS,
    movingAverageWindows: raw.TICKFLOW_MA_WINDOWS,
    corsOrigins: raw.TICKFLOW_CORS_ORIGINS,
    apiRateLimitPerMinute: raw.TICKFLOW_API_RATE_LIMIT,
    simulatorUrl: raw.TICKFLOW_SIMULATOR_URL,
    strategies: strategiesFrom(raw.TICKFLOW_STRATEGIES),
    alertsReloadMs: raw.TICKFLOW_ALERTS_RELOAD_MS,
    wsToken: raw.TICKFLOW_WS_TOKEN,
    wsHeartbeatMs: raw.TICKFLOW_WS_HEARTBEAT_MS,
    wsBuffer: raw.TICKFLOW_WS_BUFFER,
  };
}

/** Inline JSON (starting with `{`) or the path of a JSON file; the built-in strategies when unset. */
function strategiesFrom(value: string | undefined): StrategyConfig {
  if (value === undefined || value === '') return DEFAULT_STRATEGY_CONFIG;
  if (value.startsWith('{')) return asConfigProblem(() => parseStrategyConfig(value, 'TICKFLOW_STRATEGIES'));
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  TICKFLOW_STRATEGIES: cannot read ${JSON.stringify(value)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (give JSON starting with "{", or a JSON file's path)`);
  }
  return asConfigProblem(() => parseStrategyConfig(text, `TICKFLOW_STRATEGIES (${value})`));
}

/** Reports a setting's own error the way every other invalid setting is reported. */
function asConfigProblem<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`invalid configuration:\n${error.message.split('\n').map((line) => `  ${line}`).join('\n')}`);
  }
}
