import type { FillInput } from '../../model/fill.ts';
import type { Bar } from '../../model/bar.ts';
import { fixedFromNumber, fixedToNumber } from '../../model/fixed-point.ts';
import { matchBar, pointBar, type BarDecision, type BarMoment, type BarPrices } from '../fills/match-bar.ts';
import { freshMatchState } from '../fills/match-state.ts';
import { printCapacity } from '../fills/participation.ts';
import { fromInput } from '../fills/print.ts';
import type { AccountBook } from './account-book.ts';
import { cancelAuctionRest } from './auction-orders.ts';
import type { EngineCore } from './engine-core.ts';
import type { SessionPhase } from './market-calendar.ts';
import { endOneChance, hasOneChance } from './one-chance.ts';
import { activate, startLimit } from './timed-transitions.ts';
import { phasesAt, tradesIn } from './trading-session.ts';
import { isActive, type WorkingOrder } from './working-order.ts';

/** How fills against a bar name it in their lineage (default `bar:SYMBOL:INTERVAL:START`). */
export const barRef = (bar: Bar): string => `bar:${bar.symbol}:${bar.interval}:${bar.start}`;

/** What one order does with one bar: fills (or not) at a moment of it, and whether the bar is its last chance. */
interface BarTurn {
  readonly order: WorkingOrder;
  readonly decision: BarDecision;
  readonly moment: BarMoment;
  /** `ioc`, `fok`, `opg`, `cls`: what this bar does not fill is canceled. */
  readonly lastChance: boolean;
}

/**
 * One bar against every open order on its symbol (the engine's time already at `bar.start`): accounts
 * in id order, each account's orders in acceptance order sharing the account's participation in the
 * bar's volume. Fills at the open come before fills inside the range. The open marks positions before
 * orders see the bar, the close after.
 */
export function applyBar(core: EngineCore, bar: Bar, ref: string): void {
  const prices: BarPrices = { open: fixedFromNumber(bar.open), high: fixedFromNumber(bar.high), low: fixedFromNumber(bar.low), close: fixedFromNumber(bar.close) };
  core.tape.recordMark(fromInput(bar.symbol, barInput(bar, ref, bar.open, 'start')));
  const phaseOf = phasesAt(core, bar.start);
  for (const id of core.watchers(bar.symbol)) matchAccount(core, core.accounts.get(id)!, bar, prices, ref, phaseOf);
  core.tape.recordMark(fromInput(bar.symbol, barInput(bar, ref, bar.close, 'end')));
}

function matchAccount(core: EngineCore, book: AccountBook, bar: Bar, prices: BarPrices, ref: string, phaseOf: (market: string) => SessionPhase): void {
  const turns: BarTurn[] = [];
  for (const order of book.ordersOf(bar.symbol)) {
    if (!seesBar(order, bar)) continue;
    // The bar replaces the latency: an order placed by the bar's start reached the market in time for it.
    if (order.status === 'pending_new') activate(core, book, order, bar.start);
    const phase = phaseOf(order.market);
    const turn = order.auction ? auctionTurn(book, order, bar, prices, phase) : continuousTurn(core, book, order, bar, prices, phase);
    if (turn) turns.push(turn);
  }
  let capacity = printCapacity(fixedFromNumber(bar.volume), book.participation, false);
  for (const moment of ['start', 'end'] as const) {
    const at = moment === 'start' ? bar.start : bar.end;
    for (const { order, decision, lastChance } of turns.filter((turn) => turn.moment === moment)) {
      if (decision.kind === 'fill' && order.closedAt === null) {
        const print = fromInput(bar.symbol, barInput(bar, ref, fixedToNumber(decision.reference), moment));
        const filled = core.fill(book, order, print, { ...decision, maxQty: null, allOrNothing: order.timeInForce === 'fok' }, capacity, at);
        if (capacity !== null) capacity -= filled;
      }
      if (!lastChance) continue;
      if (order.auction) cancelAuctionRest(core, book, order, at);
      else endOneChance(core, book, order, at, 'the first bar after acceptance');
    }
  }
}

/** Only bars that began at or after the order was placed: one placed at a bar's end first sees the next bar. */
function seesBar(order: WorkingOrder, bar: Bar): boolean {
  return order.closedAt === null && order.createdAt <= bar.start && (isActive(order) || order.status === 'pending_new');
}

function continuousTurn(core: EngineCore, book: AccountBook, order: WorkingOrder, bar: Bar, prices: BarPrices, phase: SessionPhase): BarTurn | null {
  if (!tradesIn(order, phase)) return null;
  const decision = matchBar(order, order.match, prices, book.slippageBps);
  if (decision.kind === 'triggered') {
    order.updatedAt = bar.end;
    startLimit(core, book, order, prices.close);
  }
  core.markChanged(book);
  return { order, decision, moment: decision.kind === 'fill' ? decision.at : 'end', lastChance: hasOneChance(order) };
}

/**
 * `opg` fills at the open of the first regular-session bar from the open on; `cls` at the close of the
 * bar that ends at the regular close. The auction is one price, so slippage cannot move it, and a limit
 * fills only if that price is strictly through it.
 */
function auctionTurn(book: AccountBook, order: WorkingOrder, bar: Bar, prices: BarPrices, phase: SessionPhase): BarTurn | null {
  const wait = order.auction!;
  const opening = wait.kind === 'opening';
  if (opening ? phase !== 'regular' || bar.start < wait.at : bar.end !== wait.at) return null;
  const state = { ...freshMatchState(), maker: order.match.maker };
  const decision = matchBar(order, state, pointBar(opening ? prices.open : prices.close), book.slippageBps);
  return { order, decision, moment: opening ? 'start' : 'end', lastChance: true };
}

/** The bar as a fill's lineage: its volume, and the price a fill came from at the moment it came. */
function barInput(bar: Bar, ref: string, price: number, moment: BarMoment): FillInput {
  return { ref, price, size: bar.volume, tsEvent: moment === 'start' ? bar.start : bar.end };
}
