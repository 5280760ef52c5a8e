import { RecentVolume } from '../fills/recent-volume.ts';
import type { Print } from '../fills/print.ts';

interface SymbolTape {
  mark: bigint | null;
  markTs: number;
  readonly recent: RecentVolume;
}

/** Saved form of one symbol's tape. */
export interface SymbolTapeState {
  readonly symbol: string;
  readonly mark: bigint | null;
  readonly markTs: number | null;
  readonly recent: readonly (readonly [number, bigint, bigint])[];
}

/**
 * What the engine knows of the market, shared by every account: each symbol's last price (the mark
 * positions are valued at: the full print with the latest event time; an auction print is not one)
 * and its recent volume by price.
 */
export class Tape {
  readonly lookbackMs: number;
  readonly #symbols = new Map<string, SymbolTape>();

  constructor(lookbackMs: number) {
    this.lookbackMs = lookbackMs;
  }

  mark(symbol: string): bigint | null {
    return this.#symbols.get(symbol)?.mark ?? null;
  }

  volumeAt(symbol: string, price: bigint): bigint {
    return this.#symbols.get(symbol)?.recent.at(price) ?? 0n;
  }

  /** Before orders see the print: fills are valued at the price the account can see. */
  recordMark(print: Print): void {
    if (print.eligibility !== 'full' || print.auction !== null) return;
    const tape = this.#tape(print.symbol);
    if (print.tsEvent >= tape.markTs) {
      tape.mark = print.price;
      tape.markTs = print.tsEvent;
    }
  }

  /** After orders saw the print: a queue estimated later counts it. */
  recordVolume(print: Print): void {
    if (print.eligibility === 'none' || print.auction !== null) return;
    this.#tape(print.symbol).recent.add(print.tsEvent, print.price, print.size);
  }

  state(): SymbolTapeState[] {
    return [...this.#symbols].map(([symbol, tape]) => ({ symbol, mark: tape.mark, markTs: tape.mark === null ? null : tape.markTs, recent: tape.recent.entries() }));
  }

  restore(states: readonly SymbolTapeState[]): void {
    this.#symbols.clear();
    for (const state of states) {
      const tape = this.#tape(state.symbol);
      tape.mark = state.mark;
      tape.markTs = state.markTs ?? Number.NEGATIVE_INFINITY;
      for (const [ts, price, size] of state.recent) tape.recent.add(ts, price, size);
    }
  }

  #tape(symbol: string): SymbolTape {
    let tape = this.#symbols.get(symbol);
    if (!tape) {
      tape = { mark: null, markTs: Number.NEGATIVE_INFINITY, recent: new RecentVolume(this.lookbackMs) };
      this.#symbols.set(symbol, tape);
    }
    return tape;
  }
}
