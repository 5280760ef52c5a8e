import { RecentVolume } from '../fills/recent-volume.ts';
import type { Print } from '../fills/print.ts';

interface SymbolTape {
  /** The mark's exact price, made from `markPrint` when first asked for after a new mark. */
  mark: bigint | null;
  markPrint: Print | null;
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

/** `[bucket start, price, size]` increments of one symbol's recent volume, in the order they were added. */
export type VolumeIncrements = readonly (readonly [number, bigint, bigint])[];

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
    const tape = this.#symbols.get(symbol);
    if (!tape) return null;
    if (tape.markPrint) {
      tape.mark = tape.markPrint.price;
      tape.markPrint = null;
    }
    return tape.mark;
  }

  volumeAt(symbol: string, price: bigint): bigint {
    return this.#symbols.get(symbol)?.recent.at(price) ?? 0n;
  }

  /** Before orders see the print: fills are valued at the price the account can see. */
  recordMark(print: Print): void {
    if (print.eligibility !== 'full' || print.auction !== null) return;
    const tape = this.#tape(print.symbol);
    if (print.tsEvent >= tape.markTs) {
      tape.markPrint = print;
      tape.markTs = print.tsEvent;
    }
  }

  /** After orders saw the print: a queue estimated later counts it. */
  recordVolume(print: Print): void {
    if (print.eligibility === 'none' || print.auction !== null) return;
    this.#tape(print.symbol).recent.addCounts(print.tsEvent, print.priceCount, print.sizeCount);
  }

  /** With `recent: 'omitted'`, each symbol's `recent` is empty: the volume is saved apart, from `takeVolumeChanges`. */
  state(recent: 'included' | 'omitted' = 'included'): SymbolTapeState[] {
    return [...this.#symbols].map(([symbol]) => {
      const mark = this.mark(symbol);
      const tape = this.#symbols.get(symbol)!;
      return { symbol, mark, markTs: mark === null ? null : tape.markTs, recent: recent === 'included' ? tape.recent.entries() : [] };
    });
  }

  /** Each symbol's volume added since the last call (`RecentVolume.takeChange`). */
  takeVolumeChanges(): { readonly symbol: string; readonly keepFrom: number; readonly added: VolumeIncrements }[] {
    return [...this.#symbols].flatMap(([symbol, tape]) => {
      const change = tape.recent.takeChange();
      return change ? [{ symbol, ...change }] : [];
    });
  }

  /**
   * `state` saved earlier, then the volume saved apart (the `added` of every change since, in order).
   * Volume inside `states` (saved before it was saved apart) counts as a change, so it is saved apart next.
   */
  restore(states: readonly SymbolTapeState[], volume: readonly { readonly symbol: string; readonly entries: VolumeIncrements }[] = []): void {
    this.#symbols.clear();
    for (const state of states) {
      const tape = this.#tape(state.symbol);
      tape.mark = state.mark;
      tape.markPrint = null;
      tape.markTs = state.markTs ?? Number.NEGATIVE_INFINITY;
      for (const [ts, price, size] of state.recent) tape.recent.add(ts, price, size);
    }
    for (const { symbol, entries } of volume) this.#tape(symbol).recent.load(entries);
  }

  #tape(symbol: string): SymbolTape {
    let tape = this.#symbols.get(symbol);
    if (!tape) {
      tape = { mark: null, markPrint: null, markTs: Number.NEGATIVE_INFINITY, recent: new RecentVolume(this.lookbackMs) };
      this.#symbols.set(symbol, tape);
    }
    return tape;
  }
}
