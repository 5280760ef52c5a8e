import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../problem.ts';

/** Query strings as their schema types, exactly: anything else stays a string and fails validation by name. */
const STRICT_FORMS: Readonly<Record<string, [RegExp, (text: string) => unknown]>> = {
  integer: [/^-?\d{1,15}$/, Number],
  number: [/^-?\d{1,15}(?:\.\d{1,15})?$/, Number],
  boolean: [/^(?:true|false)$/, (text) => text === 'true'],
};

/**
 * Input is read as sent, never guessed at (Ajv's type coercion is off): query integers are decimal
 * digits, booleans `true`/`false`; a body is JSON or a 415; an encoded body (gzip, …) is a 415.
 */
export const strictInput = fp(async (app: FastifyInstance) => {
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity' && hasBody(request)) {
      throw new HttpProblem(415, 'Unsupported Media Type', `Content-Encoding ${JSON.stringify(encoding)} is not supported: send the body unencoded`);
    }
  });

  app.addHook('preValidation', async (request) => {
    const properties = (request.routeOptions.schema?.querystring as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
    const query = request.query as Record<string, unknown> | undefined;
    if (!properties || !query) return;
    for (const [name, value] of Object.entries(query)) {
      const form = typeof value === 'string' ? STRICT_FORMS[String(properties[name]?.type)] : undefined;
      if (form && form[0].test(value as string)) query[name] = form[1](value as string);
    }
  });
});

function hasBody(request: FastifyRequest): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
