import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../runtime/logger.ts';
import type { PipelineStatus } from '../runtime/pipeline-status.ts';
import { healthRoutes } from './routes/health.ts';

export interface AppOptions {
  readonly status: () => Promise<PipelineStatus>;
  readonly logger?: Logger;
}

/** Builds the HTTP app without listening, so tests can `inject()` requests. */
export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify(options.logger ? { loggerInstance: options.logger } : {});
  app.register(healthRoutes, { status: options.status });
  return app as unknown as FastifyInstance;
}
