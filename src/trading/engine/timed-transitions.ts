import { fixedFromNumber, parseFixed } from '../../model/fixed-point.ts';
import { marketable } from '../fills/limit-cross.ts';
import { estimateQueueAhead } from '../fills/queue-ahead.ts';
import type { AccountBook } from './account-book.ts';
import { resolveAuction } from './auction-orders.ts';
import { dueOf, type DueKind, type EngineCore } from './engine-core.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * Moves the engine's time to `ts`, making every timed transition due by then in time order (ties: by
 * account id, then acceptance order): orders activate (`new`), `opg`/`cls` orders whose auction did not
 * print take the regular print they kept, `day` orders expire.
 */
export function advanceTo(core: EngineCore, ts: number): void {
  if (ts > core.now) core.now = ts;
  while (core.nextDue <= ts) {
    const due = earliestDue(core);
    if (due === null || due.at > ts) {
      core.nextDue = due?.at ?? Number.POSITIVE_INFINITY;
      return;
    }
    transition(core, due.book, due.order, due.kind, due.at);
  }
}

interface Due {
  readonly book: AccountBook;
  readonly order: WorkingOrder;
  readonly kind: DueKind;
  readonly at: number;
}

function earliestDue(core: EngineCore): Due | null {
  let best: Due | null = null;
  for (const id of [...core.accounts.keys()].sort()) {
    const book = core.accounts.get(id)!;
    for (const order of book.orders()) {
      const due = dueOf(order);
      if (due !== null && (best === null || due.at < best.at)) best = { book, order, kind: due.kind, at: due.at };
    }
  }
  return best;
}

function transition(core: EngineCore, book: AccountBook, order: WorkingOrder, kind: DueKind, at: number): void {
  switch (kind) {
    case 'activate':
      activate(core, book, order, at);
      return;
    case 'auction':
      resolveAuction(core, book, order, at);
      return;
    case 'expire':
      core.close(book, order, 'expired', at, order.timeInForce === 'day' ? 'day order expired at the session close' : `${order.timeInForce} order expired at the session close`, 'expired');
  }
}

/**
 * The order reaches the market: from now on it fills against prints after `activatesAt`. A limit order
 * joins the back of the queue at its price; a trailing stop starts from the last price.
 */
export function activate(core: EngineCore, book: AccountBook, order: WorkingOrder, at: number): void {
  order.status = 'new';
  order.updatedAt = at;
  const mark = core.marks(order.symbol);
  if (order.orderType === 'limit') startLimit(core, book, order, mark);
  if (order.orderType === 'trailing_stop') order.match.hwm = mark;
  core.emit(book, 'new', order, at);
}

/** A limit starts working (at activation, or when a stop limit triggers). */
export function startLimit(core: EngineCore, book: AccountBook, order: WorkingOrder, lastPrice: bigint | null): void {
  const { queueAheadFactor, queueAheadMinQty } = book.config.fills;
  order.match.queueAhead = estimateQueueAhead(core.tape.volumeAt(order.symbol, order.limit!), fixedFromNumber(queueAheadFactor), parseFixed(queueAheadMinQty)!);
  order.match.printedAtLimit = 0n;
  order.match.maker = !marketable(order.side, order.limit!, lastPrice);
}
