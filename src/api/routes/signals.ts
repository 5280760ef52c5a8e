import type { FastifyPluginAsync } from 'fastify';
import { STRATEGY_ID_PATTERN } from '../../model/signal.ts';
import type { Store } from '../../store/store.ts';
import { ERROR_RESPONSES, limitSchema, symbolQuery, TIME_SCHEMA } from '../schemas.ts';
import { parseRange } from '../time-parameter.ts';

/** What the signal routes need of the store. */
export type SignalRouteStore = Pick<Store, 'signals'>;

export interface SignalRouteOptions {
  readonly store: SignalRouteStore;
}

const STRATEGY_SCHEMA = { type: 'string', pattern: STRATEGY_ID_PATTERN.source, description: 'a strategy instance id, e.g. ma-crossover, spy-sma-1m' } as const;

const SIGNAL_INPUT_SCHEMA = {
  type: 'object',
  properties: { topic: { type: 'string' }, partition: { type: 'integer' }, offset: { type: 'integer' }, recordType: { type: 'string' }, tsEvent: { type: 'number' } },
} as const;

/** As published on `trading-signals` (and `/ws/notifications`). */
const SIGNAL_SCHEMA = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    symbol: { type: 'string' },
    strategy: { type: 'string' },
    side: { type: 'string', enum: ['buy', 'sell'] },
    strength: { type: 'number' },
    price: { type: 'number' },
    tsEvent: { type: 'number' },
    tsRecv: { type: 'number' },
    reason: { type: 'string' },
    lineage: { type: 'array', items: SIGNAL_INPUT_SCHEMA },
  },
} as const;

/** Stored trading signals. */
export const signalRoutes: FastifyPluginAsync<SignalRouteOptions> = async (app, { store }) => {
  app.get<{ Querystring: { symbol: string; from?: string; to?: string; strategy?: string; limit: number; order: 'asc' | 'desc' } }>(
    '/v1/signals',
    {
      schema: {
        summary: 'Trading signals of a symbol with event time in [from, to), oldest first (order=desc: newest first)',
        tags: ['history'],
        querystring: symbolQuery({
          from: TIME_SCHEMA,
          to: TIME_SCHEMA,
          strategy: STRATEGY_SCHEMA,
          limit: limitSchema(1_000),
          order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'desc with limit: the most recent signals' },
        }),
        response: { 200: { type: 'object', properties: { symbol: { type: 'string' }, signals: { type: 'array', items: SIGNAL_SCHEMA } } }, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { symbol, strategy, limit, order } = request.query;
      const signals = await store.signals({ symbol, limit, order, ...(strategy ? { strategy } : {}), ...parseRange(request.query) });
      return { symbol, signals };
    },
  );
};
