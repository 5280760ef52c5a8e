import { fixedFromNumber, formatFixed } from '../../model/fixed-point.ts';
import type { OrderRequest } from '../../model/order.ts';
import type { TradingSignal } from '../../model/signal.ts';
import type { Instrument } from '../engine/instrument.ts';
import { positionIntent, type PositionRule } from './position-rule.ts';
import { describeSizing, entrySize, type SizingRule } from './sizing.ts';

export interface TradeContext {
  readonly signal: TradingSignal;
  /** `null` for a symbol the trading service does not know. */
  readonly instrument: Instrument | null;
  /** Signed quantity held in the signal's symbol, fixed-point (< 0 short). */
  readonly position: bigint;
  /** The account's equity, fixed-point. */
  readonly equity: bigint;
  /** Open orders of the account in the signal's symbol. */
  readonly openOrders: number;
  readonly sizing: SizingRule;
  readonly positionRule: PositionRule;
  /** See signal-order-id.ts. */
  readonly clientOrderId: string;
}

export type TradeDecision = { readonly kind: 'order'; readonly request: OrderRequest; readonly reason: string } | { readonly kind: 'none'; readonly reason: string };

/**
 * What a trader does with one signal: a market order, or nothing and why. Pure: the same context
 * always gives the same decision. While an order of the symbol is open nothing new is sent, so an
 * entry waiting for the open is never doubled by the next signal.
 */
export function decideTrade(context: TradeContext): TradeDecision {
  const { signal, instrument, sizing } = context;
  const none = (reason: string): TradeDecision => ({ kind: 'none', reason: `${signal.side} ${signal.symbol}: ${reason}` });
  if (!instrument || !instrument.tradable) return none('not a tradable asset');
  if (context.openOrders > 0) return none('an order for it is still open');
  const intent = positionIntent(context.positionRule, signal.side, context.position, sizing.rule === 'target-percent');
  if (intent.action === 'none') return none(intent.reason);
  if (intent.action === 'close') return order(context, { qty: intent.qty }, `close ${formatFixed(intent.qty)} (flat on the opposite signal)`);

  const opensShort = signal.side === 'sell';
  if (opensShort && !instrument.shortable) {
    return intent.closing > 0n ? order(context, { qty: intent.closing }, `close ${formatFixed(intent.closing)} (not shortable, so no reversal)`) : none('not shortable');
  }
  const size = entrySize(sizing, {
    price: fixedFromNumber(signal.price),
    equity: context.equity,
    held: intent.held,
    // Short sales are whole shares only, and notional orders only buy.
    fractionable: instrument.fractionable && !opensShort,
    notionalAllowed: instrument.fractionable && !opensShort && intent.closing === 0n && intent.held === 0n,
  });
  const sizingText = describeSizing(sizing);
  if (size === null) {
    if (intent.closing > 0n) return order(context, { qty: intent.closing }, `close ${formatFixed(intent.closing)} (${sizingText} sizes the reversal to nothing)`);
    return none(intent.held > 0n ? `already at the ${sizingText} target` : `${sizingText} sizes it to nothing`);
  }
  if ('notional' in size) return order(context, size, `open $${formatFixed(size.notional)} (${sizingText})`);
  const qty = size.qty + intent.closing;
  const verb = intent.closing > 0n ? `reverse: close ${formatFixed(intent.closing)} and open ${formatFixed(size.qty)}` : intent.held > 0n ? `add ${formatFixed(size.qty)}` : `open ${formatFixed(size.qty)}`;
  return order(context, { qty }, `${verb} (${sizingText})`);
}

function order(context: TradeContext, size: { readonly qty: bigint } | { readonly notional: bigint }, what: string): TradeDecision {
  const { signal, instrument } = context;
  const request: OrderRequest = {
    type: 'order-request',
    symbol: signal.symbol,
    qty: 'qty' in size ? formatFixed(size.qty) : null,
    notional: 'notional' in size ? formatFixed(size.notional) : null,
    side: signal.side,
    order_type: 'market',
    // Markets that never close take no `day` orders.
    time_in_force: instrument?.assetClass === 'crypto' ? 'gtc' : 'day',
    limit_price: null,
    stop_price: null,
    trail_price: null,
    trail_percent: null,
    extended_hours: false,
    client_order_id: context.clientOrderId,
  };
  return { kind: 'order', request, reason: `${signal.side} ${signal.symbol}: ${what}` };
}
