import type { TradingEngine } from '../../trading/engine/trading-engine.ts';
import type { FinalAccount } from '../backtest-result.ts';

/** The account as the run left it. */
export function finalAccount(engine: TradingEngine, accountId: string): FinalAccount {
  const account = engine.account(accountId)!;
  const positions = (engine.positions(accountId) ?? []).map((view) => ({
    symbol: view.symbol,
    qty: view.qty,
    avgEntryPrice: view.avg_entry_price,
    marketValue: view.market_value,
  }));
  return { cash: account.cash, equity: account.equity, realizedPl: account.realized_pl, unrealizedPl: account.unrealized_pl, fees: account.fees, positions };
}
