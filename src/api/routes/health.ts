import type { FastifyPluginAsync } from 'fastify';
import { readiness, type PipelineStatus } from '../../runtime/pipeline-status.ts';

export interface HealthRouteOptions {
  readonly status: () => Promise<PipelineStatus>;
}

export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, { status }) => {
  app.get('/healthz', async () => ({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }));

  app.get('/readyz', async (_request, reply) => {
    const current = await status();
    const { ready, reasons } = readiness(current);
    reply.code(ready ? 200 : 503);
    return {
      ready,
      reasons,
      source: current.source,
      consumers: current.consumers.map(({ name, running, lag, failures, lastError }) => ({ name, running, lag, failures, lastError })),
    };
  });

  app.get('/status', async () => status());
};
