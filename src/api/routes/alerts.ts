import type { FastifyPluginAsync } from 'fastify';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { ALERT_KINDS, ALERT_LIMITS, checkAlertCondition, type AlertCondition } from '../../model/alert.ts';
import type { AlertStore } from '../../store/alert-store.ts';
import { HttpProblem } from '../problem.ts';
import { ERROR_RESPONSES, limitSchema, PROBLEM_SCHEMA, SYMBOL_SCHEMA } from '../schemas.ts';

/** What the alert routes need of the store. */
export type AlertRouteStore = Pick<AlertStore, 'createAlertRule' | 'listAlertRules' | 'getAlertRule' | 'updateAlertRule' | 'deleteAlertRule' | 'listFirings'>;

export interface AlertRouteOptions {
  readonly store: AlertRouteStore;
}

/**
 * Every field any kind has, each with its bounds; which fields a kind needs (and allows) is
 * checked by `checkAlertCondition`, so a missing field is named rather than lost in a `oneOf`.
 */
const CONDITION_SCHEMA = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  description: 'price-above / price-below: threshold; move-pct: percent and windowMs; stale: afterMs',
  properties: {
    kind: { type: 'string', enum: [...ALERT_KINDS] },
    threshold: { type: 'number', exclusiveMinimum: 0, description: 'price-above, price-below' },
    percent: { type: 'number', exclusiveMinimum: 0, maximum: ALERT_LIMITS.maxPercent, description: 'move-pct: move in either direction, in percent' },
    windowMs: { type: 'integer', minimum: ALERT_LIMITS.minMs, maximum: ALERT_LIMITS.maxWindowMs, description: 'move-pct: window of event time, ms' },
    afterMs: { type: 'integer', minimum: ALERT_LIMITS.minMs, maximum: ALERT_LIMITS.maxAfterMs, description: 'stale: no trade for this long, ms' },
  },
} as const;

const NOTE_SCHEMA = { type: ['string', 'null'], maxLength: ALERT_LIMITS.maxNoteLength } as const;
const RULE_ID_SCHEMA = { type: 'string', minLength: 1, maxLength: 200 } as const;
const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: RULE_ID_SCHEMA } } as const;

const RULE_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    symbol: { type: 'string' },
    condition: CONDITION_SCHEMA,
    note: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
    createdAt: { type: 'number' },
    updatedAt: { type: 'number' },
  },
} as const;

const FIRING_SCHEMA = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    id: { type: 'string', description: '<ruleId>:<crossing>, stable across redeliveries' },
    ruleId: { type: 'string' },
    symbol: { type: 'string' },
    condition: CONDITION_SCHEMA,
    price: { type: ['number', 'null'] },
    message: { type: 'string' },
    note: { type: ['string', 'null'] },
    tsEvent: { type: 'number' },
    tsRecv: { type: 'number' },
  },
} as const;

interface RuleBody {
  symbol: string;
  condition: Record<string, unknown>;
  note?: string | null;
  enabled?: boolean;
}

interface PatchBody {
  condition?: Record<string, unknown>;
  note?: string | null;
  enabled?: boolean;
}

/** Alert rules (CRUD) and their firings. */
export const alertRoutes: FastifyPluginAsync<AlertRouteOptions> = async (app, { store }) => {
  app.post<{ Body: RuleBody }>(
    '/v1/alerts',
    {
      schema: {
        summary: 'Create an alert rule; it fires once per crossing',
        tags: ['alerts'],
        body: {
          type: 'object',
          required: ['symbol', 'condition'],
          additionalProperties: false,
          properties: { symbol: SYMBOL_SCHEMA, condition: CONDITION_SCHEMA, note: NOTE_SCHEMA, enabled: { type: 'boolean', default: true } },
        },
        response: { 201: RULE_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { symbol, note, enabled } = request.body;
      const condition = conditionOf(request.body.condition);
      const rule = await refused(store.createAlertRule({ symbol, condition, note: note ?? null, enabled: enabled ?? true }));
      return reply.code(201).header('location', `/v1/alerts/${encodeURIComponent(rule.id)}`).send(rule);
    },
  );

  app.get<{ Querystring: { symbol?: string; enabled?: boolean } }>(
    '/v1/alerts',
    {
      schema: {
        summary: 'Alert rules, oldest first',
        tags: ['alerts'],
        querystring: { type: 'object', additionalProperties: false, properties: { symbol: SYMBOL_SCHEMA, enabled: { type: 'boolean' } } },
        response: { 200: { type: 'object', properties: { alerts: { type: 'array', items: RULE_SCHEMA } } }, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { symbol, enabled } = request.query;
      return { alerts: await store.listAlertRules({ ...(symbol ? { symbol } : {}), ...(enabled !== undefined ? { enabled } : {}) }) };
    },
  );

  app.get<{ Querystring: { symbol?: string; ruleId?: string; limit: number } }>(
    '/v1/alerts/firings',
    {
      schema: {
        summary: 'Alert firings, newest first',
        tags: ['alerts'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { symbol: SYMBOL_SCHEMA, ruleId: RULE_ID_SCHEMA, limit: limitSchema(100) },
        },
        response: { 200: { type: 'object', properties: { firings: { type: 'array', items: FIRING_SCHEMA } } }, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { symbol, ruleId, limit } = request.query;
      return { firings: await store.listFirings({ limit, ...(symbol ? { symbol } : {}), ...(ruleId ? { ruleId } : {}) }) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/alerts/:id',
    { schema: { summary: 'One alert rule', tags: ['alerts'], params: ID_PARAMS, response: { 200: RULE_SCHEMA, ...ERROR_RESPONSES } } },
    async (request) => (await store.getAlertRule(request.params.id)) ?? notFound(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: PatchBody }>(
    '/v1/alerts/:id',
    {
      schema: {
        summary: 'Enable or disable a rule, change its note or its condition',
        tags: ['alerts'],
        params: ID_PARAMS,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: { enabled: { type: 'boolean' }, note: NOTE_SCHEMA, condition: CONDITION_SCHEMA } },
        response: { 200: RULE_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { enabled, note, condition } = request.body;
      const patch = { ...(enabled !== undefined ? { enabled } : {}), ...(note !== undefined ? { note } : {}), ...(condition !== undefined ? { condition: conditionOf(condition) } : {}) };
      return (await refused(store.updateAlertRule(request.params.id, patch))) ?? notFound(request.params.id);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/alerts/:id',
    {
      schema: {
        summary: 'Delete a rule (its firings stay)',
        tags: ['alerts'],
        params: ID_PARAMS,
        response: { 204: { description: 'deleted', type: 'null' }, 404: PROBLEM_SCHEMA },
      },
    },
    async (request, reply) => {
      if (!(await store.deleteAlertRule(request.params.id))) notFound(request.params.id);
      return reply.code(204).send();
    },
  );
};

/** The condition with exactly its kind's fields, or a 400 naming the field. */
function conditionOf(body: Record<string, unknown>): AlertCondition {
  const condition = checkAlertCondition(body);
  if (typeof condition === 'string') throw new HttpProblem(400, 'Bad Request', `body ${condition}`);
  return condition;
}

/** A value the store refused to write is the caller's fault: 400 with the store's reason. */
async function refused<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof TickflowError && error.code === ERROR_CODES.STORE_INVALID_RECORD) throw new HttpProblem(400, 'Bad Request', error.message, { cause: error });
    throw error;
  }
}

function notFound(id: string): never {
  throw new HttpProblem(404, 'Not Found', `no alert rule ${JSON.stringify(id)}`);
}
