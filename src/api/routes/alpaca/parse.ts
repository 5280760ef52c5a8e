import { z } from 'zod';
import { ORDER_SIDES, ORDER_TYPES, TIMES_IN_FORCE, validateOrderReplace, validateOrderRequest, type OrderReplace, type OrderRequest } from '../../../model/order.ts';
import { unprocessable } from './errors.ts';

/**
 * Alpaca's request JSON read into the engine's exact records. Amounts may come as JSON numbers or
 * strings (the SDK sends strings; hand-written bots often numbers); both become decimal strings.
 * Anything wrong is a 422 naming the field, before the gateway is asked: nothing changes.
 */

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

const decimal = z.unknown().transform((value, context) => {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!DECIMAL.test(text)) {
    context.addIssue({ code: 'custom', input: value, message: `must be a positive decimal number (got ${JSON.stringify(value) ?? String(value)})` });
    return z.NEVER;
  }
  return text.startsWith('.') ? `0${text}` : text;
});

const optionalDecimal = z.unknown().transform((value, context): string | null => {
  if (value === null || value === undefined) return null;
  const parsed = decimal.safeParse(value);
  if (parsed.success) return parsed.data;
  context.addIssue({ code: 'custom', input: value, message: parsed.error.issues[0]!.message });
  return z.NEVER;
});
const optionalBoolean = z.unknown().transform((value, context): boolean | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  context.addIssue({ code: 'custom', input: value, message: `must be true or false (got ${JSON.stringify(value)})` });
  return z.NEVER;
});

const ORDER_BODY = z.object({
  symbol: z.string().min(1),
  qty: optionalDecimal.optional(),
  notional: optionalDecimal.optional(),
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES).optional(),
  order_type: z.enum(ORDER_TYPES).optional(),
  time_in_force: z.enum(TIMES_IN_FORCE),
  limit_price: optionalDecimal.optional(),
  stop_price: optionalDecimal.optional(),
  trail_price: optionalDecimal.optional(),
  trail_percent: optionalDecimal.optional(),
  extended_hours: optionalBoolean.optional(),
  client_order_id: z.string().nullish(),
  order_class: z.enum(['simple', '']).nullish(),
  take_profit: z.null().optional(),
  stop_loss: z.null().optional(),
  legs: z.null().optional(),
});

const REPLACE_BODY = z.object({
  qty: optionalDecimal.optional(),
  time_in_force: z.enum(TIMES_IN_FORCE).nullish(),
  limit_price: optionalDecimal.optional(),
  stop_price: optionalDecimal.optional(),
  trail: optionalDecimal.optional(),
  client_order_id: z.string().nullish(),
});

/** `side: must be one of buy, sell`: the first issue, naming its field. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  if (issue.input === undefined && issue.path.length > 0) return `${field} is required`;
  if ((field === 'take_profit' || field === 'stop_loss' || field === 'legs') && issue.code === 'invalid_type') return `${field} is not supported: tickflow has simple orders only (no bracket, OCO or OTO)`;
  if (field === 'order_class') return 'order_class must be simple: tickflow has no bracket, OCO or OTO orders';
  if (issue.code === 'invalid_type') return `${field} must be a ${issue.expected}`;
  if (issue.code === 'invalid_value') return `${field} must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')} not supported`;
  return `${field} ${issue.message}`;
}

export function parseOrderRequest(body: unknown): OrderRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unprocessable('the body must be a JSON object');
  const parsed = ORDER_BODY.safeParse(body, { reportInput: true });
  if (!parsed.success) throw unprocessable(describe(parsed.error));
  const b = parsed.data;
  const orderType = b.type ?? b.order_type;
  if (!orderType) throw unprocessable('type is required');
  const request = validateOrderRequest({
    type: 'order-request',
    symbol: b.symbol,
    qty: b.qty ?? null,
    notional: b.notional ?? null,
    side: b.side,
    order_type: orderType,
    time_in_force: b.time_in_force,
    limit_price: b.limit_price ?? null,
    stop_price: b.stop_price ?? null,
    trail_price: b.trail_price ?? null,
    trail_percent: b.trail_percent ?? null,
    extended_hours: b.extended_hours ?? false,
    client_order_id: b.client_order_id ?? null,
  } satisfies OrderRequest);
  if (typeof request === 'string') throw unprocessable(request);
  return request;
}

export function parseOrderReplace(body: unknown): OrderReplace {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unprocessable('the body must be a JSON object');
  const parsed = REPLACE_BODY.safeParse(body, { reportInput: true });
  if (!parsed.success) throw unprocessable(describe(parsed.error));
  const b = parsed.data;
  const change = validateOrderReplace({
    type: 'order-replace',
    qty: b.qty ?? null,
    time_in_force: b.time_in_force ?? null,
    limit_price: b.limit_price ?? null,
    stop_price: b.stop_price ?? null,
    trail: b.trail ?? null,
    client_order_id: b.client_order_id ?? null,
  } satisfies OrderReplace);
  if (typeof change === 'string') throw unprocessable(change);
  return change;
}

/** What the calendars and the store are asked about: 1970-01-01 to 2100-12-31 UTC. */
export const EARLIEST = 0;
export const LATEST = Date.UTC(2101, 0, 1) - 1;

/** A query parameter as Unix ms: RFC 3339 with its offset (`2024-01-02T09:30:00Z`) or a date (`2024-01-02`: UTC midnight). */
export function parseTimeParameter(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw unprocessable(`${name} must be an RFC 3339 time or a date YYYY-MM-DD (got ${JSON.stringify(value)})`);
  if (ms < EARLIEST || ms > LATEST) throw unprocessable(`${name} must be from 1970 to 2100 (got ${JSON.stringify(value)})`);
  return ms;
}

export function parseIntegerParameter(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw unprocessable(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

export function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if (!(choices as readonly string[]).includes(value)) throw unprocessable(`${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}
