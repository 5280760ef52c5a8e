import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../config/config.ts';
import { createBus } from '../../runtime/bus-factory.ts';
import { systemClock } from '../../runtime/clock.ts';
import { createFeed } from '../../runtime/feed-factory.ts';
import { createLogger } from '../../runtime/logger.ts';
import { Pipeline } from '../../runtime/pipeline.ts';
import { PROCESSOR_NAMES, type ProcessorName } from '../../runtime/processor-factory.ts';
import { onShutdown } from '../shutdown.ts';
import { usageError } from '../usage-error.ts';
import { startStatusLine } from './up.ts';

export const RUNNABLE = ['ingest', ...PROCESSOR_NAMES] as const;
type Runnable = (typeof RUNNABLE)[number];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one part of the pipeline as its own process on Kafka (KAFKA_BROKERS); start as many as you like, they share the work by consumer group')
    .argument('<processor>', RUNNABLE.join(' | '))
    .addHelpText(
      'after',
      `
  ingest      the feed (live Finnhub, or a simulator) publishing to raw-market-data
  aggregator  rolling window metrics and 1 s / 1 min bars to aggregated-metrics
  archive     JSON Lines files per topic and day under TICKFLOW_DATA_DIR/archive
  logger      prints every record

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
  const processors: ProcessorName[] = part === 'ingest' ? [] : [part];
  const pipeline = new Pipeline({ config, bus: createBus(config, 'kafka'), source: feed?.source ?? null, clock: systemClock, logger, processors });
  const app = await buildApp({ status: () => pipeline.status() });
  const stopStatusLine = startStatusLine(pipeline, false, 10_000, logger);

  const shutdown = onShutdown(async (reason) => {
    stopStatusLine();
    logger.info({ reason }, `stopping ${part}`);
    await pipeline.stop();
    await app.close();
    await feed?.simulator?.close();
    logger.info('shutdown complete');
  });

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
