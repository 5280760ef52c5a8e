import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../logger.ts';
import { assemble } from '../compose/assemble.ts';
import { leanEquityEligibility } from '../../sources/replay/lean/sale-conditions.ts';
import { REPLAY_PARTITIONS, ReplaySource } from '../../sources/replay/replay-source.ts';
import { onShutdown } from '../shutdown.ts';
import { usageError } from '../usage-error.ts';

interface ReplayOptions {
  readonly speed: string;
  readonly symbol?: string;
  readonly format?: 'jsonl' | 'lean';
  readonly archive?: string;
  readonly logRecords: boolean;
  readonly progress: boolean;
  readonly allPrints: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay a recorded file through the pipeline: a tickflow JSON Lines archive or a Lean tick zip')
    .argument('<file>', 'e.g. data/archive/raw-market-data/2026-11-23.jsonl or ../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip')
    .option('--speed <speed>', '"max" (as fast as possible) or a multiple of real time: 1, 10, 0.5 …', 'max')
    .option('--symbol <symbol>', 'symbol for a Lean file (default from its path: SPY, OANDA:EUR_USD)')
    .option('--format <format>', 'jsonl or lean (default from the file name: .zip is lean)')
    .option('--archive <dir>', 'where the replay\'s output is archived (default <data dir>/replay/<file name>)')
    .option('--all-prints', 'Lean equity files: let every print set bar prices (default: Lean\'s rule: each auction counted by its one print, other auction reports left out; in-session sweeps, average-price, derivatively priced and seller\'s prints count as volume only)', false)
    .option('--log-records', 'print every record', false)
    .option('--no-progress', 'no progress line')
    .action((file: string, options: ReplayOptions) => replay(file, options));
}

async function replay(file: string, options: ReplayOptions): Promise<void> {
  const speed = parseSpeed(options.speed);
  if (options.format && options.format !== 'jsonl' && options.format !== 'lean') throw usageError(`--format must be jsonl or lean (got ${options.format})`);
  if (!existsSync(file)) throw usageError(`no such file: ${file}`);
  if (statSync(file).isDirectory()) throw usageError(`${file} is a directory: replay reads one .jsonl file or Lean .zip file`);
  const config = { ...loadConfig(), partitions: REPLAY_PARTITIONS };
  const logger = createLogger({ level: config.logLevel });
  const source = new ReplaySource({
    path: file,
    speed,
    ...(options.symbol ? { symbol: options.symbol } : {}),
    ...(options.format ? { format: options.format } : {}),
  });
  const archiveDir = options.archive ?? join(config.dataDir, 'replay', basename(file).replace(/\.(zip|jsonl)$/, ''));
  const lean = (options.format ?? (file.endsWith('.zip') ? 'lean' : 'jsonl')) === 'lean';
  const assembly = await assemble({
    config,
    logger,
    bus: 'memory',
    source,
    processors: options.logRecords ? ['aggregator', 'signals', 'archive', 'logger'] : ['aggregator', 'signals', 'archive'],
    http: null,
    barsOnEventTime: true,
    archiveDir,
    ...(lean && !options.allPrints ? { barEligibility: leanEquityEligibility } : {}),
    drainMs: 60_000,
  });
  const startedAt = performance.now();
  const progressTimer = options.progress ? setInterval(() => printProgress(source, startedAt), 1_000) : null;

  const finish = onShutdown(async (reason) => {
    if (progressTimer) clearInterval(progressTimer);
    await assembly.stop();
    const status = await assembly.pipeline.status();
    const seconds = (performance.now() - startedAt) / 1000;
    const aggregator = status.consumers.find((consumer) => consumer.name === 'aggregator')?.stats ?? {};
    const records = status.trades + status.quotes;
    const rejects = (status.source?.rejects ?? 0) + (aggregator.rejected ?? 0);
    // A file of which nothing could be read is a failed replay, not an empty one.
    const outcome = reason === 'finished' && records === 0 && rejects > 0 ? 'failed: every line was rejected (see the dead-letter archive)' : reason;
    process.stderr.write('\n');
    process.stdout.write(
      [
        `replay ${outcome}: ${status.trades} trades, ${status.quotes} quotes in ${seconds.toFixed(1)} s (${Math.round(records / seconds)} records/s)`,
        `  bars ${aggregator.bars ?? 0} · window metrics ${aggregator.metrics ?? 0} · late trades ${aggregator.lateTrades ?? 0} · rejects ${rejects}`,
        `  archived to ${archiveDir}`,
      ].join('\n') + '\n',
    );
    if (outcome !== reason) process.exitCode = 1;
  });

  await assembly.start();
  try {
    await source.done;
    await finish('finished');
  } catch (error) {
    await finish('failed');
    throw error;
  }
}

function parseSpeed(text: string): 'max' | number {
  if (text === 'max') return 'max';
  const speed = Number(text.replace(/x$/i, ''));
  if (!(speed > 0) || !Number.isFinite(speed)) throw usageError(`--speed must be "max" or a positive multiple of real time such as 1 or 10 (got ${text})`);
  return speed;
}

function printProgress(source: ReplaySource, startedAt: number): void {
  const progress = source.progress();
  const percent = progress.totalBytes ? ` (${Math.floor((progress.bytesRead / progress.totalBytes) * 100)}%)` : '';
  const seconds = (performance.now() - startedAt) / 1000;
  const at = progress.lastEventTime === null ? '' : ` · at ${new Date(progress.lastEventTime).toISOString()}`;
  process.stderr.write(`\r\x1b[Kreplay: ${progress.records} records${percent} · ${Math.round(progress.records / seconds)} records/s${at}`);
}
