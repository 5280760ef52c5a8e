import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface MetricsRouteOptions {
  readonly registry: Registry;
}

/** `GET /metrics`: the process's registry in the Prometheus text exposition format. */
export const metricsRoutes: FastifyPluginAsync<MetricsRouteOptions> = async (app, { registry }) => {
  // Open like the probes, for scrapers: counters and timings of this process, no market data, no credential.
  app.get('/metrics', { config: { access: 'open' }, schema: { tags: ['operations'], description: 'Prometheus metrics (text exposition format)' } }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
};
