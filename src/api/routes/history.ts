import type { FastifyPluginAsync } from 'fastify';
import { API_BAR_INTERVALS, type ApiBarInterval, type HistoryStore } from '../history-store.ts';
import { HttpProblem } from '../problem.ts';
import { BAR_SCHEMA, ERROR_RESPONSES, limitSchema, QUOTE_BAR_SCHEMA, QUOTE_SCHEMA, symbolQuery, TIME_SCHEMA, TRADE_SCHEMA } from '../schemas.ts';
import { parseRange } from '../time-parameter.ts';

export interface HistoryRouteOptions {
  readonly store: HistoryStore;
}

/** A symbol's records oldest first, a page at a time (keyset cursor). */
const pageQuery = () =>
  symbolQuery({ from: TIME_SCHEMA, to: TIME_SCHEMA, limit: limitSchema(1_000), cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' } });

const barQuery = () => symbolQuery({ interval: { type: 'string', enum: [...API_BAR_INTERVALS], default: '1m' }, from: TIME_SCHEMA, to: TIME_SCHEMA, limit: limitSchema(500) });

const pageResponse = (key: string, item: object) => ({
  200: { type: 'object', properties: { symbol: { type: 'string' }, [key]: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } } },
  ...ERROR_RESPONSES,
});

const barResponse = (item: object) => ({ 200: { type: 'object', properties: { symbol: { type: 'string' }, interval: { type: 'string' }, bars: { type: 'array', items: item } } }, ...ERROR_RESPONSES });

/** Stored history: trades and quotes (paginated), bars and quote bars, the latest window metrics, moving averages. */
export const historyRoutes: FastifyPluginAsync<HistoryRouteOptions> = async (app, { store }) => {
  app.get<{ Querystring: { symbol: string; from?: string; to?: string; limit: number; cursor?: string } }>(
    '/v1/trades',
    {
      schema: {
        summary: 'Trades of a symbol, oldest first, in pages',
        tags: ['history'],
        querystring: pageQuery(),
        response: pageResponse('trades', TRADE_SCHEMA),
      },
    },
    async (request) => {
      const { symbol, limit, cursor } = request.query;
      const page = await store.trades({ symbol, limit, ...parseRange(request.query), ...(cursor ? { cursor } : {}) });
      return { symbol, trades: page.trades, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Querystring: { symbol: string; interval: ApiBarInterval; from?: string; to?: string; limit: number } }>(
    '/v1/bars',
    {
      schema: {
        summary: 'OHLC bars with volume, VWAP and trade count',
        description: 'Trade bars. Bid and ask bars of a symbol that streams quotes are /v1/quote-bars.',
        tags: ['history'],
        querystring: barQuery(),
        response: barResponse(BAR_SCHEMA),
      },
    },
    async (request) => {
      const { symbol, interval, limit } = request.query;
      const bars = await store.bars({ symbol, interval, limit, ...parseRange(request.query) });
      return { symbol, interval, bars };
    },
  );

  app.get<{ Querystring: { symbol: string; from?: string; to?: string; limit: number; cursor?: string } }>(
    '/v1/quotes',
    {
      schema: {
        summary: 'Quotes (best bid and ask) of a symbol, oldest first, in pages',
        tags: ['history'],
        querystring: pageQuery(),
        response: pageResponse('quotes', QUOTE_SCHEMA),
      },
    },
    async (request) => {
      const { symbol, limit, cursor } = request.query;
      const page = await store.quotes({ symbol, limit, ...parseRange(request.query), ...(cursor ? { cursor } : {}) });
      return { symbol, quotes: page.quotes, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Querystring: { symbol: string; interval: ApiBarInterval; from?: string; to?: string; limit: number } }>(
    '/v1/quote-bars',
    {
      schema: {
        summary: 'Quote bars: OHLC of the bid and of the ask, last sizes and quote count',
        description: 'For symbols that stream quotes (forex replayed from Lean); a symbol with trades only has none. Trade bars are /v1/bars.',
        tags: ['history'],
        querystring: barQuery(),
        response: barResponse(QUOTE_BAR_SCHEMA),
      },
    },
    async (request) => {
      const { symbol, interval, limit } = request.query;
      const bars = await store.quoteBars({ symbol, interval, limit, ...parseRange(request.query) });
      return { symbol, interval, bars };
    },
  );

  app.get<{ Querystring: { symbol: string } }>(
    '/v1/metrics',
    {
      schema: {
        summary: "The aggregator's latest rolling window for a symbol",
        tags: ['history'],
        querystring: symbolQuery(),
        response: ERROR_RESPONSES,
      },
    },
    async (request) => {
      const metrics = await store.latestMetrics(request.query.symbol);
      if (!metrics) throw new HttpProblem(404, 'Not Found', `no window metrics for ${request.query.symbol} yet`);
      return metrics;
    },
  );

  app.get<{ Querystring: { symbol: string; kind?: 'SMA' | 'EMA'; window?: number; from?: string; to?: string; limit: number } }>(
    '/v1/moving-averages',
    {
      schema: {
        summary: 'SMA and EMA of the prices published on price-events, oldest first',
        tags: ['history'],
        querystring: symbolQuery({
          kind: { type: 'string', enum: ['SMA', 'EMA'] },
          window: { type: 'integer', minimum: 1, maximum: 10_000 },
          from: TIME_SCHEMA,
          to: TIME_SCHEMA,
          limit: limitSchema(1_000),
        }),
        response: ERROR_RESPONSES,
      },
    },
    async (request) => {
      const { symbol, kind, window, limit } = request.query;
      const movingAverages = await store.movingAverages({ symbol, limit, ...(kind ? { kind } : {}), ...(window ? { window } : {}), ...parseRange(request.query) });
      return { symbol, movingAverages };
    },
  );
};
