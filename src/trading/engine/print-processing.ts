import { matchPrint, workingAs } from '../fills/match-print.ts';
import { printCapacity } from '../fills/participation.ts';
import type { Print } from '../fills/print.ts';
import type { AccountBook } from './account-book.ts';
import { auctionPrint } from './auction-orders.ts';
import type { EngineCore } from './engine-core.ts';
import type { SessionPhase } from './market-calendar.ts';
import { endOneChance, hasOneChance } from './one-chance.ts';
import { startLimit } from './timed-transitions.ts';
import { phasesAt, tradesIn } from './trading-session.ts';
import { isActive, type WorkingOrder } from './working-order.ts';

/**
 * One print against every open order on its symbol: accounts in id order, each account's orders in
 * acceptance order sharing the account's participation in the print. The print marks positions before
 * orders see it and counts in the queues after.
 */
export function applyPrint(core: EngineCore, print: Print): void {
  if (print.eligibility === 'none' && print.auction === null) return;
  core.tape.recordMark(print);
  const watchers = core.watchers(print.symbol);
  if (watchers.length > 0) {
    const phaseOf = phasesAt(core, print.tsEvent);
    for (const id of watchers) matchAccount(core, core.accounts.get(id)!, print, phaseOf);
  }
  core.tape.recordVolume(print);
}

function matchAccount(core: EngineCore, book: AccountBook, print: Print, phaseOf: (market: string) => SessionPhase): void {
  let capacity = printCapacity(print.size, book.participation, false);
  for (const order of book.ordersOf(print.symbol)) {
    if (!isActive(order) || print.tsEvent <= order.activatesAt || order.closedAt !== null) continue;
    const phase = phaseOf(order.market);
    const filled = order.auction ? auctionPrint(core, book, order, print, phase, capacity) : continuousPrint(core, book, order, print, phase, capacity);
    if (capacity !== null) capacity -= filled;
  }
}

function continuousPrint(core: EngineCore, book: AccountBook, order: WorkingOrder, print: Print, phase: SessionPhase, capacity: bigint | null): bigint {
  if (print.auction !== null || !tradesIn(order, phase)) return 0n;
  const decision = matchPrint(order, order.match, print, book.slippageBps);
  let filled = 0n;
  if (decision.kind === 'triggered') {
    order.updatedAt = print.tsEvent;
    if (workingAs(order, order.match) === 'limit') startLimit(core, book, order, print.price);
    core.markChanged(book);
  } else if (decision.kind === 'fill') {
    filled = core.fill(book, order, print, { ...decision, allOrNothing: order.timeInForce === 'fok' }, capacity, print.tsEvent);
  } else if (print.eligibility === 'full') {
    core.markChanged(book);
  }
  if (hasOneChance(order) && print.eligibility === 'full') endOneChance(core, book, order, print.tsEvent, 'the first print after activation');
  return filled;
}
