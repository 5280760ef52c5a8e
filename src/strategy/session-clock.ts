import { currentOrNextSession } from '../trading/calendar/calendar.ts';
import { marketOf, type Market } from '../trading/calendar/market.ts';
import type { ClockEvent } from './strategy-api.ts';

/**
 * The regular sessions' opens and closes of the markets the data has touched, as clock events in
 * time order: `passTo(t)` returns every open and close in (last time passed, t]. Crypto has no
 * sessions and gives none. A market starts ticking with its first event: a run that begins
 * mid-session gets that session's close, not its open.
 */
export class SessionClock {
  readonly #next = new Map<Market, ClockEvent>();
  readonly #symbols = new Set<string>();

  /** Starts following the market of `symbol` at `time` (no-op when already followed). */
  follow(symbol: string, time: number): void {
    if (this.#symbols.has(symbol)) return;
    this.#symbols.add(symbol);
    const market = marketOf(symbol);
    if (!market || market === 'crypto' || this.#next.has(market)) return;
    this.#next.set(market, after(market, time));
  }

  /** Events due by `time`, ordered by time then market name. */
  passTo(time: number): ClockEvent[] {
    let due: ClockEvent[] | null = null;
    for (const [market, event] of this.#next) {
      let next = event;
      while (next.time <= time) {
        (due ??= []).push(next);
        next = after(market, next.time);
      }
      this.#next.set(market, next);
    }
    if (!due) return NONE;
    return due.sort((a, b) => a.time - b.time || (a.market < b.market ? -1 : a.market > b.market ? 1 : 0));
  }
}

const NONE: ClockEvent[] = [];

function after(market: Market, time: number): ClockEvent {
  const session = currentOrNextSession(market, time);
  if (session.open > time) return { kind: 'open', market, date: session.date, time: session.open };
  if (session.close > time) return { kind: 'close', market, date: session.date, time: session.close };
  const next = currentOrNextSession(market, session.postClose);
  return { kind: 'open', market, date: next.date, time: next.open };
}
