import type { AlertFiring } from '../../src/model/alert.ts';
import type { Bar } from '../../src/model/bar.ts';
import type { WindowMetrics } from '../../src/model/metrics.ts';
import type { TradingSignal } from '../../src/model/signal.ts';
import type { Trade } from '../../src/model/trade.ts';

export function trade(symbol: string, seq: number, overrides: Partial<Trade> = {}): Trade {
  const now = Date.now();
  return { type: 'trade', source: 'test', symbol, price: 100 + (seq % 10), size: 1, conditions: null, tsEvent: now, tsRecv: now, seq, ...overrides };
}

export function bar(symbol: string, start: number, close: number, interval: Bar['interval'] = '1s'): Bar {
  const end = start + (interval === '1s' ? 1_000 : 60_000);
  return { type: 'bar', symbol, interval, start, end, open: close, high: close, low: close, close, volume: 1, vwap: close, count: 1, tsEvent: end, tsRecv: Date.now() };
}

export function windowMetrics(symbol: string, last: number): WindowMetrics {
  const now = Date.now();
  return { type: 'window-metrics', symbol, window: 20, count: 20, vwap: last, avg: last, min: last, max: last, first: last, last, changePct: 0, volume: 20, tsStart: now - 1_000, tsEvent: now, tsRecv: now };
}

export function signal(symbol: string, n = 0): TradingSignal {
  const now = Date.now();
  return { type: 'signal', symbol, strategy: 'ma-crossover', side: n % 2 === 0 ? 'buy' : 'sell', strength: 0.5, price: 100 + n, tsEvent: now, tsRecv: now, reason: `test signal ${n}`, lineage: [] };
}

export function alert(symbol: string, n = 0): AlertFiring {
  const now = Date.now();
  return { type: 'alert', id: `rule-1:${n}`, ruleId: 'rule-1', symbol, condition: { kind: 'price-above', threshold: 100 }, price: 101, message: `${symbol} above 100 at 101`, note: null, tsEvent: now, tsRecv: now };
}
