import { randomUUID } from 'node:crypto';
import type { AlertCondition, AlertFiring, AlertRule } from '../model/alert.ts';
import { checkFiring, checkFiringQuery, checkRuleInput, checkRulePatch, checkRuleQuery, checkState, ruleIdOrNull } from './alert-checks.ts';
import type { AlertFiringQuery, AlertRuleInput, AlertRulePatch, AlertRuleQuery, AlertState, RecordFiringsResult } from './alert-store.ts';
import * as sql from './alert-statements.ts';
import { jsonb, num, numOrNull, type Row } from './rows.ts';
import type { SqlDriver } from './sql-driver.ts';

/** The `AlertStore` operations over a `SqlDriver`; `SqlStore` exposes them. */

function ruleFromRow(row: Row): AlertRule {
  return {
    id: row.id as string,
    symbol: row.symbol as string,
    condition: jsonb<AlertCondition>(row.condition),
    note: (row.note as string | null) ?? null,
    enabled: row.enabled as boolean,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function firingFromRow(row: Row): AlertFiring {
  return {
    type: 'alert',
    id: row.id as string,
    ruleId: row.rule_id as string,
    symbol: row.symbol as string,
    condition: jsonb<AlertCondition>(row.condition),
    price: numOrNull(row.price),
    message: row.message as string,
    note: (row.note as string | null) ?? null,
    tsEvent: num(row.ts_event),
    tsRecv: num(row.ts_recv),
  };
}

function stateFromRow(row: Row): AlertState {
  return {
    ruleId: row.rule_id as string,
    condition: jsonb<AlertCondition>(row.condition),
    armed: row.armed as boolean,
    crossings: num(row.crossings),
    lastPrice: numOrNull(row.last_price),
    lastTsEvent: numOrNull(row.last_ts_event),
    updatedAt: num(row.updated_at),
  };
}

export async function createAlertRule(driver: SqlDriver, input: AlertRuleInput, now: number): Promise<AlertRule> {
  const rule = checkRuleInput(input);
  const { rows } = await driver.query(sql.INSERT_ALERT_RULE, [randomUUID(), rule.symbol, JSON.stringify(rule.condition), rule.note, rule.enabled, now]);
  return ruleFromRow(rows[0]!);
}

export async function listAlertRules(driver: SqlDriver, query: AlertRuleQuery): Promise<AlertRule[]> {
  const { symbol, enabled } = checkRuleQuery(query);
  return (await driver.query(sql.ALERT_RULES, [symbol, enabled])).rows.map(ruleFromRow);
}

export async function getAlertRule(driver: SqlDriver, id: string): Promise<AlertRule | null> {
  const ruleId = ruleIdOrNull(id);
  if (ruleId === null) return null;
  const { rows } = await driver.query(sql.ALERT_RULE, [ruleId]);
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

export async function updateAlertRule(driver: SqlDriver, id: string, patch: AlertRulePatch, now: number): Promise<AlertRule | null> {
  const checked = checkRulePatch(patch);
  const ruleId = ruleIdOrNull(id);
  if (ruleId === null) return null;
  const setNote = checked.note !== undefined;
  const params = [ruleId, checked.enabled ?? null, setNote, setNote ? checked.note : null, checked.condition ? JSON.stringify(checked.condition) : null, now];
  const { rows } = await driver.query(sql.UPDATE_ALERT_RULE, params);
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

export async function deleteAlertRule(driver: SqlDriver, id: string): Promise<boolean> {
  const ruleId = ruleIdOrNull(id);
  if (ruleId === null) return false;
  return driver.transaction(async (session) => {
    await session.query(sql.DELETE_ALERT_STATE, [ruleId]);
    return (await session.query(sql.DELETE_ALERT_RULE, [ruleId])).rowCount > 0;
  });
}

export async function recordFirings(driver: SqlDriver, firings: readonly AlertFiring[], states: readonly AlertState[]): Promise<RecordFiringsResult> {
  firings.forEach(checkFiring);
  states.forEach(checkState);
  // One row per rule, the last given winning: ON CONFLICT DO UPDATE may not touch a row twice.
  const byRule = new Map<string, AlertState>();
  for (const state of states) byRule.set(state.ruleId, state);
  if (firings.length === 0 && byRule.size === 0) return { firings: 0, states: 0 };
  const firingRows = firings.map((f) => ({ id: f.id, rule_id: f.ruleId, symbol: f.symbol, condition: f.condition, price: f.price, message: f.message, note: f.note, ts_event: f.tsEvent, ts_recv: f.tsRecv }));
  const stateRows = [...byRule.values()].map((s) => ({ rule_id: s.ruleId, condition: s.condition, armed: s.armed, crossings: s.crossings, last_price: s.lastPrice, last_ts_event: s.lastTsEvent, updated_at: s.updatedAt }));
  return driver.transaction(async (session) => {
    const inserted = firingRows.length > 0 ? (await session.query(sql.INSERT_ALERT_FIRINGS, [JSON.stringify(firingRows)])).rowCount : 0;
    const written = stateRows.length > 0 ? (await session.query(sql.UPSERT_ALERT_STATES, [JSON.stringify(stateRows)])).rowCount : 0;
    return { firings: inserted, states: written };
  });
}

export async function listFirings(driver: SqlDriver, query: AlertFiringQuery): Promise<AlertFiring[]> {
  const { symbol, ruleId, limit } = checkFiringQuery(query);
  return (await driver.query(sql.ALERT_FIRINGS, [symbol, ruleId, limit])).rows.map(firingFromRow);
}

export async function loadAlertStates(driver: SqlDriver, ruleIds?: readonly string[]): Promise<AlertState[]> {
  if (ruleIds !== undefined && ruleIds.length === 0) return [];
  const ids = ruleIds === undefined ? null : ruleIds.map(ruleIdOrNull).filter((id): id is string => id !== null);
  return (await driver.query(sql.ALERT_STATES, [ids])).rows.map(stateFromRow);
}
