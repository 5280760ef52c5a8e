import type { FinnhubQuote, FinnhubTradeEntry } from '../finnhub/messages.ts';
import { FINNHUB_EMPTY_QUOTE } from '../finnhub/messages.ts';
import { hashSeed, SeededRandom } from './random.ts';

export const DEFAULT_SIMULATOR_SYMBOLS: readonly string[] = [
  'AAPL',
  'MSFT',
  'NVDA',
  'TSLA',
  'SPY',
  'AMZN',
  'GOOGL',
  'META',
  'OANDA:EUR_USD',
  'OANDA:GBP_USD',
  'OANDA:USD_JPY',
  'BINANCE:BTCUSDT',
  'BINANCE:ETHUSDT',
  'BINANCE:SOLUSDT',
];

export type AssetClass = 'stock' | 'forex' | 'crypto';

const FOREX_PREFIXES = ['OANDA:', 'FXCM:', 'FOREX:', 'FXPRO:', 'IC MARKETS:'];
const CRYPTO_PREFIXES = ['BINANCE:', 'COINBASE:', 'KRAKEN:', 'BITFINEX:', 'BITSTAMP:', 'GEMINI:', 'HUOBI:', 'POLONIEX:'];

export function assetClassOf(symbol: string): AssetClass {
  const upper = symbol.toUpperCase();
  if (FOREX_PREFIXES.some((prefix) => upper.startsWith(prefix))) return 'forex';
  if (CRYPTO_PREFIXES.some((prefix) => upper.startsWith(prefix))) return 'crypto';
  return 'stock';
}

/** A symbol's geometric random walk and the day's statistics the quote endpoint reports. */
interface Walk {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly decimals: number;
  /** Standard deviation of the log return per trade. */
  readonly sigma: number;
  readonly open: number;
  readonly previousClose: number;
  price: number;
  high: number;
  low: number;
  lastTradeAt: number | null;
}

const STOCK_CONDITIONS = ['1', '12', '24', '37'];

export interface SimulatedMarketOptions {
  readonly seed: number;
  /** The symbols that trade and have quotes; any other symbol is unknown (no trades, zero quote). */
  readonly symbols?: readonly string[];
  /** Chance that a trade is sent again, identically, once or twice right after itself. */
  readonly duplicateRate?: number;
  /** Chance that a trade shares the previous trade's millisecond. */
  readonly sharedMillisecondRate?: number;
}

/**
 * The simulator's market: per-symbol geometric random walks producing Finnhub trade entries and
 * quotes. Deterministic: the same seed and the same calls give the same trades (times come from `now`).
 */
export class SimulatedMarket {
  readonly seed: number;
  readonly #walks = new Map<string, Walk>();
  readonly #random: SeededRandom;
  readonly #duplicateRate: number;
  readonly #sharedMillisecondRate: number;

  constructor(options: SimulatedMarketOptions) {
    this.seed = options.seed;
    this.#random = new SeededRandom(options.seed);
    this.#duplicateRate = options.duplicateRate ?? 0.02;
    this.#sharedMillisecondRate = options.sharedMillisecondRate ?? 0.3;
    for (const symbol of options.symbols ?? DEFAULT_SIMULATOR_SYMBOLS) this.#walks.set(symbol, newWalk(symbol, options.seed));
  }

  has(symbol: string): boolean {
    return this.#walks.has(symbol);
  }

  symbols(): string[] {
    return [...this.#walks.keys()];
  }

  /**
   * `count` trades spread over the known symbols among `symbols`, stamped within `spreadMs` before
   * `now`: times are not monotonic, some trades share a millisecond, a few are exact duplicates.
   */
  trades(symbols: readonly string[], count: number, now: number, spreadMs = 0): FinnhubTradeEntry[] {
    const walks = symbols.map((symbol) => this.#walks.get(symbol)).filter((walk) => walk !== undefined);
    const entries: FinnhubTradeEntry[] = [];
    if (walks.length === 0) return entries;
    let previousT: number | null = null;
    for (let i = 0; i < count; i++) {
      const walk = this.#random.pick(walks);
      const shareMillisecond = previousT !== null && this.#random.next() < this.#sharedMillisecondRate;
      const t: number = shareMillisecond && previousT !== null ? previousT : now - Math.floor(this.#random.next() * spreadMs);
      previousT = t;
      const entry = this.#trade(walk, t);
      entries.push(entry);
      if (this.#random.next() < this.#duplicateRate) {
        const copies = this.#random.int(1, 2);
        for (let c = 0; c < copies; c++) entries.push({ ...entry });
      }
    }
    return entries;
  }

  /** Finnhub's `/quote` answer for `symbol`; all zeros for an unknown symbol, as Finnhub does. */
  quote(symbol: string, now: number): FinnhubQuote {
    const walk = this.#walks.get(symbol);
    if (!walk) return FINNHUB_EMPTY_QUOTE;
    const change = round(walk.price - walk.previousClose, walk.decimals);
    return {
      c: walk.price,
      d: change,
      dp: round((change / walk.previousClose) * 100, 4),
      h: walk.high,
      l: walk.low,
      o: walk.open,
      pc: walk.previousClose,
      t: Math.floor((walk.lastTradeAt ?? now) / 1000),
    };
  }

  #trade(walk: Walk, t: number): FinnhubTradeEntry {
    const stepped = round(walk.price * Math.exp(walk.sigma * this.#random.normal()), walk.decimals);
    walk.price = stepped > 0 ? stepped : walk.price;
    walk.high = Math.max(walk.high, walk.price);
    walk.low = Math.min(walk.low, walk.price);
    walk.lastTradeAt = Math.max(walk.lastTradeAt ?? 0, t);
    switch (walk.assetClass) {
      case 'forex':
        return { s: walk.symbol, p: walk.price, t, v: 0, c: [] };
      case 'crypto':
        return { s: walk.symbol, p: walk.price, t, v: round(Math.max(0.00001, 0.05 * Math.exp(1.5 * this.#random.normal())), 5), c: null };
      case 'stock': {
        const roundLot = this.#random.next() < 0.4;
        const v = roundLot ? 100 * this.#random.int(1, 5) : this.#random.int(1, 99);
        const conditions = STOCK_CONDITIONS.filter(() => this.#random.next() < 0.3);
        return { s: walk.symbol, p: walk.price, t, v, c: conditions };
      }
    }
  }
}

function newWalk(symbol: string, seed: number): Walk {
  const random = new SeededRandom(hashSeed(symbol, seed));
  const assetClass = assetClassOf(symbol);
  const upper = symbol.toUpperCase();
  let start: number;
  let decimals: number;
  let sigma: number;
  if (assetClass === 'forex') {
    const yen = upper.includes('JPY');
    start = yen ? 100 + random.next() * 60 : 1 + random.next() * 0.3;
    decimals = yen ? 3 : 5;
    sigma = 0.00005;
  } else if (assetClass === 'crypto') {
    start = upper.includes('BTC') ? 40_000 + random.next() * 30_000 : upper.includes('ETH') ? 2_000 + random.next() * 2_000 : 0.5 + random.next() * 150;
    decimals = start >= 1_000 ? 2 : start >= 1 ? 4 : 6;
    sigma = 0.0008;
  } else {
    start = 100 + random.next() * 400;
    decimals = 2;
    sigma = 0.0005;
  }
  const open = round(start, decimals);
  return {
    symbol,
    assetClass,
    decimals,
    sigma,
    open,
    previousClose: round(open * (1 + (random.next() - 0.5) * 0.02), decimals),
    price: open,
    high: open,
    low: open,
    lastTradeAt: null,
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
