import { sameCondition, type AlertCondition, type AlertFiring, type AlertRule } from '../../model/alert.ts';
import type { Gap } from '../../model/gap.ts';
import type { Trade } from '../../model/trade.ts';
import type { AlertState } from '../../store/alert-store.ts';
import { MoveWindow } from './move-window.ts';

export interface AlertEvaluatorOptions {
  /** When evaluation started (Unix ms, clock time): a `stale` rule's baseline for unseen symbols. */
  readonly startedAt: number;
}

interface Slot {
  rule: AlertRule;
  state: AlertState;
  window: MoveWindow | null;
}

/**
 * The pure core of the alerts processor: rules in, trades and clock ticks in, firings and changed
 * states out; no I/O. Once per crossing: a rule fires only while armed, and firing disarms it; it
 * re-arms when its condition is false again:
 *
 * - `price-above`: fires on a trade with price > threshold; re-arms on a trade ≤ threshold.
 *   `price-below` the mirror image (fires < threshold, re-arms ≥ threshold).
 * - `move-pct`: over the trades of the last `windowMs` of event time, fires when
 *   |last / first − 1| × 100 ≥ percent; re-arms when a trade leaves it below that.
 * - `stale`: on a tick, fires when now − the symbol's last trade's `tsRecv` ≥ afterMs (without a
 *   trade since the evaluator started: now − start); re-arms on the symbol's next trade.
 *
 * A brand-new rule starts armed: if its condition already holds when first evaluated (a price-above
 * rule created below the current price), it fires on that first evaluation, without waiting for a
 * crossing: the user is told the condition is true. A rule whose condition was changed starts
 * afresh the same way (its crossing count, hence its firing ids, carries on).
 *
 * A `move-pct` window lives in memory only: after a restart it refills from the trades that arrive.
 * Arming and crossing counts are persisted (`takeChanges`), so a restart does not fire again.
 */
export class AlertEvaluator {
  readonly #startedAt: number;
  readonly #slots = new Map<string, Slot>();
  readonly #bySymbol = new Map<string, Slot[]>();
  /** Per symbol: the latest `tsRecv` of its trades, whatever rules exist. */
  readonly #lastRecv = new Map<string, number>();
  /** Per symbol: the reason of a gap record seen since its last trade. */
  readonly #gaps = new Map<string, string>();
  readonly #changed = new Map<string, AlertState>();

  constructor(options: AlertEvaluatorOptions) {
    this.#startedAt = options.startedAt;
  }

  get ruleCount(): number {
    return this.#slots.size;
  }

  /** Ids of `rules` the evaluator has no state for: load their stored states for `setRules`. */
  unknownRules(rules: readonly AlertRule[]): string[] {
    return rules.filter((rule) => !this.#slots.has(rule.id)).map((rule) => rule.id);
  }

  /**
   * The rules to evaluate from now on (enabled ones only). Rules kept keep their state; new ones
   * take their state from `stored`, if any; a state of another condition is reset (armed).
   */
  setRules(rules: readonly AlertRule[], stored: readonly AlertState[] = []): void {
    const storedById = new Map(stored.map((state) => [state.ruleId, state]));
    const next = new Map<string, Slot>();
    for (const rule of rules) {
      const kept = this.#slots.get(rule.id);
      const state = kept?.state ?? storedById.get(rule.id) ?? freshState(rule.id, rule.condition, rule.updatedAt);
      const slot: Slot = { rule, state, window: kept?.window ?? null };
      if (!sameCondition(state.condition, rule.condition)) {
        slot.state = { ...freshState(rule.id, rule.condition, rule.updatedAt), crossings: state.crossings };
        slot.window = null;
        this.#changed.set(rule.id, slot.state);
      }
      if (rule.condition.kind === 'move-pct') slot.window ??= new MoveWindow(rule.condition.windowMs);
      next.set(rule.id, slot);
    }
    this.#slots.clear();
    this.#bySymbol.clear();
    for (const [id, slot] of next) {
      this.#slots.set(id, slot);
      let list = this.#bySymbol.get(slot.rule.symbol);
      if (!list) this.#bySymbol.set(slot.rule.symbol, (list = []));
      list.push(slot);
    }
    for (const id of this.#changed.keys()) if (!next.has(id)) this.#changed.delete(id);
  }

  /** Evaluates the symbol's rules on a trade; returns what fired. */
  onTrade(trade: Trade): AlertFiring[] {
    this.#lastRecv.set(trade.symbol, Math.max(this.#lastRecv.get(trade.symbol) ?? Number.NEGATIVE_INFINITY, trade.tsRecv));
    this.#gaps.delete(trade.symbol);
    const firings: AlertFiring[] = [];
    for (const slot of this.#bySymbol.get(trade.symbol) ?? []) {
      const firing = this.#evaluateTrade(slot, trade);
      if (firing) firings.push(firing);
    }
    return firings;
  }

  /** Notes a gap: a stale firing of the symbol then says why the feed went quiet. */
  onGap(gap: Gap): void {
    this.#gaps.set(gap.symbol, gap.reason);
  }

  /** Evaluates the `stale` rules at clock time `now`; returns what fired. */
  tick(now: number): AlertFiring[] {
    const firings: AlertFiring[] = [];
    for (const slot of this.#slots.values()) {
      const { condition } = slot.rule;
      if (condition.kind !== 'stale' || !slot.state.armed) continue;
      const since = this.#lastRecv.get(slot.rule.symbol) ?? this.#startedAt;
      const quietMs = now - since;
      if (quietMs < condition.afterMs) continue;
      const gap = this.#gaps.get(slot.rule.symbol);
      const message = `${slot.rule.symbol} stale: no trade for ${seconds(quietMs)} (after ${seconds(condition.afterMs)})${gap ? `, feed gap: ${gap}` : ''}`;
      firings.push(this.#fire(slot, null, message, now, now, { lastPrice: null, lastTsEvent: null }));
    }
    return firings;
  }

  /** States changed since the last call, one per rule: what to persist with the firings. */
  takeChanges(): AlertState[] {
    const changes = [...this.#changed.values()];
    this.#changed.clear();
    return changes;
  }

  /** Forgets every rule and unpersisted change (after a failed batch: reload from the store). */
  clear(): void {
    this.#slots.clear();
    this.#bySymbol.clear();
    this.#changed.clear();
  }

  #evaluateTrade(slot: Slot, trade: Trade): AlertFiring | null {
    const { rule } = slot;
    const { condition } = rule;
    const at = { lastPrice: trade.price, lastTsEvent: trade.tsEvent };
    switch (condition.kind) {
      case 'price-above':
      case 'price-below': {
        const beyond = condition.kind === 'price-above' ? trade.price > condition.threshold : trade.price < condition.threshold;
        if (beyond && slot.state.armed) {
          const message = `${rule.symbol} ${condition.kind === 'price-above' ? 'above' : 'below'} ${condition.threshold} at ${trade.price}`;
          return this.#fire(slot, trade.price, message, trade.tsEvent, trade.tsRecv, at);
        }
        if (!beyond && !slot.state.armed) this.#rearm(slot, trade.tsRecv, at);
        return null;
      }
      case 'move-pct': {
        const window = slot.window!;
        if (!window.add(trade.tsEvent, trade.price)) return null;
        const first = window.first!;
        const last = window.last!;
        const movePct = (last / first - 1) * 100;
        const moved = Math.abs(movePct) >= condition.percent;
        if (moved && slot.state.armed) {
          const message = `${rule.symbol} moved ${movePct >= 0 ? '+' : ''}${movePct.toFixed(2)}% within ${seconds(condition.windowMs)} (${first} → ${last})`;
          return this.#fire(slot, last, message, trade.tsEvent, trade.tsRecv, at);
        }
        if (!moved && !slot.state.armed) this.#rearm(slot, trade.tsRecv, at);
        return null;
      }
      case 'stale':
        if (!slot.state.armed) this.#rearm(slot, trade.tsRecv, at);
        return null;
    }
  }

  #fire(slot: Slot, price: number | null, message: string, tsEvent: number, tsRecv: number, at: Pick<AlertState, 'lastPrice' | 'lastTsEvent'>): AlertFiring {
    const { rule } = slot;
    const crossings = slot.state.crossings + 1;
    this.#update(slot, { ...slot.state, ...at, armed: false, crossings, updatedAt: tsRecv });
    return { type: 'alert', id: `${rule.id}:${crossings}`, ruleId: rule.id, symbol: rule.symbol, condition: rule.condition, price, message, note: rule.note, tsEvent, tsRecv };
  }

  #rearm(slot: Slot, time: number, at: Pick<AlertState, 'lastPrice' | 'lastTsEvent'>): void {
    this.#update(slot, { ...slot.state, ...at, armed: true, updatedAt: time });
  }

  #update(slot: Slot, state: AlertState): void {
    slot.state = state;
    this.#changed.set(state.ruleId, state);
  }
}

function freshState(ruleId: string, condition: AlertCondition, updatedAt: number): AlertState {
  return { ruleId, condition, armed: true, crossings: 0, lastPrice: null, lastTsEvent: null, updatedAt };
}

function seconds(ms: number): string {
  return `${Number((ms / 1_000).toFixed(3))} s`;
}
