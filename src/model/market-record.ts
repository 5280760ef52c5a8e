import type { Gap } from './gap.ts';
import type { Quote } from './quote.ts';
import type { Trade } from './trade.ts';

/** What travels on the raw market-data topic. */
export type MarketRecord = Trade | Quote | Gap;
