import type { FastifyInstance } from 'fastify';
import { AlpacaError, ALPACA_CODES } from './errors.ts';

/**
 * JSON bodies on the /v2 routes: an empty body is no body (bots send `Content-Type: application/json`
 * on DELETE too), and malformed JSON is Alpaca's 400 saying so.
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new AlpacaError(400, ALPACA_CODES.badRequest, `the body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}
