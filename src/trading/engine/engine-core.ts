import type { Fill } from '../../model/fill.ts';
import type { OrderStatus } from '../../model/order.ts';
import type { TradeUpdate, TradeUpdateEvent } from '../../model/trade-update.ts';
import type { PrintClassifier } from '../fills/print-classifier.ts';
import type { Print } from '../fills/print.ts';
import type { Marks } from '../portfolio/valuation.ts';
import type { AccountBook } from './account-book.ts';
import { bookFill } from './fill-booking.ts';
import { sizeFill } from './fill-sizing.ts';
import type { InstrumentLookup } from './instrument.ts';
import type { MarketCalendar } from './market-calendar.ts';
import { orderRecord } from './order-record.ts';
import type { Tape } from './tape.ts';
import { remainingQty, type WorkingOrder } from './working-order.ts';

export interface CoreOptions {
  readonly instrument: InstrumentLookup;
  readonly calendar: MarketCalendar;
  readonly prints: PrintClassifier;
  readonly tape: Tape;
}

/** A fill the model decided on, before the account sized it. */
export interface FillIntent {
  readonly price: bigint;
  readonly maxQty: bigint | null;
  readonly liquidity: 'maker' | 'taker';
  /** `fok`: all that is left, or nothing. */
  readonly allOrNothing: boolean;
}

/**
 * The engine's state and the moves every part of it makes: accounts, the tape, the outbox of events,
 * which accounts watch which symbols, and when the next timed transition is due.
 */
export class EngineCore {
  readonly instrument: InstrumentLookup;
  readonly calendar: MarketCalendar;
  readonly prints: PrintClassifier;
  tape: Tape;
  readonly accounts = new Map<string, AccountBook>();
  /** Highest event time seen (trades, commands, advance). */
  now = Number.NEGATIVE_INFINITY;
  /** No timed transition is due before this. */
  nextDue = Number.POSITIVE_INFINITY;
  readonly #events: TradeUpdate[] = [];
  readonly #changed = new Set<string>();
  /** symbol → ids of the accounts with open orders on it, sorted: accounts are served in id order. */
  readonly #watchers = new Map<string, string[]>();
  readonly marks: Marks = (symbol) => this.tape.mark(symbol);

  constructor(options: CoreOptions) {
    this.instrument = options.instrument;
    this.calendar = options.calendar;
    this.prints = options.prints;
    this.tape = options.tape;
  }

  takeEvents(): TradeUpdate[] {
    return this.#events.splice(0);
  }

  get hasEvents(): boolean {
    return this.#events.length > 0;
  }

  takeChanged(): string[] {
    const changed = [...this.#changed].sort();
    this.#changed.clear();
    return changed;
  }

  markChanged(book: AccountBook): void {
    this.#changed.add(book.id);
  }

  watchers(symbol: string): readonly string[] {
    return this.#watchers.get(symbol) ?? [];
  }

  emit(book: AccountBook, event: TradeUpdateEvent, order: WorkingOrder, at: number, fill: Fill | null = null): void {
    book.counters.events++;
    this.#events.push({ type: 'trade-update', account_id: book.id, seq: book.counters.events, event, timestamp: at, order: orderRecord(order), fill });
    this.#changed.add(book.id);
  }

  /** Puts an accepted order on its account's book (it emits `pending_new`). */
  open(book: AccountBook, order: WorkingOrder, at: number): void {
    book.add(order);
    this.watch(book, order.symbol);
    this.scheduled(order);
    this.emit(book, 'pending_new', order, at);
  }

  /** Makes an order final: it emits `event` (if any) and leaves the book. */
  close(book: AccountBook, order: WorkingOrder, status: OrderStatus, at: number, reason: string | null, event: TradeUpdateEvent | null): void {
    order.status = status;
    order.closedAt = at;
    order.updatedAt = at;
    if (reason !== null) order.reason = reason;
    if (event) this.emit(book, event, order, at);
    if (book.remove(order)) this.#unwatch(book, order.symbol);
    this.#changed.add(book.id);
  }

  /** Notes when an order's next timed transition is due. */
  scheduled(order: WorkingOrder): void {
    const due = dueOf(order);
    if (due !== null && due.at < this.nextDue) this.nextDue = due.at;
  }

  /**
   * Sizes and books a fill (emits `fill` or `partial_fill`); cancels what buying power cannot cover.
   * Returns the quantity filled (0: none).
   */
  fill(book: AccountBook, order: WorkingOrder, print: Print, intent: FillIntent, capacity: bigint | null, at: number): bigint {
    const size = sizeFill(book, order, this.marks, intent.price, intent.maxQty, capacity, at);
    if (intent.allOrNothing && size.qty !== remainingQty(order)) return 0n;
    if (size.qty > 0n) {
      const fill = bookFill(book, this.calendar, order, print, intent.price, size.qty, intent.liquidity, at);
      this.emit(book, order.status === 'filled' ? 'fill' : 'partial_fill', order, at, fill);
      if (order.status === 'filled') this.close(book, order, 'filled', at, null, null);
    }
    if (size.cutByBuyingPower && order.closedAt === null) {
      this.close(book, order, 'canceled', at, 'insufficient buying power to fill the rest at the market price', 'canceled');
    }
    return size.qty;
  }

  watch(book: AccountBook, symbol: string): void {
    const ids = this.#watchers.get(symbol) ?? [];
    if (ids.includes(book.id)) return;
    this.#watchers.set(symbol, [...ids, book.id].sort());
  }

  #unwatch(book: AccountBook, symbol: string): void {
    const ids = (this.#watchers.get(symbol) ?? []).filter((id) => id !== book.id);
    if (ids.length === 0) this.#watchers.delete(symbol);
    else this.#watchers.set(symbol, ids);
  }

  unwatchAll(book: AccountBook): void {
    for (const symbol of [...this.#watchers.keys()]) this.#unwatch(book, symbol);
  }
}

export type DueKind = 'activate' | 'auction' | 'expire';

/** An order's next transition on time alone: activation, the end of its auction's grace, expiry. */
export function dueOf(order: WorkingOrder): { readonly at: number; readonly kind: DueKind } | null {
  if (order.status === 'pending_new') return { at: order.activatesAt, kind: 'activate' };
  const auction = order.auction && !order.auction.fallback ? order.auction.graceEnd : Number.POSITIVE_INFINITY;
  const expiry = order.expiresAt ?? Number.POSITIVE_INFINITY;
  if (auction === Number.POSITIVE_INFINITY && expiry === Number.POSITIVE_INFINITY) return null;
  return auction <= expiry ? { at: auction, kind: 'auction' } : { at: expiry, kind: 'expire' };
}
