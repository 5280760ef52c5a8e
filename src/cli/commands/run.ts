import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../logger.ts';
import { assemble } from '../compose/assemble.ts';
import { isRunnable, RUNNABLE, runPlanFor } from '../compose/process-parts.ts';
import { onShutdown } from '../shutdown.ts';
import { startStatusLine } from '../status-line.ts';
import { usageError } from '../usage-error.ts';
import { exitWhenTheFeedFails } from './feed-failure.ts';
import { exitWhenAProcessorHalts, withPartHint } from './processor-failure.ts';

/** What `tickflow run` accepts (defined with the plans in process-parts.ts). */
export { RUNNABLE } from '../compose/process-parts.ts';

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
  trading          paper trading: the single writer of accounts and orders, fills against the tape; serves /v2 (Alpaca Trading API) and /stream; with TICKFLOW_TRADERS, also the traders. One per deployment
  storage          trades, bars and metrics into PostgreSQL (DATABASE_URL) or the embedded store
  archive          JSON Lines files per topic and day under TICKFLOW_DATA_DIR/archive
  moving-averages  SMA/EMA of price-events into the store
  kinesis          raw market data to an Amazon Kinesis Data Stream (KINESIS_STREAM)
  notify           WebSocket notifications and live streams (/ws/notifications, /ws/stream); each copy serves its own clients
  logger           prints every record
  api              the REST API (/v1, docs at /docs) over the store, the dashboard at /, and the WebSocket endpoints;
                   changes on /v1 need the admin token (TICKFLOW_ADMIN_TOKEN, else <TICKFLOW_DATA_DIR>/admin-token:
                   give every api and trading process the same TICKFLOW_ADMIN_TOKEN)

Each process serves /healthz, /readyz and /status on PORT.`,
    )
    .action((processor: string) => run(processor));
}

async function run(name: string): Promise<void> {
  if (!isRunnable(name)) throw usageError(`unknown processor "${name}": choose one of ${RUNNABLE.join(', ')}`);
  const part = name;
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel }).child({ part });
  const assembly = await assemble({ config, logger, bus: 'kafka', ...runPlanFor(part, config) });
  const stopStatusLine = startStatusLine(assembly.pipeline, false, 10_000, logger);
  const shutdown = onShutdown(async (reason) => {
    stopStatusLine();
    logger.info({ reason }, `stopping ${part}`);
    await assembly.stop();
    logger.info('shutdown complete');
  }, config.shutdownTimeoutMs);
  try {
    await assembly.start();
  } catch (error) {
    throw withPartHint(error, part);
  }
  // Where the admin token comes from, never the token: with several processes, TICKFLOW_ADMIN_TOKEN makes it one for all.
  logger.info({ brokers: config.kafkaBrokers, http: `http://${config.host}:${config.port}`, ...(assembly.adminTokenWhere ? { adminTokenIn: assembly.adminTokenWhere } : {}) }, `${part} running on Kafka`);
  exitWhenTheFeedFails(assembly, shutdown, logger);
  exitWhenAProcessorHalts(assembly, part, shutdown, logger);
}
