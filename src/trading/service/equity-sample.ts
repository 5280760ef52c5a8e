import { divFixed, formatFixed, parseFixed } from '../../model/fixed-point.ts';
import type { StoredEquity } from '../../store/trading-store.ts';
import type { AccountSummary } from '../engine/account-view.ts';

/** An account's equity at `ts`, with P&L against its starting cash (Alpaca's portfolio history `profit_loss`, `profit_loss_pct`). */
export function equitySample(account: AccountSummary, ts: number): StoredEquity {
  const equity = parseFixed(account.equity) ?? 0n;
  const start = parseFixed(account.starting_cash) ?? 0n;
  const profitLoss = equity - start;
  return {
    accountId: account.id,
    ts,
    equity: account.equity,
    profitLoss: formatFixed(profitLoss),
    profitLossPct: start === 0n ? '0' : formatFixed(divFixed(profitLoss, start)),
  };
}
