import type { Command } from 'commander';
import { usageError } from '../usage-error.ts';
import { createLogger } from '../../logger.ts';
import { DEFAULT_SIMULATOR_PORT, runSimulator } from '../../sources/simulator/run.ts';
import { onShutdown } from '../shutdown.ts';
import { SIMULATOR_DEFAULTS } from '../../sources/simulator/server.ts';

interface SimulateOptions {
  readonly port: string;
  readonly host: string;
  readonly rate: string;
  readonly seed?: string;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run the Finnhub simulator alone (WebSocket trades + REST /api/v1/quote + fault injection)')
    .option('--port <port>', 'port to listen on', String(DEFAULT_SIMULATOR_PORT))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--rate <trades/s>', 'trades per second over all subscribed symbols', String(SIMULATOR_DEFAULTS.tradesPerSecond))
    .option('--seed <n>', 'seed for reproducible prices')
    .action((options: SimulateOptions) => simulate(options));
}

async function simulate(options: SimulateOptions): Promise<void> {
  const port = wholeNumber('--port', options.port, 0, 65_535);
  const rate = Number(options.rate);
  if (!(rate > 0)) throw usageError(`--rate must be a positive number (got ${options.rate})`);
  const seed = options.seed === undefined ? undefined : wholeNumber('--seed', options.seed, 0, 2 ** 32 - 1);
  const logger = createLogger();
  const simulator = await runSimulator({ port, host: options.host, rate, ...(seed === undefined ? {} : { seed }), logger });
  onShutdown(async () => {
    await simulator.close();
    logger.info('simulator stopped');
  });
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw usageError(`${name} must be a whole number from ${min} to ${max} (got ${text})`);
  return value;
}
