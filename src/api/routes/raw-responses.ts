import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../store/store.ts';
import { HttpProblem } from '../problem.ts';
import { PROBLEM_SCHEMA } from '../schemas.ts';

export interface RawResponseRouteOptions {
  readonly store: Pick<Store, 'rawResponse'>;
  /** The provider keys: a provider may quote the key in its answer (Alpha Vantage's rate-limit notes do), and no key leaves tickflow. */
  readonly secrets: readonly string[];
}

export const rawResponseRoutes: FastifyPluginAsync<RawResponseRouteOptions> = async (app, { store, secrets }) => {
  const keys = secrets.filter((secret) => secret.trim() !== '');
  app.get<{ Params: { id: string } }>(
    '/v1/raw-responses/:id',
    {
      schema: {
        summary: 'A provider response as stored, by the raw_response_id of a price event',
        tags: ['prices'],
        params: {
          type: 'object',
          properties: { id: { type: 'string', description: 'a UUID (or the numeric id of a price event written before UUIDs)', maxLength: 64 } },
          required: ['id'],
        },
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid' },
              provider: { type: 'string', description: 'finnhub or alpha_vantage' },
              symbol: { type: ['string', 'null'] },
              status: { type: 'integer', description: 'HTTP status of the answer' },
              body: { type: 'string', description: 'the body as received (provider keys replaced by ***)' },
              fetchedAt: { type: 'number', description: 'Unix ms' },
            },
          },
          404: PROBLEM_SCHEMA,
        },
      },
    },
    async (request) => {
      const found = await store.rawResponse(request.params.id);
      if (!found) throw new HttpProblem(404, 'Not Found', `no stored provider response ${JSON.stringify(request.params.id)}`);
      return { ...found, body: keys.reduce((body, key) => body.replaceAll(key, '***'), found.body) };
    },
  );
};
