import { alertNoteProblem, alertSymbolProblem, checkAlertCondition, validateAlertFiring, type AlertCondition, type AlertFiring } from '../model/alert.ts';
import { isFiniteNumber } from '../model/guards.ts';
import type { AlertFiringQuery, AlertRuleInput, AlertRulePatch, AlertRuleQuery, AlertState } from './alert-store.ts';
import { limitArg } from './query-args.ts';
import { invalidQuery, invalidRecord } from './store-error.ts';

/**
 * Checks of what the alert store is given. A value that cannot be written is INVALID_RECORD, a
 * wrong query argument INVALID_QUERY; both with a message that names the field.
 */

function condition(value: unknown, what: string): AlertCondition {
  const checked = checkAlertCondition(value);
  if (typeof checked === 'string') throw invalidRecord(`${what}: ${checked}`);
  return checked;
}

function cleanText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && !value.includes('\0');
}

export interface CheckedRuleInput {
  readonly symbol: string;
  readonly condition: AlertCondition;
  readonly note: string | null;
  readonly enabled: boolean;
}

export function checkRuleInput(input: AlertRuleInput): CheckedRuleInput {
  const symbolProblem = alertSymbolProblem(input?.symbol);
  if (symbolProblem) throw invalidRecord(`alert rule cannot be stored: ${symbolProblem}`);
  const note = input.note ?? null;
  const noteProblem = alertNoteProblem(note);
  if (noteProblem) throw invalidRecord(`alert rule cannot be stored: ${noteProblem}`);
  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') throw invalidRecord('alert rule cannot be stored: enabled must be true or false');
  return { symbol: input.symbol, condition: condition(input.condition, 'alert rule cannot be stored'), note, enabled };
}

export function checkRulePatch(patch: AlertRulePatch): AlertRulePatch {
  if (typeof patch !== 'object' || patch === null) throw invalidRecord('alert rule patch must be an object');
  const checked: { enabled?: boolean; note?: string | null; condition?: AlertCondition } = {};
  if (patch.enabled !== undefined) {
    if (typeof patch.enabled !== 'boolean') throw invalidRecord('alert rule cannot be changed: enabled must be true or false');
    checked.enabled = patch.enabled;
  }
  if (patch.note !== undefined) {
    const problem = alertNoteProblem(patch.note);
    if (problem) throw invalidRecord(`alert rule cannot be changed: ${problem}`);
    checked.note = patch.note;
  }
  if (patch.condition !== undefined) checked.condition = condition(patch.condition, 'alert rule cannot be changed');
  return checked;
}

/** A rule id as the store hands them out, or `null` when it cannot be one (so: no such rule). */
export function ruleIdOrNull(id: unknown): string | null {
  return cleanText(id) ? id : null;
}

export function checkRuleQuery(query: AlertRuleQuery): { symbol: string | null; enabled: boolean | null } {
  if (query.symbol !== undefined) {
    const problem = alertSymbolProblem(query.symbol);
    if (problem) throw invalidQuery(problem);
  }
  if (query.enabled !== undefined && typeof query.enabled !== 'boolean') throw invalidQuery('enabled must be true or false');
  return { symbol: query.symbol ?? null, enabled: query.enabled ?? null };
}

export function checkFiringQuery(query: AlertFiringQuery): { symbol: string | null; ruleId: string | null; limit: number } {
  if (query.symbol !== undefined) {
    const problem = alertSymbolProblem(query.symbol);
    if (problem) throw invalidQuery(problem);
  }
  if (query.ruleId !== undefined && !cleanText(query.ruleId)) throw invalidQuery(`ruleId must be a non-empty string of at most 200 characters (got ${JSON.stringify(query.ruleId)})`);
  return { symbol: query.symbol ?? null, ruleId: query.ruleId ?? null, limit: limitArg(query.limit, 100) };
}

const time = (value: unknown): boolean => Number.isSafeInteger(value);

/** `validateAlertFiring`, then what the database can hold: ids of at most 200 characters, no NUL, integer times. */
export function checkFiring(firing: AlertFiring, index: number): void {
  const fail = (problem: string) => invalidRecord(`firings[${index}] cannot be stored: ${problem}`);
  const valid = validateAlertFiring(firing);
  if (typeof valid === 'string') throw fail(valid);
  if (!cleanText(valid.id)) throw fail('id must be a string of at most 200 characters without NUL');
  if (!cleanText(valid.ruleId)) throw fail('ruleId must be a string of at most 200 characters without NUL');
  if (valid.message.includes('\0')) throw fail('message must be a string without NUL');
  if (!time(valid.tsEvent) || !time(valid.tsRecv)) throw fail('tsEvent and tsRecv must be integer times in Unix ms');
}

export function checkState(state: AlertState, index: number): void {
  const fail = (problem: string) => invalidRecord(`states[${index}] cannot be stored: ${problem}`);
  if (!cleanText(state?.ruleId)) throw fail('ruleId must be a non-empty string');
  condition(state.condition, `states[${index}] cannot be stored`);
  if (typeof state.armed !== 'boolean') throw fail('armed must be true or false');
  if (!Number.isSafeInteger(state.crossings) || state.crossings < 0) throw fail('crossings must be an integer ≥ 0');
  if (state.lastPrice !== null && !isFiniteNumber(state.lastPrice)) throw fail('lastPrice must be a finite number or null');
  if (state.lastTsEvent !== null && !time(state.lastTsEvent)) throw fail('lastTsEvent must be an integer time or null');
  if (!time(state.updatedAt)) throw fail('updatedAt must be an integer time in Unix ms');
}
