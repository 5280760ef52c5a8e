import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { chartLibrary } from '../../chart-library.ts';

export interface DashboardRouteOptions {
  /** The page's files (default: the repository's `web/`). */
  readonly webDir?: string;
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

/** A Host header fit to quote in a CSP (host name or address, optional port); anything else is left out. */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Only this origin: scripts and styles from /web/, fetches to the API and WebSockets to the same
 * host. CSP Level 3 lets `'self'` match ws(s) of the same host, older browsers need them named.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function etagOf(body: Buffer | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Answers 304 when the client holds this version, else the body. */
function sendCached(request: FastifyRequest, reply: FastifyReply, body: Buffer, etag: string, type: string, cacheControl: string): FastifyReply {
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type(type).send(body);
}

/**
 * The live dashboard: the page at `/`, its modules and styles under `/web/`, lightweight-charts at
 * `/web/vendor/lightweight-charts.js`. The module files have no content hash in their names, so they
 * are revalidated on every load (`no-cache` + ETag: a 304 when unchanged); the chart library changes
 * only with the dependency and is cached for a day.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRouteOptions> = async (app, { webDir = DEFAULT_WEB_DIR } = {}) => {
  const page = readFileSync(join(webDir, 'index.html'));
  const pageEtag = etagOf(page);
  const library = chartLibrary();
  const libraryEtag = `"lightweight-charts-${library.version}-${etagOf(library.body).slice(1, 12)}"`;

  // Encapsulated: these headers reach the dashboard's responses only, never the API's.
  app.addHook('onSend', async (request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy(request.headers.host));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });

  app.get('/', { schema: { hide: true } }, (request, reply) => sendCached(request, reply, page, pageEtag, 'text/html; charset=utf-8', 'no-cache'));
  app.get('/dashboard', { schema: { hide: true } }, (_request, reply) => reply.redirect('/', 302));
  app.get('/web/vendor/lightweight-charts.js', { schema: { hide: true } }, (request, reply) =>
    sendCached(request, reply, library.body, libraryEtag, 'text/javascript; charset=utf-8', 'public, max-age=86400'),
  );

  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/web/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: false,
    setHeaders: (reply: FastifyReply) => reply.header('cache-control', 'no-cache'),
  });
};
