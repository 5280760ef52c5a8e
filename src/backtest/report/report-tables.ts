import type { BacktestResult } from '../backtest-result.ts';
import { csvTable } from './csv.ts';

/** Times as ISO 8601 UTC, money and quantities as the exact decimal strings recorded. */
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function ordersCsv(result: Pick<BacktestResult, 'orders'>): string {
  return csvTable(
    ['id', 'client_order_id', 'submitted_at', 'symbol', 'side', 'order_type', 'time_in_force', 'qty', 'notional', 'limit_price', 'stop_price', 'trail_price', 'trail_percent', 'extended_hours', 'status', 'filled_qty', 'filled_avg_price', 'filled_at', 'canceled_at', 'expired_at', 'replaced_by', 'reason'],
    result.orders.map((o) => [
      o.id, o.client_order_id, iso(o.submitted_at), o.symbol, o.side, o.order_type, o.time_in_force, o.qty, o.notional, o.limit_price, o.stop_price,
      o.trail_price, o.trail_percent, o.extended_hours, o.status, o.filled_qty, o.filled_avg_price, iso(o.filled_at), iso(o.canceled_at), iso(o.expired_at), o.replaced_by, o.reason,
    ]),
  );
}

export function fillsCsv(result: Pick<BacktestResult, 'fills'>): string {
  return csvTable(
    ['id', 'order_id', 'transaction_time', 'symbol', 'side', 'qty', 'price', 'fee', 'cum_qty', 'leaves_qty', 'position_qty', 'liquidity'],
    result.fills.map((f) => [f.id, f.order_id, iso(f.transaction_time), f.symbol, f.side, f.qty, f.price, f.fee, f.cum_qty, f.leaves_qty, f.position_qty, f.liquidity]),
  );
}

export function equityCsv(result: Pick<BacktestResult, 'equity'>): string {
  return csvTable(
    ['time', 'equity', 'cash', 'gross_exposure', 'benchmark'],
    result.equity.map((p) => [iso(p.time), p.equity, p.cash, p.grossExposure, p.benchmark]),
  );
}
