import type { OrderSide, OrderType } from '../../model/order.ts';
import { limitCross } from './limit-cross.ts';
import type { MatchState } from './match-state.ts';
import { holdToRange, widen } from './price-range.ts';
import type { Print } from './print.ts';
import { sizeBeyondQueue } from './queue-ahead.ts';
import { slip } from './slippage.ts';
import { nextHwm, stopTriggered, trailingStop } from './stop-trigger.ts';

/** The prices of an order the fill model works with, in fixed point. */
export interface MatchTerms {
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly limit: bigint | null;
  readonly stop: bigint | null;
  readonly trailPrice: bigint | null;
  readonly trailPercent: bigint | null;
}

export type MatchDecision =
  | { readonly kind: 'none' }
  /** A stop was hit by this print; it does not fill on the print that triggered it. */
  | { readonly kind: 'triggered' }
  /** Fill at `price`, at most `maxQty` of this print (`null`: only the participation cap limits it). */
  | { readonly kind: 'fill'; readonly price: bigint; readonly maxQty: bigint | null; readonly liquidity: 'maker' | 'taker' };

const NONE: MatchDecision = { kind: 'none' };
const TRIGGERED: MatchDecision = { kind: 'triggered' };

/** How the order works now: a stop that was hit works as the order it becomes. */
export function workingAs(terms: MatchTerms, state: MatchState): 'market' | 'limit' | 'stop' {
  switch (terms.orderType) {
    case 'market':
      return 'market';
    case 'limit':
      return 'limit';
    case 'stop':
    case 'trailing_stop':
      return state.triggered ? 'market' : 'stop';
    case 'stop_limit':
      return state.triggered ? 'limit' : 'stop';
  }
}

/**
 * One print against one active order the print may fill (it came after the order's activation, in a
 * session the order trades in). Updates the order's state (range, high-water mark, trigger, volume at
 * the limit) and says whether and how it fills. `slippageBps` in fixed point.
 */
export function matchPrint(terms: MatchTerms, state: MatchState, print: Print, slippageBps: bigint): MatchDecision {
  const working = workingAs(terms, state);
  if (print.eligibility === 'volume') {
    // Volume-only prints fill nothing but do serve the queue at their price.
    if (working === 'limit' && print.price === terms.limit) state.printedAtLimit += print.size;
    return NONE;
  }
  state.range = widen(state.range, print.price);
  if (working === 'stop') return stopDecision(terms, state, print.price);
  if (working === 'market') {
    return { kind: 'fill', price: holdToRange(terms.side, slip(terms.side, print.price, slippageBps), state.range), maxQty: null, liquidity: 'taker' };
  }
  const limit = terms.limit!;
  const liquidity = state.maker ? 'maker' : 'taker';
  const cross = limitCross(terms.side, limit, print.price);
  if (cross === 'away') return NONE;
  if (cross === 'through') return { kind: 'fill', price: holdToRange(terms.side, limit, state.range), maxQty: null, liquidity };
  const before = state.printedAtLimit;
  state.printedAtLimit += print.size;
  const reaching = sizeBeyondQueue(state.queueAhead, before, print.size);
  return reaching > 0n ? { kind: 'fill', price: limit, maxQty: reaching, liquidity } : NONE;
}

function stopDecision(terms: MatchTerms, state: MatchState, price: bigint): MatchDecision {
  if (terms.orderType !== 'trailing_stop') {
    if (!stopTriggered(terms.side, terms.stop!, price)) return NONE;
    state.triggered = true;
    return TRIGGERED;
  }
  if (state.hwm !== null && stopTriggered(terms.side, currentStop(terms, state)!, price)) {
    state.triggered = true;
    return TRIGGERED;
  }
  state.hwm = nextHwm(terms.side, state.hwm, price);
  return NONE;
}

/** The stop as it stands: the order's own, or for a trailing stop the one its high-water mark gives. */
export function currentStop(terms: MatchTerms, state: MatchState): bigint | null {
  if (terms.orderType !== 'trailing_stop') return terms.stop;
  return state.hwm === null ? null : trailingStop(terms.side, state.hwm, { price: terms.trailPrice, percent: terms.trailPercent });
}
