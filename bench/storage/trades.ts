import type { Trade } from '../../src/model/trade.ts';

export const BENCH_START = Date.UTC(2026, 10, 23, 14, 30);

/**
 * Deterministic synthetic trades: `symbols` symbols taking turns at random, ~2,000 trades a second
 * of event time, a price random walk per symbol, sizes whole (stocks) or fractional (crypto),
 * condition codes on most, and event times up to 50 ms out of order as venues send them.
 */
export function syntheticTrades(count: number, symbols = 20): Trade[] {
  let state = 42;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const names = Array.from({ length: symbols }, (_, i) => (i % 4 === 3 ? `BINANCE:SYM${i}USDT` : `SYM${i}`));
  const prices = names.map((_, i) => 50 + i * 10);
  const trades: Trade[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const s = Math.floor(random() * symbols);
    prices[s] = Math.max(0.01, prices[s]! * (1 + (random() - 0.5) * 0.001));
    const crypto = s % 4 === 3;
    const tsEvent = BENCH_START + Math.floor(i / 2) - Math.floor(random() * 50);
    trades[i] = {
      type: 'trade',
      source: 'bench',
      symbol: names[s]!,
      price: Math.round(prices[s]! * 10_000) / 10_000,
      size: crypto ? Math.round(random() * 1e6) / 1e6 : 1 + Math.floor(random() * 500),
      conditions: crypto ? null : random() < 0.7 ? ['1', '12'] : ['1'],
      tsEvent,
      tsRecv: tsEvent + 3 + Math.floor(random() * 20),
      seq: 1_800_000_000_000_000 + i,
    };
  }
  return trades;
}

export function batches<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
