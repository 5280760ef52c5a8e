import type { Logger } from '../../logger.ts';
import { createFinnhubSimulator, type FinnhubSimulator, type FinnhubSimulatorOptions } from './server.ts';

export const DEFAULT_SIMULATOR_PORT = 8765;

export interface RunSimulatorOptions extends Omit<FinnhubSimulatorOptions, 'tradesPerSecond'> {
  /** Trades per second over all subscribed symbols (the simulator's `tradesPerSecond`, default 50). */
  readonly rate?: number;
  readonly logger?: Logger;
}

/**
 * Starts the simulator for `tickflow simulate` (default port 8765) and logs how to use it. Prints
 * nothing except through `logger`. Stop it with `close()` on the result.
 */
export async function runSimulator(options: RunSimulatorOptions = {}): Promise<FinnhubSimulator> {
  const { rate, ...rest } = options;
  const simulator = await createFinnhubSimulator({ ...rest, port: options.port ?? DEFAULT_SIMULATOR_PORT, tradesPerSecond: rate });
  const control = simulator.restUrl.replace(/\/api\/v1$/, '/sim');
  options.logger?.info(
    {
      websocket: `${simulator.url}/?token=<any token but "bad">`,
      quote: `${simulator.restUrl}/quote?symbol=AAPL&token=<token>`,
      faults: [`POST ${control}/drop`, `POST ${control}/silence?ms=5000`, `POST ${control}/malformed?count=3`, `GET ${control}/stats`],
      seed: simulator.seed,
    },
    `Finnhub simulator ready: point FINNHUB_WS_URL at ${simulator.url}`,
  );
  return simulator;
}
