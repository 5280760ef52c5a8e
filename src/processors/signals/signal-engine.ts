import type { MarketRecord } from '../../model/market-record.ts';
import type { SignalInput, TradingSignal } from '../../model/signal.ts';
import type { AggregatedRecord } from '../../model/aggregated-record.ts';
import { clamp01, type Decision, type Strategy } from './strategy.ts';
import type { StrategyPlan } from './strategy-registry.ts';

export type EngineRecord = MarketRecord | AggregatedRecord;

interface Instance {
  readonly id: string;
  readonly strategy: Strategy;
}

/**
 * The pure core of the signals processor: per symbol, the configured strategies' state, fed one
 * validated record at a time. No bus, no clock: the caller passes the receive time to stamp.
 *
 * - A symbol's strategies are made on its first record (from the plan), in configuration order, and
 *   signals come out in that order.
 * - A gap resets the symbol: its strategies are dropped and made fresh on its next record. Trades
 *   may be missing across a gap, so averages, RSI and crossings spanning one would join prices from
 *   before and after a hole as if consecutive (the aggregator empties its windows on a gap for the
 *   same reason). Bars and metrics travel on another topic than the gap, so the reset lands where
 *   the gap is read, not at an exact bar; warm-up starts again from there.
 * - A bar whose `start` is not after the last bar of its symbol and interval is a duplicate (the
 *   aggregator is at-least-once) or out of order, and is skipped: feeding it twice would move the
 *   averages.
 */
export class SignalEngine {
  readonly #plan: StrategyPlan;
  readonly #symbols = new Map<string, readonly Instance[]>();
  /** `${symbol}\u0000${interval}` → start of the last bar taken in. */
  readonly #lastBarStart = new Map<string, number>();
  readonly #counters = { resets: 0, duplicateBars: 0 };

  constructor(plan: StrategyPlan) {
    this.#plan = plan;
  }

  /** Applies one record; returns the signals it triggered, stamped `tsRecv`. */
  apply(record: EngineRecord, input: SignalInput, tsRecv: number): TradingSignal[] {
    // No strategy decides on quotes yet; a quote-only symbol (forex replayed from Lean) gets no instances.
    if (record.type === 'quote' || record.type === 'quote-bar') return [];
    if (record.type === 'gap') {
      if (this.#symbols.delete(record.symbol)) this.#counters.resets++;
      return [];
    }
    if (record.type === 'bar') {
      const key = `${record.symbol}\u0000${record.interval}`;
      const last = this.#lastBarStart.get(key);
      if (last !== undefined && record.start <= last) {
        this.#counters.duplicateBars++;
        return [];
      }
      this.#lastBarStart.set(key, record.start);
    }
    const signals: TradingSignal[] = [];
    for (const { id, strategy } of this.#instancesOf(record.symbol)) {
      const decision = decide(strategy, record, input);
      if (decision) signals.push(toSignal(record.symbol, id, decision, input, tsRecv));
    }
    return signals;
  }

  stats(): { readonly symbols: number; readonly resets: number; readonly duplicateBars: number } {
    return { symbols: this.#symbols.size, ...this.#counters };
  }

  #instancesOf(symbol: string): readonly Instance[] {
    let instances = this.#symbols.get(symbol);
    if (!instances) {
      instances = this.#plan(symbol).map((spec) => ({ id: spec.id, strategy: spec.create(symbol) }));
      this.#symbols.set(symbol, instances);
    }
    return instances;
  }
}

function decide(strategy: Strategy, record: Exclude<EngineRecord, { type: 'gap' | 'quote' | 'quote-bar' }>, input: SignalInput): Decision | null {
  switch (record.type) {
    case 'trade':
      return strategy.onTrade?.(record, input) ?? null;
    case 'bar':
      return strategy.onBar?.(record, input) ?? null;
    case 'window-metrics':
      return strategy.onMetrics?.(record, input) ?? null;
  }
}

function toSignal(symbol: string, strategy: string, decision: Decision, input: SignalInput, tsRecv: number): TradingSignal {
  return {
    type: 'signal',
    symbol,
    strategy,
    side: decision.side,
    strength: clamp01(decision.strength),
    price: decision.price,
    tsEvent: input.tsEvent,
    tsRecv,
    reason: decision.reason,
    lineage: decision.lineage ?? [input],
  };
}
