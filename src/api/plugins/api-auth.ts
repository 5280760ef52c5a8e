import type { FastifyInstance, FastifyReply, onRequestHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { InternalError } from '../../errors.ts';
import { bearerToken, tokenMatcher } from '../../notify/bearer-auth.ts';
import { HttpProblem } from '../problem.ts';
import { PROBLEM_SCHEMA } from '../schemas.ts';

/**
 * What a route asks of its caller:
 * - `open`: nothing (probes, metrics, the dashboard's files, the documentation);
 * - `read`: nothing, unless a read token is set: then it or the admin token;
 * - `admin`: the admin token;
 * - `account`: a paper account's API keys, checked by the /v2 routes themselves.
 */
export type Access = 'open' | 'read' | 'admin' | 'account';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Overrides the access this route would get by its path and method (see `accessOf`). */
    access?: Access;
  }
}

export interface ApiAuthOptions {
  /** `Authorization: Bearer <adminToken>` grants everything; without one, admin routes refuse every request. */
  readonly adminToken?: string;
  /** When set, read routes need it (or the admin token); open to all otherwise. */
  readonly readToken?: string;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REALM = 'Bearer realm="tickflow"';

/**
 * One access model for every route, decided when the route is added: a route's `config.access`,
 * else by path and method (`/v1` reads are `read`, `/v1` changes `admin`; `/v2`, `/v3` are the
 * account's; other reads are `open`). A route elsewhere that changes something and declares nothing
 * stops the app from building: no route is left open by forgetting. Register before any route.
 */
export const apiAuth = fp<ApiAuthOptions>(async (app: FastifyInstance, options) => {
  const isAdmin = options.adminToken ? tokenMatcher(options.adminToken) : () => false;
  const isReader = options.readToken ? tokenMatcher(options.readToken) : () => false;

  const requireAdmin: onRequestHookHandler = async (request, reply) => {
    const token = bearerToken(request.headers);
    if (isAdmin(token)) return;
    if (isReader(token)) throw new HttpProblem(403, 'Forbidden', 'the read token does not grant changes: send Authorization: Bearer <admin token>');
    throw unauthorized(reply, token, 'the admin token', 'TICKFLOW_ADMIN_TOKEN, or the admin-token file in the data directory');
  };
  const requireReader: onRequestHookHandler = async (request, reply) => {
    const token = bearerToken(request.headers);
    if (isReader(token) || isAdmin(token)) return;
    throw unauthorized(reply, token, 'the read token', 'TICKFLOW_API_READ_TOKEN, or the admin token');
  };

  app.addHook('onRoute', (route) => {
    const access = accessOf(route);
    const check = access === 'admin' ? requireAdmin : access === 'read' && options.readToken ? requireReader : null;
    if (!check) return;
    route.onRequest = [check, ...(route.onRequest === undefined ? [] : [route.onRequest].flat())];
    if (route.schema) route.schema = documented(route.schema, access === 'admin' ? 'adminBearer' : 'readBearer');
  });
});

/** The access of a route: declared, or the default for its path and method. */
export function accessOf(route: Pick<RouteOptions, 'url' | 'method' | 'config'>): Access {
  const declared = (route.config as { access?: Access } | undefined)?.access;
  if (declared) return declared;
  const methods = [route.method].flat();
  const changes = methods.some((method) => CHANGES.has(method));
  if (route.url === '/v1' || route.url.startsWith('/v1/')) return changes ? 'admin' : 'read';
  if (/^\/v[23]\//.test(route.url)) return 'account';
  if (changes) throw new InternalError(`${methods.join(',')} ${route.url} changes something but declares no access: give it config.access`);
  return 'open';
}

/** The OpenAPI document says which credential a route takes and that it may answer 401 or 403. */
function documented(schema: NonNullable<RouteOptions['schema']>, scheme: string): NonNullable<RouteOptions['schema']> {
  const responses = (schema.response ?? {}) as Record<string, unknown>;
  return { ...schema, security: [{ [scheme]: [] }], response: { ...responses, 401: PROBLEM_SCHEMA, 403: PROBLEM_SCHEMA } } as NonNullable<RouteOptions['schema']>;
}

/** 401 with the RFC 6750 challenge; says whether a token came, never which. */
function unauthorized(reply: FastifyReply, token: string | null, credential: string, where: string): HttpProblem {
  reply.header('www-authenticate', token === null ? REALM : `${REALM}, error="invalid_token"`);
  const what = token === null ? `${credential} is missing` : `the bearer token is not ${credential}`;
  return new HttpProblem(401, 'Unauthorized', `${what}: send Authorization: Bearer <token> (${where})`);
}
