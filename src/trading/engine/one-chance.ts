import type { AccountBook } from './account-book.ts';
import type { EngineCore } from './engine-core.ts';
import { remainingQty, type WorkingOrder } from './working-order.ts';

/** `ioc` and `fok` get one chance to trade: the first print (bar) after they reach the market. */
export const hasOneChance = (order: WorkingOrder): boolean => order.timeInForce === 'ioc' || order.timeInForce === 'fok';

/** Cancels what an `ioc` or `fok` order did not fill on its one chance (`chance` names it). */
export function endOneChance(core: EngineCore, book: AccountBook, order: WorkingOrder, at: number, chance: string): void {
  if (order.closedAt !== null) return;
  const what = order.timeInForce === 'fok' ? 'fok order: not fillable in full' : `ioc order: ${remainingQty(order) === order.qty ? 'nothing' : 'the rest'} was not filled`;
  core.close(book, order, 'canceled', at, `${what} on ${chance}`, 'canceled');
}
