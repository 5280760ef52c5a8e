import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** How long requests in flight get to finish at shutdown before their sockets are closed. */
export const HTTP_CLOSE_GRACE_MS = 2_000;

/**
 * Waits for `closing` (the server refusing new connections and ending idle ones) while requests in
 * flight get `graceMs` to be answered. After that every socket of `server` still open is destroyed
 * (a request whose headers or body never finish, a client that connected and said nothing), so no
 * client can hold a shutdown past its bound.
 */
export async function closeWithin(server: Server, closing: Promise<void>, graceMs: number = HTTP_CLOSE_GRACE_MS): Promise<void> {
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closing;
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a Fastify app (its onClose hooks, then its server) within the grace of `closeWithin`. */
export function closeServer(app: FastifyInstance, graceMs: number = HTTP_CLOSE_GRACE_MS): Promise<void> {
  return closeWithin(app.server, app.close(), graceMs);
}
