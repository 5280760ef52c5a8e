import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { loadConfig, type Config } from '../../config/config.ts';
import { createBus } from '../compose/bus-factory.ts';
import { systemClock } from '../../clock.ts';
import { createApiServices } from '../compose/api-services.ts';
import { createNotifyServices } from '../compose/notify-services.ts';
import { createFeed, type Feed } from '../compose/feed-factory.ts';
import { createStore } from '../../store/create-store.ts';
import { createLogger, type Logger } from '../../logger.ts';
import { TickflowMetrics } from '../../observability/metrics.ts';
import { Pipeline } from '../compose/pipeline.ts';
import { PROCESSOR_NAMES, type ProcessorName } from '../compose/processor-factory.ts';
import { StatusLine } from '../status-line.ts';
import { onShutdown } from '../shutdown.ts';
import { usageError } from '../usage-error.ts';

interface UpOptions {
  readonly bus?: string;
  readonly logRecords: boolean;
  readonly statusEvery: string;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run the whole pipeline in this process: feed (live Finnhub with FINNHUB_API_KEY, else the simulator), bus, aggregator, signals, alerts, storage, archive, moving averages, notifications, REST API and dashboard')
    .option('--bus <bus>', 'memory (embedded) or kafka (KAFKA_BROKERS); default TICKFLOW_BUS or memory')
    .option('--log-records', 'also print every record (the logger processor)', false)
    .option('--status-every <seconds>', 'status line interval when stdout is not a terminal', '10')
    .action((options: UpOptions) => up(options));
}

async function up(options: UpOptions): Promise<void> {
  if (options.bus !== undefined && options.bus !== 'memory' && options.bus !== 'kafka') throw usageError(`--bus must be memory or kafka (got ${options.bus})`);
  const statusEveryMs = Number(options.statusEvery) * 1000;
  if (!Number.isFinite(statusEveryMs) || statusEveryMs <= 0) throw usageError(`--status-every must be a positive number of seconds (got ${options.statusEvery})`);
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const busKind = (options.bus as 'memory' | 'kafka' | undefined) ?? config.bus;
  const processors: ProcessorName[] = PROCESSOR_NAMES.filter((name) => (name !== 'logger' || options.logRecords) && (name !== 'kinesis' || config.kinesis !== null));
  const store = await createStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const feed = await createFeed(config, logger);
  const bus = createBus(config, busKind);
  const metrics = new TickflowMetrics();
  const notify = createNotifyServices(config, metrics);
  const pipeline = new Pipeline({ config, bus, source: feed.source, clock: systemClock, logger, processors, store, metrics, notifyHub: notify.hub });
  const api = createApiServices({ config, bus, topics: pipeline.topics, store, pipeline, simulator: feed.simulator, logger });
  const app = await buildApp({
    status: () => pipeline.status(),
    api,
    alerts: { store },
    signals: { store },
    notify: notify.routes,
    dashboard: true,
    corsOrigins: config.corsOrigins,
    rateLimitPerMinute: config.apiRateLimitPerMinute,
    metrics: metrics.registry,
    dependencies: { bus: () => bus.ping(), store: () => store.ping() },
  });
  const stopStatusLine = startStatusLine(pipeline, process.stdout.isTTY === true && !options.logRecords, statusEveryMs, logger);

  const shutdown = onShutdown(async (reason) => {
    stopStatusLine();
    logger.info({ reason }, 'shutting down: draining the pipeline');
    await app.close();
    await api.close();
    await pipeline.stop();
    await store.close();
    await feed.simulator?.close();
    logger.info('shutdown complete');
  }, config.shutdownTimeoutMs);

  await pipeline.start();
  await app.listen({ port: config.port, host: config.host });
  printBanner(config, busKind, app.server.address(), feed);
  feed.source.done.then(
    () => {},
    async (error: unknown) => {
      logger.fatal({ err: error }, 'the feed stopped for good');
      await shutdown('feed failed');
      process.exit(1);
    },
  );
}

/** A live line on a terminal; a log line every `everyMs` otherwise. Returns a stop function. */
export function startStatusLine(pipeline: Pipeline, interactive: boolean, everyMs: number, logger: Logger): () => void {
  const statusLine = new StatusLine();
  const timer = setInterval(
    () => {
      void pipeline.status().then((status) => {
        const line = statusLine.render(status);
        if (interactive) process.stdout.write(`\r\x1b[K${line}`);
        else logger.info({ status: line }, 'status');
      });
    },
    interactive ? 1_000 : everyMs,
  );
  return () => {
    clearInterval(timer);
    if (interactive) process.stdout.write('\n');
  };
}

function printBanner(config: Config, bus: 'memory' | 'kafka', address: string | AddressInfo | null, feed: Feed): void {
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  const wsBase = `ws://${config.host}:${port}`;
  const busLine = bus === 'kafka' ? `Kafka at ${config.kafkaBrokers.join(',')}` : 'the embedded bus';
  const lines = [
    `tickflow is up: ${config.symbols.length} symbols from ${feed.description}, on ${busLine}`,
    `  dashboard ${base}/`,
    `  health   ${base}/healthz`,
    `  ready    ${base}/readyz`,
    `  status   ${base}/status`,
    `  api      ${base}/v1/symbols · ${base}/v1/prices/latest?symbol=${config.symbols[0]} · docs ${base}/docs`,
    `  live     ${wsBase}/ws/stream · ${wsBase}/ws/notifications${config.wsToken ? ' (bearer token TICKFLOW_WS_TOKEN)' : ''}`,
    `  alerts   ${base}/v1/alerts`,
    `  store    ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}/store`}`,
    `  archive  ${config.dataDir}/archive/<topic>/<day>.jsonl`,
    ...(feed.simulator ? [`  faults   POST ${feed.simulator.restUrl.replace(/\/api\/v1$/, '/sim')}/drop | /silence?ms=5000 | /malformed?count=3`] : []),
    '  Ctrl-C drains and stops',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
