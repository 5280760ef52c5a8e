import type { ApiServices } from '../../api/app.ts';
import type { Bus } from '../../bus/bus.ts';
import type { Config } from '../../config/config.ts';
import { LatestPriceService } from '../../prices/latest-price-service.ts';
import { createQuoteProviders } from '../../providers/quote-providers.ts';
import type { FinnhubSimulator } from '../../sources/simulator/server.ts';
import type { Store } from '../../store/store.ts';
import type { Topics } from '../../topics.ts';
import type { Logger } from '../../logger.ts';
import { partTopics } from './part-topics.ts';
import type { Pipeline } from './pipeline.ts';

export interface ApiServicesOptions {
  readonly config: Config;
  readonly bus: Bus;
  readonly topics: Topics;
  readonly store: Store;
  /** The pipeline of this process, whose feed knows the freshest prices; `null` in an API-only process. */
  readonly pipeline: Pipeline | null;
  /** The built-in simulator, whose REST quote stands in for Finnhub's when there is no key. */
  readonly simulator: FinnhubSimulator | null;
  readonly logger: Logger;
}

/** The /v1 API's services: the store, and latest prices from the stream with REST providers behind. */
export function createApiServices(options: ApiServicesOptions): ApiServices & { close(): Promise<void> } {
  const { config, bus, topics, store, pipeline, simulator, logger } = options;
  const finnhubKey = config.finnhubApiKey ?? (simulator ? 'tickflow-simulator' : undefined);
  const { providers, skipped } = createQuoteProviders({
    order: config.quoteProviders,
    finnhub: { apiKey: finnhubKey, baseUrl: simulator && !config.finnhubApiKey ? simulator.restUrl : config.finnhubRestUrl, timeoutMs: config.quoteTimeoutMs },
    alpha_vantage: { apiKey: config.alphaVantageApiKey, baseUrl: config.alphaVantageUrl, timeoutMs: config.quoteTimeoutMs },
    logger,
  });
  for (const { name, reason } of skipped) logger.info({ provider: name }, `quote provider ${name} left out: ${reason}`);
  const prices = new LatestPriceService({
    providers,
    streamLatest: async (symbol) => {
      const live = pipeline?.sink.counters.lastBySymbol.get(symbol);
      if (live) return live;
      const stored = await store.latestPrice(symbol);
      return stored && { price: stored.price, tsEvent: stored.tsEvent, tsRecv: stored.tsRecv };
    },
    saveRawResponse: (raw) => store.insertRawResponse(raw),
    producer: bus.producer(),
    topic: partTopics('prices', topics).writes.priceEvents,
    freshMs: config.priceFreshMs,
    cacheMs: config.priceCacheMs,
    logger,
  });
  const secrets = [config.finnhubApiKey, config.alphaVantageApiKey].filter((key) => key !== undefined);
  return { store, prices, symbols: config.symbols, rawResponses: { store, secrets }, close: async () => prices.close() };
}
