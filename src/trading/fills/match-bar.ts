import type { OrderSide } from '../../model/order.ts';
import { limitCross } from './limit-cross.ts';
import { currentStop, workingAs, type MatchTerms } from './match-print.ts';
import type { MatchState } from './match-state.ts';
import { holdToRange } from './price-range.ts';
import { slip } from './slippage.ts';
import { nextHwm, stopTriggered } from './stop-trigger.ts';

/** A bar's prices in fixed point. */
export interface BarPrices {
  readonly open: bigint;
  readonly high: bigint;
  readonly low: bigint;
  readonly close: bigint;
}

/**
 * When in a bar a fill happens: at its open (`start`), or somewhere inside its range, which a bar does
 * not date, so it is stamped at the bar's `end` (the latest it could have happened).
 */
export type BarMoment = 'start' | 'end';

export type BarDecision =
  | { readonly kind: 'none' }
  /** A stop limit was hit in this bar; it works as a limit order from the next bar on. */
  | { readonly kind: 'triggered' }
  /** Fill at `price`; `reference` is the bar price it came from (the open, the limit, the stop). */
  | { readonly kind: 'fill'; readonly price: bigint; readonly reference: bigint; readonly at: BarMoment; readonly liquidity: 'maker' | 'taker' };

const NONE: BarDecision = { kind: 'none' };
const TRIGGERED: BarDecision = { kind: 'triggered' };

/**
 * One bar against one order that sees it (accepted at or before the bar's start, in a session it
 * trades in). Updates the order's state (trigger, high-water mark) and says whether and how it fills.
 * Every fill price lies within the bar's [low, high]. `slippageBps` in fixed point.
 */
export function matchBar(terms: MatchTerms, state: MatchState, bar: BarPrices, slippageBps: bigint): BarDecision {
  switch (workingAs(terms, state)) {
    case 'market':
      return marketFill(terms.side, bar.open, 'start', bar, slippageBps);
    case 'limit':
      return limitFill(terms.side, terms.limit!, bar, state.maker ? 'maker' : 'taker');
    case 'stop':
      return stopDecision(terms, state, bar, slippageBps);
  }
}

/** A bar with one price: an auction's. */
export function pointBar(price: bigint): BarPrices {
  return { open: price, high: price, low: price, close: price };
}

/** `reference` moved against the trader by the slippage, held to the bar's range. */
function marketFill(side: OrderSide, reference: bigint, at: BarMoment, bar: BarPrices, slippageBps: bigint): BarDecision {
  return { kind: 'fill', price: holdToRange(side, slip(side, reference, slippageBps), bar), reference, at, liquidity: 'taker' };
}

/**
 * An open strictly through the limit fills at the open; else a range strictly through it fills at the
 * limit. A bar that only touches the limit does not fill: a bar shows no queue being served.
 */
function limitFill(side: OrderSide, limit: bigint, bar: BarPrices, liquidity: 'maker' | 'taker'): BarDecision {
  if (limitCross(side, limit, bar.open) === 'through') return { kind: 'fill', price: bar.open, reference: bar.open, at: 'start', liquidity };
  const extreme = side === 'buy' ? bar.low : bar.high;
  if (limitCross(side, limit, extreme) === 'through') return { kind: 'fill', price: limit, reference: limit, at: 'end', liquidity };
  return NONE;
}

/**
 * The stop is checked against the bar's adverse extreme (a buy stop against the high, a sell stop
 * against the low), for a trailing stop with the mark as it stood before the bar; then the mark moves
 * with the favorable extreme. A stop fills in the bar that triggers it, at the stop, or at the open
 * when the bar opened through it, with slippage.
 */
function stopDecision(terms: MatchTerms, state: MatchState, bar: BarPrices, slippageBps: bigint): BarDecision {
  const stop = currentStop(terms, state);
  if (stop === null || !stopTriggered(terms.side, stop, terms.side === 'buy' ? bar.high : bar.low)) {
    if (terms.orderType === 'trailing_stop') state.hwm = nextHwm(terms.side, state.hwm, terms.side === 'sell' ? bar.high : bar.low);
    return NONE;
  }
  state.triggered = true;
  if (terms.orderType === 'stop_limit') return TRIGGERED;
  const gapped = stopTriggered(terms.side, stop, bar.open);
  return marketFill(terms.side, gapped ? bar.open : stop, gapped ? 'start' : 'end', bar, slippageBps);
}
