import { recordOf, string, text, times } from './checks.ts';
import { isFiniteNumber, SYMBOL_PATTERN } from './guards.ts';

/**
 * Alerts: rules managed over REST (`/v1/alerts`), stored, evaluated on the stream by the alerts
 * processor. A rule fires once per crossing: after it fired it stays quiet until its condition has
 * been false again (re-armed), so a price hovering above a threshold does not fire on every tick.
 */
export type AlertCondition =
  /** The last trade's price went above `threshold` (from at or below it). */
  | { readonly kind: 'price-above'; readonly threshold: number }
  /** The last trade's price went below `threshold` (from at or above it). */
  | { readonly kind: 'price-below'; readonly threshold: number }
  /** The price moved by at least `percent` (either direction) within the last `windowMs`. */
  | { readonly kind: 'move-pct'; readonly percent: number; readonly windowMs: number }
  /** No trade of the symbol arrived for `afterMs`. */
  | { readonly kind: 'stale'; readonly afterMs: number };

export type AlertKind = AlertCondition['kind'];

export const ALERT_KINDS = ['price-above', 'price-below', 'move-pct', 'stale'] as const satisfies readonly AlertKind[];

export interface AlertRule {
  /** Assigned by the store. */
  readonly id: string;
  readonly symbol: string;
  readonly condition: AlertCondition;
  /** Free text for people, shown with the notification. */
  readonly note: string | null;
  readonly enabled: boolean;
  readonly createdAt: number;
  /** Last change over the API (enabled, note or condition), Unix ms. */
  readonly updatedAt: number;
}

/** One firing of a rule, published on the `alerts` topic keyed by symbol. */
export interface AlertFiring {
  readonly type: 'alert';
  /** `<ruleId>:<crossing>`: the same crossing delivered twice has the same id. */
  readonly id: string;
  readonly ruleId: string;
  readonly symbol: string;
  readonly condition: AlertCondition;
  /** The price that crossed; `null` for `stale`. */
  readonly price: number | null;
  /** `AAPL above 190 at 190.02`. */
  readonly message: string;
  readonly note: string | null;
  /** Event time of the trade that crossed, or the time the feed was found stale, Unix ms. */
  readonly tsEvent: number;
  /** Receive time of the trade that crossed, or the time the feed was found stale, Unix ms. */
  readonly tsRecv: number;
}

/**
 * Bounds of a rule. `move-pct` keeps the trades of its window in memory, hence the hour; `stale`
 * up to a day. Times below a second are finer than the processor's tick can honour.
 */
export const ALERT_LIMITS = {
  minMs: 1_000,
  maxWindowMs: 3_600_000,
  maxAfterMs: 86_400_000,
  maxPercent: 1_000,
  maxNoteLength: 500,
} as const;

const positiveFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
const msIn = (value: unknown, max: number): value is number => Number.isInteger(value) && (value as number) >= ALERT_LIMITS.minMs && (value as number) <= max;

/**
 * Checks a condition from outside (the API, the database): returns it with exactly its kind's
 * fields, or why it is not one, naming the field (`condition.threshold must be …`).
 */
export function checkAlertCondition(value: unknown): AlertCondition | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'condition must be an object';
  const condition = value as Record<string, unknown>;
  const allowed = (...fields: string[]): string | null => {
    const extra = Object.keys(condition).find((key) => key !== 'kind' && !fields.includes(key));
    return extra === undefined ? null : `condition.${extra} is not a field of kind ${condition.kind}`;
  };
  switch (condition.kind) {
    case 'price-above':
    case 'price-below': {
      if (!positiveFinite(condition.threshold)) return 'condition.threshold must be a positive finite number';
      return allowed('threshold') ?? { kind: condition.kind, threshold: condition.threshold };
    }
    case 'move-pct': {
      if (!positiveFinite(condition.percent) || condition.percent > ALERT_LIMITS.maxPercent) {
        return `condition.percent must be a number > 0 and ≤ ${ALERT_LIMITS.maxPercent}`;
      }
      if (!msIn(condition.windowMs, ALERT_LIMITS.maxWindowMs)) {
        return `condition.windowMs must be an integer from ${ALERT_LIMITS.minMs} to ${ALERT_LIMITS.maxWindowMs}`;
      }
      return allowed('percent', 'windowMs') ?? { kind: 'move-pct', percent: condition.percent, windowMs: condition.windowMs };
    }
    case 'stale': {
      if (!msIn(condition.afterMs, ALERT_LIMITS.maxAfterMs)) {
        return `condition.afterMs must be an integer from ${ALERT_LIMITS.minMs} to ${ALERT_LIMITS.maxAfterMs}`;
      }
      return allowed('afterMs') ?? { kind: 'stale', afterMs: condition.afterMs };
    }
    default:
      return `condition.kind must be one of ${ALERT_KINDS.join(', ')} (got ${JSON.stringify(condition.kind)})`;
  }
}

/** Why `symbol` cannot have alerts, or `undefined`. */
export function alertSymbolProblem(symbol: unknown): string | undefined {
  return typeof symbol === 'string' && SYMBOL_PATTERN.test(symbol) ? undefined : `symbol must be 1 to 40 letters, digits or . : _ - / ^ = (got ${JSON.stringify(symbol)})`;
}

/** Why `note` cannot be a rule's note, or `undefined`. */
export function alertNoteProblem(note: unknown): string | undefined {
  if (note === null) return undefined;
  if (typeof note !== 'string' || note.length > ALERT_LIMITS.maxNoteLength || note.includes('\0')) {
    return `note must be null or a string of at most ${ALERT_LIMITS.maxNoteLength} characters without NUL`;
  }
  return undefined;
}

/** Checks a value read from the bus (or the store) before it is trusted as an alert firing. */
export function validateAlertFiring(value: unknown): AlertFiring | string {
  const record = recordOf(value, 'alert');
  if (typeof record === 'string') return record;
  const condition = checkAlertCondition(record.condition);
  return (
    alertSymbolProblem(record.symbol) ??
    times(record) ??
    text('ruleId', record.ruleId) ??
    (typeof record.id === 'string' && record.id.startsWith(`${record.ruleId as string}:`) ? undefined : 'id must be "<ruleId>:<crossing>"') ??
    (typeof condition === 'string' ? condition : undefined) ??
    firingPrice(record.price, (record.condition as AlertCondition).kind) ??
    string('message', record.message) ??
    alertNoteProblem(record.note) ??
    (value as AlertFiring)
  );
}

/** The price that crossed: none for `stale`, which fires on silence. */
function firingPrice(price: unknown, kind: AlertKind): string | undefined {
  if (kind === 'stale') return price === null ? undefined : 'price must be null for a stale alert';
  return isFiniteNumber(price) && price > 0 ? undefined : 'price must be a positive number';
}

export function sameCondition(a: AlertCondition, b: AlertCondition): boolean {
  return JSON.stringify(checkAlertCondition(a)) === JSON.stringify(checkAlertCondition(b));
}
