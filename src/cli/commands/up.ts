import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { usageError } from '../usage-error.ts';
import { buildApp } from '../../api/app.ts';
import { MemoryBus } from '../../bus/memory/memory-bus.ts';
import { loadConfig, type Config } from '../../config/config.ts';
import { systemClock } from '../../runtime/clock.ts';
import { createLogger, type Logger } from '../../runtime/logger.ts';
import { Pipeline } from '../../runtime/pipeline.ts';
import { StatusLine } from '../../runtime/status-line.ts';
import { FinnhubFeed } from '../../sources/finnhub/feed.ts';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../sources/simulator/server.ts';
import { onShutdown } from '../shutdown.ts';

interface UpOptions {
  readonly logRecords: boolean;
  readonly statusEvery: string;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('run the whole pipeline in this process: feed (live Finnhub with FINNHUB_API_KEY, else the simulator), bus, aggregator, archive, HTTP')
    .option('--log-records', 'also print every record (the logger processor)', false)
    .option('--status-every <seconds>', 'status line interval when stdout is not a terminal', '10')
    .action((options: UpOptions) => up(options));
}

async function up(options: UpOptions): Promise<void> {
  const config = loadConfig();
  const statusEveryMs = Number(options.statusEvery) * 1000;
  if (!Number.isFinite(statusEveryMs) || statusEveryMs <= 0) throw usageError(`--status-every must be a positive number of seconds (got ${options.statusEvery})`);
  const logger = createLogger({ level: config.logLevel });
  const simulator = config.finnhubApiKey ? null : await createFinnhubSimulator({ tradesPerSecond: config.simulatorRate, logger: logger.child({ component: 'simulator' }) });
  const source = new FinnhubFeed({
    apiKey: config.finnhubApiKey ?? 'tickflow-embedded',
    url: simulator?.url ?? config.finnhubWsUrl,
    source: simulator ? 'simulator' : 'finnhub',
    symbols: config.symbols,
    logger: logger.child({ component: 'feed' }),
  });
  const bus = new MemoryBus({ defaultPartitions: config.partitions });
  const pipeline = new Pipeline({ config, bus, source, clock: systemClock, logger, logRecords: options.logRecords });
  const app = buildApp({ status: () => pipeline.status() });

  const statusLine = new StatusLine();
  const interactive = process.stdout.isTTY === true && !options.logRecords;
  const statusTimer = setInterval(
    () => {
      void pipeline.status().then((status) => {
        const line = statusLine.render(status);
        if (interactive) process.stdout.write(`\r\x1b[K${line}`);
        else logger.info({ status: line }, 'status');
      });
    },
    interactive ? 1_000 : statusEveryMs,
  );

  const shutdown = onShutdown(async (reason) => {
    clearInterval(statusTimer);
    if (interactive) process.stdout.write('\n');
    logger.info({ reason }, 'shutting down: draining the pipeline');
    await pipeline.stop();
    await app.close();
    await simulator?.close();
    logger.info('shutdown complete');
  });

  await pipeline.start();
  await app.listen({ port: config.port, host: config.host });
  printBanner(config, app.server.address(), simulator, logger);
  source.done.then(
    () => {},
    async (error: unknown) => {
      logger.fatal({ err: error }, 'the feed stopped for good');
      await shutdown('feed failed');
      process.exit(1);
    },
  );
}

function printBanner(config: Config, address: string | AddressInfo | null, simulator: FinnhubSimulator | null, logger: Logger): void {
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  const feed = simulator ? `built-in Finnhub simulator at ${simulator.url} (set FINNHUB_API_KEY for live data)` : 'live Finnhub';
  const lines = [
    `tickflow is up: ${config.symbols.length} symbols from ${feed}`,
    `  health   ${base}/healthz`,
    `  ready    ${base}/readyz`,
    `  status   ${base}/status`,
    `  archive  ${config.dataDir}/archive/<topic>/<day>.jsonl`,
    ...(simulator ? [`  faults   POST ${simulator.restUrl.replace(/\/api\/v1$/, '/sim')}/drop | /silence?ms=5000 | /malformed?count=3`] : []),
    '  Ctrl-C drains and stops',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  logger.debug({ base }, 'listening');
}
