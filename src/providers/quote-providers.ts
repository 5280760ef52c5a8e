import { ConfigError } from '../errors.ts';
import { PRICE_SOURCES } from '../model/price-event.ts';
import type { Logger } from '../logger.ts';
import { AlphaVantageQuoteProvider, type AlphaVantageQuoteProviderOptions } from './alpha-vantage-quote-provider.ts';
import { FinnhubQuoteProvider, type FinnhubQuoteProviderOptions } from './finnhub-quote-provider.ts';
import type { QuoteProvider } from './quote-provider.ts';

/** The price-events sources: each provider's name is the `source` of the prices it finds. */
export const QUOTE_PROVIDER_NAMES = PRICE_SOURCES;
export type QuoteProviderName = (typeof QUOTE_PROVIDER_NAMES)[number];

/** Finnhub first, Alpha Vantage as the fallback. */
export const QUOTE_PROVIDER_DEFAULTS = { order: ['finnhub', 'alpha_vantage'] as readonly QuoteProviderName[] } as const;

type WithoutKey<T> = Omit<T, 'apiKey' | 'logger'> & { readonly apiKey?: string | undefined };

export interface QuoteProvidersConfig {
  /** Names in the order to ask them, e.g. `['finnhub', 'alpha_vantage']`. */
  readonly order: readonly string[];
  readonly finnhub?: WithoutKey<FinnhubQuoteProviderOptions>;
  readonly alpha_vantage?: WithoutKey<AlphaVantageQuoteProviderOptions>;
  readonly logger?: Logger;
}

export interface QuoteProviders {
  readonly providers: readonly QuoteProvider[];
  /** Providers named in `order` but left out, and why (no key): for a start-up log line. */
  readonly skipped: ReadonlyArray<{ readonly name: QuoteProviderName; readonly reason: string }>;
}

/**
 * Builds the providers named in `order`. An unknown or repeated name is a configuration error; a
 * known provider without a key is skipped (reported in `skipped`), so the default order works for
 * someone who only has a Finnhub key.
 */
export function createQuoteProviders(config: QuoteProvidersConfig): QuoteProviders {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of config.order) {
    if (!(QUOTE_PROVIDER_NAMES as readonly string[]).includes(name)) problems.push(`unknown quote provider ${JSON.stringify(name)} (known: ${QUOTE_PROVIDER_NAMES.join(', ')})`);
    else if (seen.has(name)) problems.push(`quote provider ${name} listed twice`);
    seen.add(name);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  const providers: QuoteProvider[] = [];
  const skipped: Array<{ name: QuoteProviderName; reason: string }> = [];
  for (const name of config.order as readonly QuoteProviderName[]) {
    const options = config[name];
    const apiKey = options?.apiKey?.trim() ?? '';
    if (apiKey === '') {
      skipped.push({ name, reason: 'no API key' });
      continue;
    }
    const logger = config.logger ? { logger: config.logger } : {};
    providers.push(name === 'finnhub' ? new FinnhubQuoteProvider({ ...config.finnhub, ...logger, apiKey }) : new AlphaVantageQuoteProvider({ ...config.alpha_vantage, ...logger, apiKey }));
  }
  return { providers, skipped };
}
