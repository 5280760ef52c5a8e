import type { FastifyInstance } from 'fastify';

/** How long requests in flight get to finish at shutdown before their sockets are closed. */
export const HTTP_CLOSE_GRACE_MS = 2_000;

/**
 * Closes the server: no new connections, idle kept-alive ones closed at once, requests in flight
 * given `graceMs` to be answered. After that every socket still open is destroyed (a request whose
 * headers or body never finish, a client that connected and said nothing), so no client can hold
 * a shutdown past its bound.
 */
export async function closeServer(app: FastifyInstance, graceMs: number = HTTP_CLOSE_GRACE_MS): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
