import type { FastifyPluginAsync } from 'fastify';
import { redactSecrets } from '../../logger.ts';
import { readiness, type PipelineStatus } from '../../observability/pipeline-status.ts';

export interface HealthRouteOptions {
  readonly status: () => Promise<PipelineStatus>;
  /** Dependencies to ask on every readiness probe (`bus`, `store`, …): each resolves when it answers. */
  readonly dependencies?: Readonly<Record<string, () => Promise<void>>>;
  /** How long a dependency may take to answer a probe (default 2 s). */
  readonly dependencyTimeoutMs?: number;
}

/** Asks every dependency at once; returns why each one that failed or took too long is not ready. */
async function checkDependencies(dependencies: Readonly<Record<string, () => Promise<void>>>, timeoutMs: number): Promise<Record<string, string | null>> {
  const entries = await Promise.all(
    Object.entries(dependencies).map(async ([name, check]): Promise<[string, string | null]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, null];
      } catch (error) {
        return [name, redactSecrets((error as Error).message)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** The body of `/healthz`: the process is alive, whatever it is still waiting for. */
export function liveness(): { status: 'ok'; uptimeSeconds: number } {
  return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
}

export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, { status, dependencies = {}, dependencyTimeoutMs = 2_000 }) => {
  app.get('/healthz', async () => liveness());

  app.get('/readyz', async (_request, reply) => {
    const [current, failures] = await Promise.all([status(), checkDependencies(dependencies, dependencyTimeoutMs)]);
    const { reasons } = readiness(current);
    for (const [name, failure] of Object.entries(failures)) if (failure) reasons.push(`${name} is not answering: ${failure}`);
    const ready = reasons.length === 0;
    reply.code(ready ? 200 : 503);
    return {
      ready,
      reasons,
      dependencies: Object.fromEntries(Object.entries(failures).map(([name, failure]) => [name, failure === null ? 'ok' : failure])),
      source: current.source,
      consumers: current.consumers.map(({ name, running, lag, failures, lastError }) => ({ name, running, lag, failures, lastError })),
    };
  });

  app.get('/status', { config: { access: 'read' } }, async () => status());
};
