import type { Order } from '../../../model/order.ts';
import type { TradeUpdate } from '../../../model/trade-update.ts';
import type { AccountSummary, PositionView } from '../../../trading/engine/account-view.ts';
import { derivedUuid } from '../../../trading/engine/derived-id.ts';
import type { Instrument } from '../../../trading/engine/instrument.ts';
import { utcTime, utcTimeOrNull } from './times.ts';

/**
 * tickflow's records in Alpaca's Trading API v2 JSON: amounts as decimal strings, times RFC 3339 in
 * UTC with milliseconds, `type` for the order type. Fields tickflow does not model are `null` (or
 * Alpaca's neutral value) and listed in README.md.
 */

/** A stable UUID per symbol: Alpaca names assets by id too, and bots store them. */
export const assetId = (symbol: string): string => derivedUuid('asset', symbol);

/** The venue part of `BINANCE:BTCUSDT`; US equities have no venue in their name. */
const exchangeOf = (instrument: Pick<Instrument, 'symbol' | 'assetClass'>): string => {
  const colon = instrument.symbol.indexOf(':');
  if (colon > 0) return instrument.symbol.slice(0, colon);
  return instrument.assetClass === 'us_equity' ? 'OTC' : instrument.assetClass.toUpperCase();
};

export function alpacaOrder(order: Order): Record<string, unknown> {
  return {
    id: order.id,
    client_order_id: order.client_order_id,
    created_at: utcTime(order.created_at),
    updated_at: utcTime(order.updated_at),
    submitted_at: utcTime(order.submitted_at),
    filled_at: utcTimeOrNull(order.filled_at),
    expired_at: utcTimeOrNull(order.expired_at),
    canceled_at: utcTimeOrNull(order.canceled_at),
    failed_at: utcTimeOrNull(order.failed_at),
    replaced_at: utcTimeOrNull(order.replaced_at),
    replaced_by: order.replaced_by,
    replaces: order.replaces,
    asset_id: assetId(order.symbol),
    symbol: order.symbol,
    asset_class: order.asset_class,
    notional: order.notional,
    qty: order.qty,
    filled_qty: order.filled_qty,
    filled_avg_price: order.filled_avg_price,
    order_class: 'simple',
    order_type: order.order_type,
    type: order.order_type,
    side: order.side,
    position_intent: null,
    time_in_force: order.time_in_force,
    limit_price: order.limit_price,
    stop_price: order.stop_price,
    status: order.status,
    extended_hours: order.extended_hours,
    legs: null,
    trail_percent: order.trail_percent,
    trail_price: order.trail_price,
    hwm: order.hwm,
    subtag: null,
    source: null,
    expires_at: utcTimeOrNull(order.expires_at),
    /** tickflow's addition: why it was canceled, expired or rejected. */
    reason: order.reason,
  };
}

/** `lastEquity`: the equity at the previous US close (last-equity.ts). */
export function alpacaAccount(account: AccountSummary, lastEquity: string): Record<string, unknown> {
  const margin = account.account_type === 'margin';
  return {
    id: account.id,
    account_number: account.id,
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    currency: account.currency,
    cash: account.cash,
    portfolio_value: account.portfolio_value,
    equity: account.equity,
    last_equity: lastEquity,
    buying_power: account.buying_power,
    regt_buying_power: account.buying_power,
    daytrading_buying_power: '0',
    effective_buying_power: account.buying_power,
    non_marginable_buying_power: margin ? null : account.buying_power,
    options_buying_power: '0',
    long_market_value: account.long_market_value,
    short_market_value: account.short_market_value,
    initial_margin: null,
    maintenance_margin: null,
    last_maintenance_margin: null,
    sma: null,
    multiplier: account.multiplier,
    shorting_enabled: account.shorting_enabled,
    pattern_day_trader: false,
    daytrade_count: 0,
    trading_blocked: false,
    transfers_blocked: true,
    account_blocked: false,
    trade_suspended_by_user: false,
    options_approved_level: 0,
    options_trading_level: 0,
    created_at: null,
    balance_asof: null,
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    // tickflow's additions.
    account_type: account.account_type,
    starting_cash: account.starting_cash,
    settled_cash: account.settled_cash,
    reserved: account.reserved,
    realized_pl: account.realized_pl,
    unrealized_pl: account.unrealized_pl,
    fees: account.fees,
    as_of: utcTime(account.as_of),
  };
}

export function alpacaPosition(position: PositionView, instrument: Instrument | null): Record<string, unknown> {
  const assetClass = instrument?.assetClass ?? 'us_equity';
  return {
    asset_id: assetId(position.symbol),
    symbol: position.symbol,
    exchange: exchangeOf({ symbol: position.symbol, assetClass }),
    asset_class: assetClass,
    asset_marginable: assetClass === 'us_equity',
    qty: position.qty,
    qty_available: position.qty,
    avg_entry_price: position.avg_entry_price,
    side: position.side,
    market_value: position.market_value,
    cost_basis: position.cost_basis,
    unrealized_pl: position.unrealized_pl,
    unrealized_plpc: position.unrealized_plpc,
    unrealized_intraday_pl: null,
    unrealized_intraday_plpc: null,
    current_price: position.current_price,
    lastday_price: null,
    change_today: null,
  };
}

export function alpacaAsset(instrument: Instrument): Record<string, unknown> {
  return {
    id: assetId(instrument.symbol),
    class: instrument.assetClass,
    exchange: exchangeOf(instrument),
    symbol: instrument.symbol,
    name: instrument.symbol,
    status: 'active',
    tradable: instrument.tradable,
    marginable: instrument.assetClass === 'us_equity',
    shortable: instrument.shortable,
    easy_to_borrow: instrument.shortable,
    fractionable: instrument.fractionable,
    attributes: [],
    // tickflow's addition: the calendar its sessions follow.
    market: instrument.market,
  };
}

/** An update's `data` on the `trade_updates` stream. */
export function alpacaTradeUpdate(update: TradeUpdate): Record<string, unknown> {
  const fill = update.fill;
  return {
    event: update.event,
    timestamp: utcTime(update.timestamp),
    order: alpacaOrder(update.order),
    ...(fill ? { execution_id: fill.id, price: fill.price, qty: fill.qty, position_qty: fill.position_qty } : {}),
  };
}

/** Alpaca's activity ids sort by time: `20240102143000123::<execution id>`. */
export function activityId(timestamp: number, executionId: string): string {
  return `${utcTime(timestamp).replace(/[-:T.Z]/g, '')}::${executionId}`;
}

/** The execution id an activity id (a `page_token`) names; a bare id is taken as it is. */
export function executionIdOf(activity: string): string {
  const at = activity.indexOf('::');
  return at === -1 ? activity : activity.slice(at + 2);
}

/** A `FILL` activity of `GET /v2/account/activities` from a fill's trade update. */
export function fillActivity(update: TradeUpdate): Record<string, unknown> | null {
  const fill = update.fill;
  if (!fill) return null;
  return {
    id: activityId(fill.transaction_time, fill.id),
    activity_type: 'FILL',
    transaction_time: utcTime(fill.transaction_time),
    type: update.event,
    price: fill.price,
    qty: fill.qty,
    side: fill.side,
    symbol: fill.symbol,
    leaves_qty: fill.leaves_qty,
    order_id: fill.order_id,
    cum_qty: fill.cum_qty,
    order_status: update.order.status,
  };
}

/** A `FEE` activity for a fill that was charged, or null when it was free. */
export function feeActivity(update: TradeUpdate): Record<string, unknown> | null {
  const fill = update.fill;
  if (!fill || /^0(\.0*)?$/.test(fill.fee)) return null;
  return {
    id: activityId(fill.transaction_time, `fee-${fill.id}`),
    activity_type: 'FEE',
    date: utcTime(fill.transaction_time).slice(0, 10),
    net_amount: `-${fill.fee}`,
    description: `fees of execution ${fill.id}`,
    symbol: fill.symbol,
    qty: fill.qty,
    per_share_amount: null,
    status: 'executed',
  };
}
