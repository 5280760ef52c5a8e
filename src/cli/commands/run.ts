import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../config/config.ts';
import { createBus } from '../compose/bus-factory.ts';
import { systemClock } from '../../clock.ts';
import { createApiServices } from '../compose/api-services.ts';
import { createNotifyServices } from '../compose/notify-services.ts';
import { createFeed } from '../compose/feed-factory.ts';
import { createStore } from '../../store/create-store.ts';
import { createLogger } from '../../logger.ts';
import { TickflowMetrics } from '../../observability/metrics.ts';
import { Pipeline } from '../compose/pipeline.ts';
import { PROCESSOR_NAMES, type ProcessorName } from '../compose/processor-factory.ts';
import { onShutdown } from '../shutdown.ts';
import { usageError } from '../usage-error.ts';
import { startStatusLine } from './up.ts';

export const RUNNABLE = ['ingest', ...PROCESSOR_NAMES, 'api'] as const;
type Runnable = (typeof RUNNABLE)[number];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one part of the pipeline as its own process on Kafka (KAFKA_BROKERS); start as many as you like, they share the work by consumer group')
    .argument('<processor>', RUNNABLE.join(' | '))
    .addHelpText(
      'after',
      `
  ingest           the feed (live Finnhub, or a simulator) publishing to raw-market-data
  aggregator       rolling window metrics and 1 s / 1 min bars to aggregated-metrics (exactly once)
  signals          strategies over trades, bars and metrics to trading-signals (TICKFLOW_STRATEGIES)
  alerts           evaluates the stored alert rules on the stream, firings to alerts
  storage          trades, bars and metrics into PostgreSQL (DATABASE_URL) or the embedded store
  archive          JSON Lines files per topic and day under TICKFLOW_DATA_DIR/archive
  moving-averages  SMA/EMA of price-events into the store
  kinesis          raw market data to an Amazon Kinesis Data Stream (KINESIS_STREAM)
  notify           WebSocket notifications and live streams (/ws/notifications, /ws/stream); each copy serves its own clients
  logger           prints every record
  api              the REST API (/v1, docs at /docs) over the store, the dashboard at /, and the WebSocket endpoints

Each process serves /healthz, /readyz and /status on PORT.`,
    )
    .action((processor: string) => run(processor));
}

async function run(name: string): Promise<void> {
  if (!(RUNNABLE as readonly string[]).includes(name)) throw usageError(`unknown processor "${name}": choose one of ${RUNNABLE.join(', ')}`);
  const part = name as Runnable;
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel }).child({ part });
  const feed = part === 'ingest' ? await createFeed(config, logger) : null;
  // The API process serves the dashboard, whose live data comes over this process's own WebSockets.
  const processors: ProcessorName[] = part === 'ingest' ? [] : part === 'api' ? ['notify'] : [part];
  const needsStore = part === 'api' || part === 'storage' || part === 'moving-averages' || part === 'alerts';
  const metrics = new TickflowMetrics();
  const notify = processors.includes('notify') ? createNotifyServices(config, metrics) : null;
  const store = needsStore ? await createStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }) : null;
  const bus = createBus(config, 'kafka');
  const pipeline = new Pipeline({ config, bus, source: feed?.source ?? null, clock: systemClock, logger, processors, ...(store ? { store } : {}), ...(notify ? { notifyHub: notify.hub } : {}), metrics });
  const api = part === 'api' && store ? createApiServices({ config, bus, topics: pipeline.topics, store, pipeline: null, simulator: null, logger }) : null;
  const app = await buildApp({
    status: () => pipeline.status(),
    metrics: metrics.registry,
    dependencies: { bus: () => bus.ping(), ...(store ? { store: () => store.ping() } : {}) },
    ...(api && store ? { api, alerts: { store }, signals: { store }, dashboard: true, corsOrigins: config.corsOrigins, rateLimitPerMinute: config.apiRateLimitPerMinute } : {}),
    ...(notify ? { notify: notify.routes } : {}),
  });
  const stopStatusLine = startStatusLine(pipeline, false, 10_000, logger);

  const shutdown = onShutdown(async (reason) => {
    stopStatusLine();
    logger.info({ reason }, `stopping ${part}`);
    await app.close();
    await api?.close();
    await pipeline.stop();
    await store?.close();
    await feed?.simulator?.close();
    logger.info('shutdown complete');
  }, config.shutdownTimeoutMs);

  await pipeline.start();
  await app.listen({ port: config.port, host: config.host });
  logger.info({ brokers: config.kafkaBrokers, http: `http://${config.host}:${config.port}` }, `${part} running on Kafka`);
  feed?.source.done.then(
    () => {},
    async (error: unknown) => {
      logger.fatal({ err: error }, 'the feed stopped for good');
      await shutdown('feed failed');
      process.exit(1);
    },
  );
}
