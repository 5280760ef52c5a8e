import type { AccountSummary, PositionView } from '../trading/engine/account-view.ts';
import type { AccountState, PositionState } from './strategy-api.ts';

/** The engine's account figures (decimal strings) as a strategy reads them (numbers). */
export function accountStateOf(summary: AccountSummary): AccountState {
  return {
    cash: Number(summary.cash),
    equity: Number(summary.equity),
    buyingPower: Number(summary.buying_power),
    realizedPl: Number(summary.realized_pl),
    unrealizedPl: Number(summary.unrealized_pl),
    fees: Number(summary.fees),
  };
}

/** An account's positions by symbol, as a strategy reads them. */
export function positionStatesOf(views: readonly PositionView[]): Map<string, PositionState> {
  const positions = new Map<string, PositionState>();
  for (const view of views) {
    positions.set(view.symbol, {
      symbol: view.symbol,
      qty: Number(view.qty),
      avgEntryPrice: Number(view.avg_entry_price),
      marketValue: Number(view.market_value),
      unrealizedPl: Number(view.unrealized_pl),
    });
  }
  return positions;
}
