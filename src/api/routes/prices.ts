import type { FastifyPluginAsync } from 'fastify';
import { PRICE_FAILURE_STATUS, type LatestPriceService } from '../../prices/latest-price-service.ts';
import { HttpProblem } from '../problem.ts';
import { PROBLEM_SCHEMA, symbolQuery } from '../schemas.ts';

export interface PriceRouteOptions {
  readonly prices: Pick<LatestPriceService, 'latest'>;
  /** Requests per minute per client on this provider-backed route; 0 for no limit. */
  readonly rateLimitPerMinute: number;
}

const TITLES = { 400: 'Bad Request', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Unavailable' } as const;

export const priceRoutes: FastifyPluginAsync<PriceRouteOptions> = async (app, { prices, rateLimitPerMinute }) => {
  app.get<{ Querystring: { symbol: string } }>(
    '/v1/prices/latest',
    {
      ...(rateLimitPerMinute > 0 ? { config: { rateLimit: { max: rateLimitPerMinute, timeWindow: 60_000 } } } : {}),
      schema: {
        summary: 'Latest price: from the stream when a fresh trade exists, else from a REST provider',
        tags: ['prices'],
        querystring: symbolQuery(),
        response: {
          200: {
            type: 'object',
            properties: {
              symbol: { type: 'string' },
              price: { type: 'number' },
              timestamp: { type: 'number', description: 'Unix ms of the price' },
              source: { type: 'string', description: 'stream, finnhub or alpha_vantage' },
              rawResponseId: { type: 'string', format: 'uuid', description: 'the stored provider response (GET /v1/raw-responses/{id}), when a provider answered' },
            },
          },
          400: PROBLEM_SCHEMA,
          404: PROBLEM_SCHEMA,
          429: PROBLEM_SCHEMA,
          502: PROBLEM_SCHEMA,
          503: PROBLEM_SCHEMA,
        },
      },
    },
    async (request) => {
      const result = await prices.latest(request.query.symbol);
      if (result.ok) return result.price;
      const { failure } = result;
      const status = PRICE_FAILURE_STATUS[failure.kind];
      throw new HttpProblem(status, TITLES[status], failure.reason, failure.kind === 'rate-limited' ? { retryAfterSeconds: failure.retryAfterSeconds } : {});
    },
  );
};
