import { matchPrint } from '../fills/match-print.ts';
import { freshMatchState } from '../fills/match-state.ts';
import { printCapacity } from '../fills/participation.ts';
import { fromInput, type Print } from '../fills/print.ts';
import type { AccountBook } from './account-book.ts';
import type { EngineCore } from './engine-core.ts';
import type { SessionPhase } from './market-calendar.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * `opg` and `cls` orders trade once, at the auction: on the opening (closing) auction's print when the
 * feed marks one; else on the first regular print after the open (the last before the close), taken
 * when `auctionGraceMs` passed without an auction print. What the auction does not fill is canceled,
 * as Alpaca cancels what its auction orders did not get. Returns the quantity filled.
 */
export function auctionPrint(core: EngineCore, book: AccountBook, order: WorkingOrder, print: Print, phase: SessionPhase, capacity: bigint | null): bigint {
  const wait = order.auction!;
  const regular = print.auction === null && print.eligibility === 'full' && phase === 'regular';
  if (wait.kind === 'opening') {
    if (print.tsEvent < wait.at) return 0n;
    if (print.auction === 'opening' || (regular && wait.fallback)) return auctionFill(core, book, order, print, capacity, print.tsEvent);
    if (regular && wait.candidate === null) {
      wait.candidate = print.input;
      core.markChanged(book);
    }
    return 0n;
  }
  if (print.auction === 'closing' && print.tsEvent >= wait.at) return auctionFill(core, book, order, print, capacity, print.tsEvent);
  if (regular && print.tsEvent < wait.at && (wait.candidate === null || print.tsEvent >= wait.candidate.tsEvent)) {
    wait.candidate = print.input;
    core.markChanged(book);
  }
  return 0n;
}

/** The grace after the open (close) ended without an auction print. */
export function resolveAuction(core: EngineCore, book: AccountBook, order: WorkingOrder, at: number): void {
  const wait = order.auction!;
  if (wait.candidate !== null) {
    const print = fromInput(order.symbol, wait.candidate);
    auctionFill(core, book, order, print, printCapacity(print.size, book.participation, false), at);
    return;
  }
  if (wait.kind === 'opening') {
    wait.fallback = true;
    core.markChanged(book);
    return;
  }
  core.close(book, order, 'expired', at, 'cls order expired: no regular print before the close', 'expired');
}

/** One print settles the order: a fresh price range of that print alone (an auction has one price). */
function auctionFill(core: EngineCore, book: AccountBook, order: WorkingOrder, print: Print, capacity: bigint | null, at: number): bigint {
  const state = { ...freshMatchState(), queueAhead: order.match.queueAhead, maker: order.match.maker };
  const decision = matchPrint(order, state, print, book.slippageBps);
  const filled = decision.kind === 'fill' ? core.fill(book, order, print, { ...decision, allOrNothing: false }, capacity, at) : 0n;
  cancelAuctionRest(core, book, order, at);
  return filled;
}

/** Alpaca cancels what an auction order did not get at its auction. */
export function cancelAuctionRest(core: EngineCore, book: AccountBook, order: WorkingOrder, at: number): void {
  if (order.closedAt !== null) return;
  core.close(book, order, 'canceled', at, `${order.timeInForce} order: the rest was not filled at the ${order.auction!.kind} auction`, 'canceled');
}
