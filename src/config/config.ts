import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { API_DEFAULTS } from '../api/app.ts';
import { TOPIC_DEFAULTS } from '../bus/bus.ts';
import { KAFKA_BUS_DEFAULTS, KAFKA_COMPRESSIONS } from '../bus/kafka/options.ts';
import type { KafkaSecurityOptions } from '../bus/kafka/security.ts';
import { ConfigError } from '../errors.ts';
import { KAFKA_SECRET_VARIABLES, KAFKA_SECURITY_DEFAULTS, KAFKA_SECURITY_VARIABLES, kafkaSecurityFromEnv } from './kafka-security.ts';
import { LOGGER_DEFAULTS } from '../logger.ts';
import { SYMBOL_PATTERN } from '../model/guards.ts';
import { NOTIFICATION_HUB_DEFAULTS } from '../notify/notification-hub.ts';
import { NOTIFY_ROUTE_DEFAULTS } from '../notify/websocket-routes.ts';
import { LATEST_PRICE_DEFAULTS } from '../prices/latest-price-service.ts';
import { AGGREGATOR_DEFAULTS } from '../processors/aggregator/aggregator-settings.ts';
import { ALERTS_DEFAULTS } from '../processors/alerts/alerts-processor.ts';
import { ARCHIVE_DEFAULTS } from '../processors/archive/archive-processor.ts';
import { KINESIS_SINK_DEFAULTS, kinesisConfigFromEnv, type KinesisConfig } from '../processors/kinesis/kinesis-options.ts';
import { MOVING_AVERAGE_DEFAULTS } from '../processors/moving-averages/moving-average-processor.ts';
import { DEFAULT_STRATEGY_CONFIG, parseStrategyConfig, type StrategyConfig } from '../processors/signals/strategy-config.ts';
import { strategyIds } from '../processors/signals/strategy-registry.ts';
import { parseTraderConfig, type TraderConfig } from '../processors/trader/trader-config.ts';
import { STORAGE_DEFAULTS } from '../processors/storage/storage-processor.ts';
import { ALPHAVANTAGE_QUOTE_DEFAULTS } from '../providers/alpha-vantage-quote-provider.ts';
import { FINNHUB_QUOTE_DEFAULTS } from '../providers/finnhub-quote-provider.ts';
import { QUOTE_DEFAULTS } from '../providers/quote-provider.ts';
import { QUOTE_PROVIDER_DEFAULTS, QUOTE_PROVIDER_NAMES, type QuoteProviderName } from '../providers/quote-providers.ts';
import { FINNHUB_DEFAULT_WS_URL } from '../sources/finnhub/messages.ts';
import { SIMULATOR_DEFAULTS } from '../sources/simulator/server.ts';
import { DATABASE_SCHEMA, databaseUrlFrom } from './database-config.ts';
import type { TopicOverrides } from '../topics.ts';
import { applySeedAliases, TOPIC_SETTINGS, topicOverridesFrom } from './topic-config.ts';

export const DEFAULT_SYMBOLS = 'AAPL,MSFT,NVDA,TSLA,SPY,OANDA:EUR_USD,OANDA:GBP_USD,BINANCE:BTCUSDT,BINANCE:ETHUSDT';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The default of every setting that has one, as its environment variable spells it. Each is read
 * from the defaults object of the component it configures, so it is written once; the few that
 * configure the process itself (where data goes, which bus, the brokers, the shutdown bound) are
 * written here.
 */
export const ENV_DEFAULTS = {
  PORT: API_DEFAULTS.port,
  HOST: API_DEFAULTS.host,
  FINNHUB_WS_URL: FINNHUB_DEFAULT_WS_URL,
  TICKFLOW_SYMBOLS: DEFAULT_SYMBOLS,
  TICKFLOW_DATA_DIR: './data',
  TICKFLOW_LOG_LEVEL: LOGGER_DEFAULTS.level,
  TICKFLOW_TOPIC_PREFIX: '',
  TICKFLOW_PARTITIONS: TOPIC_DEFAULTS.partitions,
  TICKFLOW_WINDOW_SIZE: AGGREGATOR_DEFAULTS.windowSize,
  TICKFLOW_PUBLISH_EVERY: AGGREGATOR_DEFAULTS.publishEvery,
  TICKFLOW_BAR_LATENESS_MS: AGGREGATOR_DEFAULTS.barLatenessMs,
  TICKFLOW_ARCHIVE_BATCH: ARCHIVE_DEFAULTS.batchSize,
  TICKFLOW_ARCHIVE_FLUSH_MS: ARCHIVE_DEFAULTS.flushMs,
  TICKFLOW_STORE_BATCH: STORAGE_DEFAULTS.batchSize,
  TICKFLOW_STORE_FLUSH_MS: STORAGE_DEFAULTS.flushMs,
  TICKFLOW_SHUTDOWN_TIMEOUT_MS: 20_000,
  TICKFLOW_SIM_RATE: SIMULATOR_DEFAULTS.tradesPerSecond,
  TICKFLOW_JOURNAL: 'on',
  TICKFLOW_BUS: 'memory',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_CLIENT_ID: KAFKA_BUS_DEFAULTS.clientId,
  KAFKA_COMPRESSION: KAFKA_BUS_DEFAULTS.compression,
  TICKFLOW_INSTANCE_ID: hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100) || 'tickflow',
  KAFKA_SESSION_TIMEOUT_MS: KAFKA_BUS_DEFAULTS.sessionTimeoutMs,
  ...KAFKA_SECURITY_DEFAULTS,
  QUOTE_PROVIDERS: QUOTE_PROVIDER_DEFAULTS.order.join(','),
  FINNHUB_REST_URL: FINNHUB_QUOTE_DEFAULTS.baseUrl,
  ALPHAVANTAGE_URL: ALPHAVANTAGE_QUOTE_DEFAULTS.baseUrl,
  TICKFLOW_QUOTE_TIMEOUT_MS: QUOTE_DEFAULTS.timeoutMs,
  TICKFLOW_PRICE_FRESH_MS: LATEST_PRICE_DEFAULTS.freshMs,
  TICKFLOW_PRICE_CACHE_MS: LATEST_PRICE_DEFAULTS.cacheMs,
  TICKFLOW_MA_WINDOWS: MOVING_AVERAGE_DEFAULTS.windows.join(','),
  TICKFLOW_CORS_ORIGINS: '',
  TICKFLOW_API_RATE_LIMIT: API_DEFAULTS.rateLimitPerMinute,
  AWS_REGION: KINESIS_SINK_DEFAULTS.region,
  TICKFLOW_RETENTION_MS: TOPIC_DEFAULTS.retentionMs,
  TICKFLOW_ALERTS_RELOAD_MS: ALERTS_DEFAULTS.reloadMs,
  TICKFLOW_WS_HEARTBEAT_MS: NOTIFY_ROUTE_DEFAULTS.heartbeatMs,
  TICKFLOW_WS_BUFFER: NOTIFICATION_HUB_DEFAULTS.buffer,
} as const;


/** Every setting tickflow reads from the environment, with its default. */
const schema = z.object({
  PORT: integer(0, 65_535).default(ENV_DEFAULTS.PORT),
  HOST: z.string().min(1).default(ENV_DEFAULTS.HOST),
  FINNHUB_API_KEY: z.string().trim().min(1).optional(),
  FINNHUB_WS_URL: z
    .url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' })
    .default(ENV_DEFAULTS.FINNHUB_WS_URL),
  TICKFLOW_SIMULATOR_URL: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }).optional(),
  TICKFLOW_SYMBOLS: z
    .string()
    .default(ENV_DEFAULTS.TICKFLOW_SYMBOLS)
    .transform((text) => [...new Set(text.split(',').map((symbol) => symbol.trim()).filter(Boolean))])
    .refine((symbols) => symbols.length > 0, 'needs at least one symbol')
    .refine((symbols) => symbols.every((symbol) => SYMBOL_PATTERN.test(symbol)), {
      error: 'symbols are letters, digits and . : _ - / ^ = (e.g. AAPL,OANDA:EUR_USD,BINANCE:BTCUSDT)',
    }),
  TICKFLOW_DATA_DIR: z.string().min(1).default(ENV_DEFAULTS.TICKFLOW_DATA_DIR),
  TICKFLOW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(ENV_DEFAULTS.TICKFLOW_LOG_LEVEL),
  TICKFLOW_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ - only')
    .default(ENV_DEFAULTS.TICKFLOW_TOPIC_PREFIX),
  TICKFLOW_PARTITIONS: integer(1, 1_024).default(ENV_DEFAULTS.TICKFLOW_PARTITIONS),
  TICKFLOW_WINDOW_SIZE: integer(1, 100_000).default(ENV_DEFAULTS.TICKFLOW_WINDOW_SIZE),
  TICKFLOW_PUBLISH_EVERY: integer(1, 100_000).default(ENV_DEFAULTS.TICKFLOW_PUBLISH_EVERY),
  TICKFLOW_BAR_LATENESS_MS: integer(0, 600_000).default(ENV_DEFAULTS.TICKFLOW_BAR_LATENESS_MS),
  TICKFLOW_ARCHIVE_BATCH: integer(1, 1_000_000).default(ENV_DEFAULTS.TICKFLOW_ARCHIVE_BATCH),
  TICKFLOW_ARCHIVE_FLUSH_MS: integer(1, 600_000).default(ENV_DEFAULTS.TICKFLOW_ARCHIVE_FLUSH_MS),
  TICKFLOW_STORE_BATCH: integer(1, 1_000_000).default(ENV_DEFAULTS.TICKFLOW_STORE_BATCH),
  TICKFLOW_STORE_FLUSH_MS: integer(1, 600_000).default(ENV_DEFAULTS.TICKFLOW_STORE_FLUSH_MS),
  TICKFLOW_SHUTDOWN_TIMEOUT_MS: integer(1_000, 600_000).default(ENV_DEFAULTS.TICKFLOW_SHUTDOWN_TIMEOUT_MS),
  TICKFLOW_SIM_RATE: z.coerce.number().positive().max(1_000_000).default(ENV_DEFAULTS.TICKFLOW_SIM_RATE),
  TICKFLOW_BUS: z.enum(['memory', 'kafka']).default(ENV_DEFAULTS.TICKFLOW_BUS),
  TICKFLOW_JOURNAL: z.enum(['on', 'off']).default(ENV_DEFAULTS.TICKFLOW_JOURNAL),
  KAFKA_BROKERS: z
    .string()
    .default(ENV_DEFAULTS.KAFKA_BROKERS)
    .transform((text) => text.split(',').map((broker) => broker.trim()).filter(Boolean))
    .refine((brokers) => brokers.length > 0 && brokers.every((broker) => /^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/.test(broker)), {
      error: 'comma-separated host:port list, e.g. 127.0.0.1:9092,kafka-2:9092',
    }),
  KAFKA_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits and . _ - only').default(ENV_DEFAULTS.KAFKA_CLIENT_ID),
  KAFKA_COMPRESSION: z.enum(KAFKA_COMPRESSIONS).default(ENV_DEFAULTS.KAFKA_COMPRESSION),
  TICKFLOW_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits and . _ - only').default(ENV_DEFAULTS.TICKFLOW_INSTANCE_ID),
  KAFKA_SESSION_TIMEOUT_MS: integer(6_000, 3_600_000).default(ENV_DEFAULTS.KAFKA_SESSION_TIMEOUT_MS),
  ...KAFKA_SECURITY_VARIABLES,
  ...DATABASE_SCHEMA,
  QUOTE_PROVIDERS: z
    .string()
    .default(ENV_DEFAULTS.QUOTE_PROVIDERS)
    // `alphavantage`, tickflow's name before the seed contract's `alpha_vantage`, still reads.
    .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean).map((name) => (name === 'alphavantage' ? 'alpha_vantage' : name)))
    .refine((names) => names.every((name) => (QUOTE_PROVIDER_NAMES as readonly string[]).includes(name)) && new Set(names).size === names.length, {
      error: 'comma-separated, each once: finnhub, alpha_vantage',
    }),
  FINNHUB_REST_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default(ENV_DEFAULTS.FINNHUB_REST_URL),
  ALPHAVANTAGE_API_KEY: z.string().trim().min(1).optional(),
  ALPHAVANTAGE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default(ENV_DEFAULTS.ALPHAVANTAGE_URL),
  TICKFLOW_QUOTE_TIMEOUT_MS: integer(100, 120_000).default(ENV_DEFAULTS.TICKFLOW_QUOTE_TIMEOUT_MS),
  TICKFLOW_PRICE_FRESH_MS: integer(0, 86_400_000).default(ENV_DEFAULTS.TICKFLOW_PRICE_FRESH_MS),
  TICKFLOW_PRICE_CACHE_MS: integer(0, 3_600_000).default(ENV_DEFAULTS.TICKFLOW_PRICE_CACHE_MS),
  TICKFLOW_MA_WINDOWS: z
    .string()
    .default(ENV_DEFAULTS.TICKFLOW_MA_WINDOWS)
    .transform((text) => text.split(',').map((window) => Number(window.trim())))
    .refine((windows) => windows.length > 0 && windows.every((window) => Number.isInteger(window) && window >= 1 && window <= 10_000), {
      error: 'comma-separated whole numbers from 1 to 10000, e.g. 20,50',
    }),
  TICKFLOW_CORS_ORIGINS: z
    .string()
    .default(ENV_DEFAULTS.TICKFLOW_CORS_ORIGINS)
    .transform((text) => (text.trim() === '*' ? ('*' as const) : text.split(',').map((origin) => origin.trim()).filter(Boolean)))
    .refine((origins) => origins === '*' || origins.every((origin) => /^https?:\/\/[^/\s]+$/.test(origin)), {
      error: 'comma-separated origins such as https://app.example.com, or *',
    }),
  TICKFLOW_API_RATE_LIMIT: integer(0, 1_000_000).default(ENV_DEFAULTS.TICKFLOW_API_RATE_LIMIT),
  KINESIS_STREAM: z.string().trim().optional(),
  AWS_REGION: z.string().trim().optional(),
  KINESIS_ENDPOINT: z.string().trim().optional(),
  TICKFLOW_RETENTION_MS: integer(-1, 2_147_483_647 * 1000).default(ENV_DEFAULTS.TICKFLOW_RETENTION_MS),
  TICKFLOW_STRATEGIES: z.string().trim().optional(),
  TICKFLOW_TRADERS: z.string().trim().optional(),
  TICKFLOW_ALERTS_RELOAD_MS: integer(100, 600_000).default(ENV_DEFAULTS.TICKFLOW_ALERTS_RELOAD_MS),
  // Browsers send it as a WebSocket subprotocol, which takes HTTP token characters only.
  TICKFLOW_WS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').regex(/^[A-Za-z0-9._~+-]+$/, 'letters, digits and . _ ~ + - only').optional(),
  // Sent as `Authorization: Bearer <token>`: HTTP token characters only.
  TICKFLOW_ADMIN_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').regex(/^[A-Za-z0-9._~+-]+$/, 'letters, digits and . _ ~ + - only').optional(),
  TICKFLOW_API_READ_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').regex(/^[A-Za-z0-9._~+-]+$/, 'letters, digits and . _ ~ + - only').optional(),
  TICKFLOW_WS_HEARTBEAT_MS: integer(1_000, 600_000).default(ENV_DEFAULTS.TICKFLOW_WS_HEARTBEAT_MS),
  TICKFLOW_WS_BUFFER: integer(10, 1_000_000).default(ENV_DEFAULTS.TICKFLOW_WS_BUFFER),
  ...TOPIC_SETTINGS,
});

export type RawConfig = z.infer<typeof schema>;

/** Never echoed in an error (DATABASE_URL may hold a password). */
const SECRET_VARIABLES = new Set(['FINNHUB_API_KEY', 'ALPHAVANTAGE_API_KEY', 'DATABASE_URL', 'TICKFLOW_WS_TOKEN', 'TICKFLOW_ADMIN_TOKEN', 'TICKFLOW_API_READ_TOKEN', ...KAFKA_SECRET_VARIABLES]);

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly finnhubApiKey: string | undefined;
  readonly finnhubWsUrl: string;
  readonly symbols: readonly string[];
  readonly dataDir: string;
  readonly logLevel: RawConfig['TICKFLOW_LOG_LEVEL'];
  readonly topicPrefix: string;
  /** Topic names set one by one (TICKFLOW_TOPIC_<KIND>); build the names with `topicNames(topicPrefix, topicOverrides)`. */
  readonly topicOverrides: TopicOverrides;
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
  /** Embedded `up` with a feed: journal received records to `<dataDir>/journal` before the in-memory bus. */
  readonly journal: boolean;
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
  /** TLS and SASL of every Kafka client (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*); holds secrets. */
  readonly kafkaSecurity: KafkaSecurityOptions;
  /** PostgreSQL, with PGSSLMODE and PGSSLROOTCERT folded in; without it, the embedded store under the data directory. */
  readonly databaseUrl: string | undefined;
  readonly quoteProviders: readonly QuoteProviderName[];
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
  /** Traders turning strategies' signals into paper orders (TICKFLOW_TRADERS: JSON, or a JSON file's path); none when unset. */
  readonly traders: readonly TraderConfig[];
  /** How often the alerts processor rereads the rules (the API may run in another process). */
  readonly alertsReloadMs: number;
  /** Bearer token the WebSocket endpoints require; none when unset. */
  readonly wsToken: string | undefined;
  readonly wsHeartbeatMs: number;
  /** Bearer token of every change on /v1 (alert rules, accounts) and of `/v1/accounts`; without it, one is generated into `<data dir>/admin-token`. */
  readonly adminToken: string | undefined;
  /** When set, the bearer token the read routes (GET /v1/..., /status) require; they are open otherwise. */
  readonly apiReadToken: string | undefined;
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
  applySeedAliases(merged);
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
  const strategies = strategiesFrom(raw.TICKFLOW_STRATEGIES);
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
    topicOverrides: topicOverridesFrom(raw, raw.TICKFLOW_TOPIC_PREFIX),
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
    journal: raw.TICKFLOW_JOURNAL === 'on',
    bus: raw.TICKFLOW_BUS,
    kafkaBrokers: raw.KAFKA_BROKERS,
    kafkaClientId: raw.KAFKA_CLIENT_ID,
    kafkaCompression: raw.KAFKA_COMPRESSION,
    retentionMs: raw.TICKFLOW_RETENTION_MS,
    kafkaSessionTimeoutMs: raw.KAFKA_SESSION_TIMEOUT_MS,
    kafkaSecurity: kafkaSecurityFromEnv(raw),
    instanceId: raw.TICKFLOW_INSTANCE_ID,
    databaseUrl: databaseUrlFrom(raw),
    quoteProviders: raw.QUOTE_PROVIDERS as QuoteProviderName[],
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
    strategies,
    traders: raw.TICKFLOW_TRADERS ? jsonSetting('TICKFLOW_TRADERS', raw.TICKFLOW_TRADERS, (text, variable) => parseTraderConfig(text, variable, strategyIds(strategies))) : [],
    alertsReloadMs: raw.TICKFLOW_ALERTS_RELOAD_MS,
    wsToken: raw.TICKFLOW_WS_TOKEN,
    wsHeartbeatMs: raw.TICKFLOW_WS_HEARTBEAT_MS,
    adminToken: raw.TICKFLOW_ADMIN_TOKEN,
    apiReadToken: raw.TICKFLOW_API_READ_TOKEN,
    wsBuffer: raw.TICKFLOW_WS_BUFFER,
  };
}

/** The built-in strategies when unset. */
function strategiesFrom(value: string | undefined): StrategyConfig {
  if (value === undefined || value === '') return DEFAULT_STRATEGY_CONFIG;
  return jsonSetting('TICKFLOW_STRATEGIES', value, parseStrategyConfig);
}

/** Inline JSON (starting with `{` or `[`) or the path of a JSON file, parsed by `parse`. */
function jsonSetting<T>(variable: string, value: string, parse: (text: string, variable: string) => T): T {
  if (value.startsWith('{') || value.startsWith('[')) return asConfigProblem(() => parse(value, variable));
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  ${variable}: cannot read ${JSON.stringify(value)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (give JSON, or a JSON file's path)`);
  }
  return asConfigProblem(() => parse(text, `${variable} (${value})`));
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
