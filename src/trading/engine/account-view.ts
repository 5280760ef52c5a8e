import { divFixed, formatFixed, parseFixed } from '../../model/fixed-point.ts';
import { buyingPower } from '../portfolio/buying-power.ts';
import { markOf, marketValue, value, type Marks } from '../portfolio/valuation.ts';
import type { AccountBook } from './account-book.ts';
import { reserved } from './reservations.ts';

/** An account as Alpaca's `GET /v2/account` names its figures (decimal strings), plus tickflow's P&L and fees. */
export interface AccountSummary {
  readonly type: 'account';
  readonly id: string;
  readonly account_type: 'cash' | 'margin';
  readonly currency: 'USD';
  readonly multiplier: string;
  readonly starting_cash: string;
  readonly cash: string;
  /** Cash whose sale proceeds have settled (cash accounts spend only this). */
  readonly settled_cash: string;
  readonly long_market_value: string;
  readonly short_market_value: string;
  readonly equity: string;
  readonly portfolio_value: string;
  /** After what open orders hold. */
  readonly buying_power: string;
  /** What open orders hold. */
  readonly reserved: string;
  readonly realized_pl: string;
  readonly unrealized_pl: string;
  readonly fees: string;
  readonly shorting_enabled: boolean;
  readonly open_orders: number;
  /** Engine time the figures are for. */
  readonly as_of: number;
}

/** A position as Alpaca's `GET /v2/positions` shows it. */
export interface PositionView {
  readonly type: 'position';
  readonly account_id: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** Signed: negative for a short. */
  readonly qty: string;
  readonly avg_entry_price: string;
  /** Signed like qty. */
  readonly cost_basis: string;
  readonly current_price: string;
  readonly market_value: string;
  readonly unrealized_pl: string;
  /** unrealized_pl / |cost_basis|. */
  readonly unrealized_plpc: string;
}

export function accountSummary(book: AccountBook, marks: Marks, now: number): AccountSummary {
  const valuation = value(book.portfolio, marks);
  const held = reserved(book, marks) ?? 0n;
  const equity = formatFixed(valuation.equity);
  return {
    type: 'account',
    id: book.id,
    account_type: book.config.accountType,
    currency: 'USD',
    multiplier: String(book.config.multiplier),
    starting_cash: formatFixed(parseFixed(book.config.startingCash)!),
    cash: formatFixed(book.portfolio.cash),
    settled_cash: formatFixed(book.portfolio.settledCash(now)),
    long_market_value: formatFixed(valuation.longMarketValue),
    short_market_value: formatFixed(valuation.shortMarketValue),
    equity,
    portfolio_value: equity,
    buying_power: formatFixed(buyingPower(book.config, book.portfolio, valuation, now, held)),
    reserved: formatFixed(held),
    realized_pl: formatFixed(book.portfolio.realizedPl),
    unrealized_pl: formatFixed(valuation.unrealizedPl),
    fees: formatFixed(book.portfolio.feesPaid),
    shorting_enabled: book.config.accountType === 'margin',
    open_orders: book.openCount,
    as_of: now,
  };
}

export function positionViews(book: AccountBook, marks: Marks): PositionView[] {
  const views: PositionView[] = [];
  for (const [symbol, position] of [...book.portfolio.positions()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const mark = markOf(marks, symbol, position);
    const worth = marketValue(position, mark);
    const unrealized = worth - position.costBasis;
    const basis = position.costBasis < 0n ? -position.costBasis : position.costBasis;
    views.push({
      type: 'position',
      account_id: book.id,
      symbol,
      side: position.qty < 0n ? 'short' : 'long',
      qty: formatFixed(position.qty),
      avg_entry_price: formatFixed(divFixed(position.costBasis, position.qty)),
      cost_basis: formatFixed(position.costBasis),
      current_price: formatFixed(mark),
      market_value: formatFixed(worth),
      unrealized_pl: formatFixed(unrealized),
      unrealized_plpc: basis === 0n ? '0' : formatFixed(divFixed(unrealized, basis)),
    });
  }
  return views;
}
