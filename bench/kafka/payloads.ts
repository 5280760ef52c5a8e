/**
 * The records both producers send: realistic trades (the shape of src/model/trade.ts), each value
 * serialized to exactly `size` bytes of JSON, keyed by a handful of symbols. Deterministic for a seed,
 * so the tickflow run (which sends the objects, serialized by the bus) and Kafka's ProducerPerformance
 * (which reads the serialized lines from a payload file) send the very same bytes.
 */
import type { Trade } from '../../src/model/trade.ts';

export const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'SPY', 'OANDA:EUR_USD', 'BINANCE:BTCUSDT', 'BINANCE:ETHUSDT'] as const;
const PRICES: Record<(typeof SYMBOLS)[number], number> = {
  AAPL: 189.37,
  MSFT: 411.22,
  NVDA: 875.04,
  TSLA: 171.05,
  SPY: 512.8,
  'OANDA:EUR_USD': 1.08412,
  'BINANCE:BTCUSDT': 67_012.5,
  'BINANCE:ETHUSDT': 3_421.17,
};
// Finnhub trade condition codes (US equities).
const CONDITIONS = ['1', '12', '24', '37', '8', '14', '41'];

export interface SizedTrade {
  readonly key: string;
  readonly value: Trade;
  /** `JSON.stringify(value)`: what the bus's JSON serializer puts on the wire. */
  readonly json: string;
}

/** `count` distinct trades whose JSON is exactly `size` bytes (ASCII only, so characters = bytes). */
export function sizedTrades(count: number, size: number, seed = 42): SizedTrade[] {
  const random = mulberry32(seed);
  const start = 1_717_000_000_000;
  const trades: SizedTrade[] = [];
  for (let i = 0; i < count; i++) {
    const symbol = SYMBOLS[i % SYMBOLS.length]!;
    const forex = symbol.startsWith('OANDA:');
    const crypto = symbol.startsWith('BINANCE:');
    const tsEvent = start + i * 3 + Math.floor(random() * 3);
    const base: Trade = {
      type: 'trade',
      source: 'finnhub',
      symbol,
      price: round(PRICES[symbol] * (1 + (random() - 0.5) / 100), forex ? 5 : 2),
      size: forex ? 0 : crypto ? round(random() * 2, 5) : 1 + Math.floor(random() * 500),
      conditions: crypto ? null : [CONDITIONS[Math.floor(random() * CONDITIONS.length)]!],
      tsEvent,
      tsRecv: tsEvent + 1 + Math.floor(random() * 40),
      seq: tsEvent * 1_000 + i,
    };
    const value = padTo(base, size, random);
    trades.push({ key: symbol, value, json: JSON.stringify(value) });
  }
  return trades;
}

/** Fills `conditions` with more (random) codes until the JSON is exactly `size` bytes. */
function padTo(trade: Trade, size: number, random: () => number): Trade {
  const conditions = [...(trade.conditions ?? [])];
  const withLast = (last: string): Trade => ({ ...trade, conditions: [...conditions, last] });
  const bare = JSON.stringify(trade).length;
  if (bare === size) return trade;
  for (;;) {
    // Bytes missing after appending an empty code: a code of that many digits makes it exact.
    const missing = size - JSON.stringify(withLast('')).length;
    if (missing < 1) throw new Error(`a trade needs at least ${bare + 4} bytes of JSON; --record-size ${size} is too small`);
    if (missing <= 5) return withLast('9'.repeat(missing));
    conditions.push(CONDITIONS[Math.floor(random() * CONDITIONS.length)]!);
  }
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
