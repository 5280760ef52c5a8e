import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Closes the socket of an upgrade request that was answered instead of upgraded. Node hands such a
 * socket to the `upgrade` listener (a @fastify/websocket instance) and no longer ends it after a
 * response; @fastify/websocket closes it only for routes of its own plugin context. Without this,
 * `Connection: Upgrade` to `/healthz` or an unknown path left the socket open forever, and a few
 * thousand such requests exhausted the process's file descriptors. A WebSocket that was accepted is
 * hijacked and never reaches `onResponse`.
 */
export const upgradeGuard = fp(async (app: FastifyInstance) => {
  app.addHook('onResponse', async (request) => {
    if (asksForUpgrade(request)) request.raw.socket.destroy();
  });
});

function asksForUpgrade(request: FastifyRequest): boolean {
  const { connection, upgrade } = request.raw.headers;
  return upgrade !== undefined && typeof connection === 'string' && /(^|,)\s*upgrade\s*(,|$)/i.test(connection);
}
