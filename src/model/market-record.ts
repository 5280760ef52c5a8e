import { validateOneOf } from './checks.ts';
import { validateGap, type Gap } from './gap.ts';
import { validateQuote, type Quote } from './quote.ts';
import { validateTrade, type Trade } from './trade.ts';

/**
 * What travels on the raw market-data topic.
 * @discriminator type
 */
export type MarketRecord = Trade | Quote | Gap;

/** Checks a value read from the raw topic: a trade, a quote or a gap, by its `type`. */
export function validateMarketRecord(value: unknown): MarketRecord | string {
  return validateOneOf<MarketRecord>(value, { trade: validateTrade, quote: validateQuote, gap: validateGap });
}
