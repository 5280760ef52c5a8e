import { marketOf, type Market } from '../calendar/market.ts';
import type { Instrument, InstrumentLookup } from '../engine/instrument.ts';

/**
 * What each market's symbols can do, as Alpaca's assets say it:
 * - US equities: whole shares, shortable (Alpaca marks most listed stocks `easy_to_borrow`; borrow
 *   limits are not modelled), not fractionable (Alpaca's fractional trading is limited to some
 *   assets and to market/day orders; tickflow keeps the stricter whole-share rule).
 * - Crypto: fractionable, never short (Alpaca does not short crypto).
 * - Forex: fractionable (currency amounts are not whole units) and not shortable: selling a pair
 *   short would need the borrow of its base currency, which paper accounts do not model.
 */
const TRAITS: Readonly<Record<Market, Pick<Instrument, 'assetClass' | 'fractionable' | 'shortable'>>> = {
  'us-equity': { assetClass: 'us_equity', fractionable: false, shortable: true },
  crypto: { assetClass: 'crypto', fractionable: true, shortable: false },
  forex: { assetClass: 'forex', fractionable: true, shortable: false },
};

/** The instrument of a tickflow symbol, or `null` when no calendar market is known for it. */
export function instrumentOf(symbol: string): Instrument | null {
  const market = marketOf(symbol);
  return market ? { symbol, market, tradable: true, ...TRAITS[market] } : null;
}

/** The configured symbols (the ones tickflow streams) as the engine's lookup; any other symbol is unknown. */
export function configuredInstruments(symbols: readonly string[]): { readonly list: readonly Instrument[]; readonly lookup: InstrumentLookup } {
  const bySymbol = new Map<string, Instrument>();
  for (const symbol of symbols) {
    const instrument = instrumentOf(symbol);
    if (instrument) bySymbol.set(symbol, instrument);
  }
  const list = [...bySymbol.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return { list, lookup: (symbol) => bySymbol.get(symbol) ?? null };
}
