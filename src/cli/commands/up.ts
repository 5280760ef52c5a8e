import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config/config.ts';
import { createLogger } from '../../logger.ts';
import { assemble, type Assembly } from '../compose/assemble.ts';
import { PROCESSOR_NAMES, withStrategy, withTraders, type ProcessorName } from '../compose/processor-factory.ts';
import { DEFAULT_ACCOUNT } from '../../processors/trader/trader-config.ts';
import { counted } from '../counted.ts';
import { onShutdown } from '../shutdown.ts';
import { startStatusLine } from '../status-line.ts';
import { usageError } from '../usage-error.ts';
import { ensureDefaultAccount } from './default-account.ts';
import { announceWhenConnected, feedLine } from './feed-banner.ts';
import { exitWhenTheFeedFails } from './feed-failure.ts';
import { liveStrategyOf, strategyAccountId, strategyLine, type StrategyOptions } from './up-strategy.ts';

interface UpOptions extends StrategyOptions {
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
    .option('--strategy <file>', 'run a strategy module (defineStrategy({...}), as for tickflow backtest) live on a paper account')
    .option('--account <id>', `the paper account the strategy trades: an account id, or ${DEFAULT_ACCOUNT} (the one tickflow up made)`)
    .option('--param <name=value>', 'a strategy parameter, repeatable', (value: string, all: string[]) => [...all, value], [] as string[])
    .action((options: UpOptions) => up(options));
}

async function up(options: UpOptions): Promise<void> {
  if (options.bus !== undefined && options.bus !== 'memory' && options.bus !== 'kafka') throw usageError(`--bus must be memory or kafka (got ${options.bus})`);
  const statusEveryMs = Number(options.statusEvery) * 1000;
  if (!Number.isFinite(statusEveryMs) || statusEveryMs <= 0) throw usageError(`--status-every must be a positive number of seconds (got ${options.statusEvery})`);
  const config = loadConfig();
  const strategy = await liveStrategyOf(options);
  const logger = createLogger({ level: config.logLevel });
  const traders = withTraders(PROCESSOR_NAMES.filter((name) => (name !== 'logger' || options.logRecords) && (name !== 'kinesis' || config.kinesis !== null)), config);
  const processors: ProcessorName[] = strategy ? withStrategy(traders) : traders;
  const assembly = await assemble({ config, logger, bus: (options.bus as 'memory' | 'kafka' | undefined) ?? config.bus, source: 'feed', processors, http: 'full', ...(strategy ? { strategy } : {}) });
  const interactive = process.stdout.isTTY === true && !options.logRecords;
  const stopStatusLine = startStatusLine(assembly.pipeline, interactive, statusEveryMs, logger);
  let stopAnnouncing = () => {};
  const shutdown = onShutdown(async (reason) => {
    stopAnnouncing();
    stopStatusLine();
    logger.info({ reason }, 'shutting down: draining the pipeline');
    await assembly.stop();
    logger.info('shutdown complete');
  }, config.shutdownTimeoutMs);
  const paper = assembly.trading ? await ensureDefaultAccount(assembly.trading, config.dataDir) : null;
  const strategyAccount = strategy && assembly.trading ? await strategyAccountId(strategy, assembly.trading, config.dataDir).catch(async (error: unknown) => { await assembly.stop(); throw error; }) : null;
  await assembly.start();
  printBanner(config, assembly, paper, strategy && strategyAccount ? strategyLine(strategy, strategyAccount) : null);
  const feed = assembly.feed?.source;
  if (feed && !feed.status().connected) stopAnnouncing = announceWhenConnected(feed, (line) => process.stdout.write(`${interactive ? '\r\x1b[K' : ''}${line}\n`));
  exitWhenTheFeedFails(assembly, shutdown, logger);
}

function printBanner(config: Config, { plan, app, feed, adminTokenWhere }: Assembly, paper: string | null, strategy: string | null): void {
  const address = app?.server.address() as AddressInfo | string | null;
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  const wsBase = `ws://${config.host}:${port}`;
  const busLine = plan.bus === 'kafka' ? `Kafka at ${config.kafkaBrokers.join(',')}` : 'the embedded bus';
  const lines = [
    `tickflow is up: ${counted(config.symbols.length, 'symbol')} from ${feed?.description}, on ${busLine}`,
    ...(feed ? [feedLine(feed.source.status())] : []),
    `  dashboard ${base}/`,
    `  health   ${base}/healthz`,
    `  ready    ${base}/readyz`,
    `  status   ${base}/status`,
    `  api      ${base}/v1/symbols · ${base}/v1/prices/latest?symbol=${config.symbols[0]} · docs ${base}/docs${config.apiReadToken ? ' (reads: bearer token TICKFLOW_API_READ_TOKEN)' : ''}`,
    `  live     ${wsBase}/ws/stream · ${wsBase}/ws/notifications${config.wsToken ? ' (bearer token TICKFLOW_WS_TOKEN)' : ''}`,
    `  alerts   ${base}/v1/alerts${adminTokenWhere ? ` · changes need the admin token, in ${adminTokenWhere}` : ''}`,
    ...(paper ? [`  paper    ${base}/v2 (Alpaca Trading API v2; stream ${wsBase}/stream) · ${paper}`] : []),
    ...(paper && config.traders.length > 0 ? [`  traders  ${config.traders.map((trader) => `${trader.id} (${trader.strategies.join(', ')} → ${trader.account})`).join(' · ')}`] : []),
    ...(strategy ? [strategy] : []),
    ...(adminTokenWhere ? [`  accounts ${base}/v1/accounts · tickflow accounts create|list|reset · admin token in ${adminTokenWhere}`] : []),
    `  store    ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}/store`}`,
    `  archive  ${config.dataDir}/archive/<topic>/<day>.jsonl`,
    ...(feed?.simulator ? [`  faults   POST ${feed.simulator.restUrl.replace(/\/api\/v1$/, '/sim')}/drop | /silence?ms=5000 | /malformed?count=3`] : []),
    '  Ctrl-C drains and stops',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
