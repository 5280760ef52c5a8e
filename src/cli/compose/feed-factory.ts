import type { Config } from '../../config/config.ts';
import { FinnhubFeed } from '../../sources/finnhub/feed.ts';
import { createFinnhubSimulator, type FinnhubSimulator } from '../../sources/simulator/server.ts';
import type { Logger } from '../../logger.ts';

export interface Feed {
  readonly source: FinnhubFeed;
  /** The built-in simulator when tickflow started one; `null` for live Finnhub or an external URL. */
  readonly simulator: FinnhubSimulator | null;
  readonly description: string;
}

/** Token sent to a simulator, which accepts any but "bad". */
const SIMULATOR_TOKEN = 'tickflow-simulator';

/**
 * Live Finnhub with FINNHUB_API_KEY; otherwise a simulator: the one at TICKFLOW_SIMULATOR_URL when
 * that is set (a `tickflow simulate` elsewhere), else a built-in one started here.
 */
export async function createFeed(config: Config, logger: Logger): Promise<Feed> {
  const feedLogger = logger.child({ component: 'feed' });
  if (config.finnhubApiKey) {
    const source = new FinnhubFeed({ apiKey: config.finnhubApiKey, url: config.finnhubWsUrl, symbols: config.symbols, logger: feedLogger });
    return { source, simulator: null, description: 'live Finnhub' };
  }
  if (config.simulatorUrl) {
    const source = new FinnhubFeed({ apiKey: SIMULATOR_TOKEN, url: config.simulatorUrl, source: 'simulator', symbols: config.symbols, logger: feedLogger });
    return { source, simulator: null, description: `the simulator at ${config.simulatorUrl}` };
  }
  const simulator = await createFinnhubSimulator({ tradesPerSecond: config.simulatorRate, logger });
  const source = new FinnhubFeed({ apiKey: SIMULATOR_TOKEN, url: simulator.url, source: 'simulator', symbols: config.symbols, logger: feedLogger });
  return { source, simulator, description: `built-in Finnhub simulator at ${simulator.url} (set FINNHUB_API_KEY for live data)` };
}
