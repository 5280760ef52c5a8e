import type { AlertCondition, AlertFiring, AlertRule } from '../model/alert.ts';

/**
 * The alerts part of the store: rules (written by the REST API), the firings the alerts processor
 * published, and each rule's evaluation state, so that a restarted processor does not fire a
 * crossing it already fired. Part of `Store`; implemented by `SqlStore` on PGlite and PostgreSQL.
 */
export interface AlertStore {
  /** Stores a new rule (enabled unless said otherwise) with a fresh id. */
  createAlertRule(input: AlertRuleInput): Promise<AlertRule>;
  /** Rules by creation time (oldest first), optionally of one symbol and/or enabled state. */
  listAlertRules(query?: AlertRuleQuery): Promise<AlertRule[]>;
  getAlertRule(id: string): Promise<AlertRule | null>;
  /** Changes what `patch` holds; `null` when there is no such rule. */
  updateAlertRule(id: string, patch: AlertRulePatch): Promise<AlertRule | null>;
  /** Deletes the rule and its evaluation state (its firings stay, as history); false when unknown. */
  deleteAlertRule(id: string): Promise<boolean>;
  /**
   * Stores firings and evaluation states in one transaction. Idempotent: a firing already stored
   * (same id, `<ruleId>:<crossing>`) is skipped; a state never moves back to fewer crossings; a
   * state of a rule deleted meanwhile is dropped (so a redelivered batch can never get stuck).
   */
  recordFirings(firings: readonly AlertFiring[], states: readonly AlertState[]): Promise<RecordFiringsResult>;
  /** Firings, newest first (by event time, then by arrival). */
  listFirings(query?: AlertFiringQuery): Promise<AlertFiring[]>;
  /** Evaluation states of the given rules (of every rule without `ruleIds`). */
  loadAlertStates(ruleIds?: readonly string[]): Promise<AlertState[]>;
}

export interface AlertRuleInput {
  readonly symbol: string;
  readonly condition: AlertCondition;
  readonly note?: string | null;
  /** Default true. */
  readonly enabled?: boolean;
}

export interface AlertRulePatch {
  readonly enabled?: boolean;
  /** `null` clears it. */
  readonly note?: string | null;
  readonly condition?: AlertCondition;
}

export interface AlertRuleQuery {
  readonly symbol?: string;
  readonly enabled?: boolean;
}

export interface AlertFiringQuery {
  readonly symbol?: string;
  readonly ruleId?: string;
  /** 1 … 10 000, default 100. */
  readonly limit?: number;
}

/**
 * Where a rule's evaluation stands. Written when it changes (fired, re-armed, or reset because the
 * rule's condition changed), in the same transaction as the firings.
 */
export interface AlertState {
  readonly ruleId: string;
  /** The condition this state was evaluated against: a state of another condition is reset. */
  readonly condition: AlertCondition;
  /** Whether the next crossing fires. */
  readonly armed: boolean;
  /** Firings so far; the next firing's id is `<ruleId>:<crossings + 1>`. */
  readonly crossings: number;
  /** The trade that last changed the state; `null` for a stale firing or a fresh state. */
  readonly lastPrice: number | null;
  readonly lastTsEvent: number | null;
  readonly updatedAt: number;
}

export interface RecordFiringsResult {
  /** Firings newly stored; the others were already there. */
  readonly firings: number;
  readonly states: number;
}
