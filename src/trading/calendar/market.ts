/** The markets tickflow can trade, each with its own calendar. */
export type Market = 'us-equity' | 'forex' | 'crypto';

export const MARKETS: readonly Market[] = ['us-equity', 'forex', 'crypto'];

/** Finnhub's venue prefixes (`OANDA:EUR_USD`, `BINANCE:BTCUSDT`), the form tickflow names symbols in. */
const FOREX_VENUES: ReadonlySet<string> = new Set(['OANDA', 'FXCM', 'FOREX', 'FXPRO', 'IC MARKETS']);
const CRYPTO_VENUES: ReadonlySet<string> = new Set(['BINANCE', 'COINBASE', 'KRAKEN', 'BITFINEX', 'BITSTAMP', 'GEMINI', 'HUOBI', 'POLONIEX']);

/** A US ticker as Finnhub and Alpaca write it: `AAPL`, `BRK.B`, `BF-B`. */
const US_TICKER = /^[A-Z][A-Z0-9.-]{0,15}$/;

/**
 * The market a tickflow symbol trades on, or null when tickflow cannot tell, which makes the symbol
 * untradable (an order for it is rejected rather than held to a guessed calendar):
 * - `VENUE:PAIR` with a forex venue → `forex`, with a crypto venue → `crypto` (venue case-insensitive);
 * - any other venue prefix → null;
 * - a bare upper-case ticker → `us-equity` (Finnhub's US stocks and ETFs carry no prefix);
 * - anything else (`^GSPC`, `aapl`, ``) → null.
 */
export function marketOf(symbol: string): Market | null {
  const colon = symbol.indexOf(':');
  if (colon === -1) return US_TICKER.test(symbol) ? 'us-equity' : null;
  if (colon === symbol.length - 1) return null;
  const venue = symbol.slice(0, colon).toUpperCase();
  if (FOREX_VENUES.has(venue)) return 'forex';
  if (CRYPTO_VENUES.has(venue)) return 'crypto';
  return null;
}
