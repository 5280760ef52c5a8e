import { DEFAULT_FILL_MODEL } from '../../../src/model/account.ts';
import type { BacktestResult, DailyPoint, EquityPoint } from '../../../src/backtest/backtest-result.ts';
import type { Fill } from '../../../src/model/fill.ts';
import type { Order, OrderSide } from '../../../src/model/order.ts';

/**
 * A hand-built four-day backtest (no runner needed). Starting cash 1000.
 * Daily equity 1100, 990, 1089, 1089: returns +10 %, −10 %, +10 %, 0.
 * Benchmark 1050, 997.5, 997.5, 997.5: returns +5 %, −5 %, 0, 0.
 * Fills: AAPL long 10 @ 100 → 110 (fees 1 + 1: P&L +98); MSFT long 5 @ 200, sold 8 @ 190 (flip:
 * the long loses 5 × 10 + 0.5 + 0.5 = 51, a short of 3 opens with 0.3 of the 0.8 fee), bought back
 * 3 @ 180 (fee 0.3: the short earns 30 − 0.6 = 29.4).
 */
export const DAY_MS = 86_400_000;
export const T0 = Date.UTC(2026, 0, 5, 14, 30);
const at = (day: number, minutes: number): number => T0 + day * DAY_MS + minutes * 60_000;

function fill(id: number, symbol: string, side: OrderSide, qty: string, price: string, fee: string, time: number): Fill {
  return {
    type: 'fill', id: `e${id}`, account_id: 'bt', order_id: `o${id}`, symbol, side, qty, price, fee,
    cum_qty: qty, leaves_qty: '0', position_qty: '0', liquidity: 'taker', transaction_time: time,
    lineage: [{ ref: `t:${id}`, price: Number(price), size: Number(qty), tsEvent: time }],
  };
}

function order(id: number, symbol: string, side: OrderSide, qty: string, filled: string, time: number, status: Order['status']): Order {
  return {
    type: 'order', id: `o${id}`, client_order_id: `c${id}`, account_id: 'bt', created_at: time, updated_at: time, submitted_at: time,
    filled_at: status === 'filled' ? time : null, expired_at: null, canceled_at: status === 'canceled' ? time : null, failed_at: null,
    replaced_at: null, expires_at: null, replaced_by: null, replaces: null, asset_class: 'us_equity', symbol, qty, notional: null,
    filled_qty: filled, filled_avg_price: status === 'filled' ? '100' : null, order_type: 'market', side, time_in_force: 'day',
    limit_price: null, stop_price: null, trail_price: null, trail_percent: null, hwm: null, extended_hours: false, status,
    reason: status === 'canceled' ? 'canceled, "by the strategy"' : null,
  };
}

export const FILLS: readonly Fill[] = [
  fill(1, 'AAPL', 'buy', '10', '100', '1', at(0, 10)),
  fill(2, 'AAPL', 'sell', '10', '110', '1', at(0, 200)),
  fill(3, 'MSFT', 'buy', '5', '200', '0.5', at(1, 10)),
  fill(4, 'MSFT', 'sell', '8', '190', '0.8', at(2, 10)),
  fill(5, 'MSFT', 'buy', '3', '180', '0.3', at(3, 10)),
];

const ORDERS: readonly Order[] = [
  ...FILLS.map((f, i) => order(i + 1, f.symbol, f.side, f.qty, f.qty, f.transaction_time, 'filled')),
  order(6, 'AAPL', 'buy', '1', '0', at(3, 30), 'canceled'),
];

/** Equity samples: [minutes into the day, equity, gross exposure, benchmark] per day. */
const SAMPLES: readonly (readonly [number, number, string, string, string])[] = [
  [0, 0, '1000', '0', '1000'],
  [0, 100, '1050', '1050', '1020'],
  [0, 390, '1100', '0', '1050'],
  [1, 100, '1000', '1000', '1000'],
  [1, 390, '990', '990', '997.5'],
  [2, 100, '1050', '570', '997.5'],
  [2, 390, '1089', '540', '997.5'],
  [3, 100, '1089', '0', '997.5'],
  [3, 390, '1089', '0', '997.5'],
];

export const EQUITY: readonly EquityPoint[] = SAMPLES.map(([day, minutes, equity, gross, benchmark]) => ({ time: at(day, minutes), equity, cash: equity, grossExposure: gross, benchmark }));

export const DAILY: readonly DailyPoint[] = [
  { date: '2026-01-05', equity: '1100', benchmark: '1050' },
  { date: '2026-01-06', equity: '990', benchmark: '997.5' },
  { date: '2026-01-07', equity: '1089', benchmark: '997.5' },
  { date: '2026-01-08', equity: '1089', benchmark: '997.5' },
];

const bars = (base: number) =>
  Array.from({ length: 4 * 8 }, (_, i) => {
    const time = at(Math.floor(i / 8), (i % 8) * 50);
    const open = base + Math.sin(i / 3) * base * 0.05;
    return { time, open, high: open * 1.01, low: open * 0.99, close: open * 1.002, volume: 1000 + i };
  });

export function backtestResult(overrides: Partial<BacktestResult> = {}): BacktestResult {
  return {
    tickflowVersion: '0.1.0',
    configuration: {
      strategyPath: 'strategies/crossover.ts',
      strategySha256: 'a'.repeat(64),
      strategyName: 'crossover <test>',
      params: { slow: 20, fast: 5, label: '</script><b>x</b>' },
      startingCash: '1000',
      accountType: 'cash',
      fees: { commission: { model: 'per-share', perShare: '0.005', minimum: '1', maximumPercent: '1' }, regulatory: null },
      fills: DEFAULT_FILL_MODEL,
      from: '2026-01-05',
      to: '2026-01-08',
      benchmark: 'SPY',
      riskFreeRate: 0,
      seed: 7,
    },
    inputs: [{ path: 'data/aapl.jsonl', bytes: 1234, sha256: 'b'.repeat(64) }],
    firstEventAt: at(0, 0),
    lastEventAt: at(3, 390),
    counts: { trades: 100, quotes: 0, bars: 64, quoteBars: 0 },
    orders: ORDERS,
    fills: FILLS,
    equity: EQUITY,
    daily: DAILY,
    prices: { AAPL: bars(100), MSFT: bars(200), SPY: bars(500) },
    final: { cash: '1089', equity: '1089', realizedPl: '89', unrealizedPl: '0', fees: '3.6', positions: [] },
    ...overrides,
  };
}
