import type { FastifyError, FastifyInstance } from 'fastify';
import type { RejectionCode } from '../../../trading/engine/command-result.ts';
import { ERROR_CODES, TickflowError } from '../../../errors.ts';

/**
 * Alpaca's error body, `{"code": 40010001, "message": "..."}`, for every /v2 answer that is not 2xx
 * (tickflow's /v1 routes keep problem+json). The first three digits are the HTTP status.
 */
export const ALPACA_CODES = {
  badRequest: 40010001,
  unauthorized: 40110000,
  forbidden: 40310000,
  notFound: 40410000,
  unprocessable: 42210000,
  internal: 50010000,
} as const;

/** An answer in Alpaca's error shape: the HTTP status and Alpaca's numeric code (`alpacaCode`). */
export class AlpacaError extends TickflowError {
  readonly status: number;
  readonly alpacaCode: number;

  constructor(status: number, alpacaCode: number, message: string) {
    super(ERROR_CODES.HTTP_PROBLEM, message, { canRetry: status >= 500 });
    this.name = 'AlpacaError';
    this.status = status;
    this.alpacaCode = alpacaCode;
  }
}

export const unprocessable = (message: string): AlpacaError => new AlpacaError(422, ALPACA_CODES.unprocessable, message);
export const notFound = (message: string): AlpacaError => new AlpacaError(404, ALPACA_CODES.notFound, message);
export const unauthorized = (): AlpacaError => new AlpacaError(401, ALPACA_CODES.unauthorized, 'request is not authorized');

const REJECTION_STATUS: Readonly<Record<RejectionCode, [number, number]>> = {
  invalid: [422, ALPACA_CODES.unprocessable],
  duplicate: [422, ALPACA_CODES.unprocessable],
  not_open: [422, ALPACA_CODES.unprocessable],
  forbidden: [403, ALPACA_CODES.forbidden],
  insufficient_buying_power: [403, ALPACA_CODES.forbidden],
  insufficient_qty: [403, ALPACA_CODES.forbidden],
  not_found: [404, ALPACA_CODES.notFound],
};

export function rejectionError(code: RejectionCode, message: string): AlpacaError {
  const [status, alpacaCode] = REJECTION_STATUS[code];
  return new AlpacaError(status, alpacaCode, message);
}

/** Installs Alpaca's error body on the routes of `app`'s context (the /v2 plugin). */
export function useAlpacaErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AlpacaError, request, reply) => {
    if (error instanceof AlpacaError) return reply.code(error.status).send({ code: error.alpacaCode, message: error.message });
    const status = typeof (error as FastifyError).statusCode === 'number' ? (error as FastifyError).statusCode! : 500;
    if (status < 500) {
      // Malformed JSON, a body too large, a wrong content type: Alpaca's 400 with Fastify's reason.
      return reply.code(status).send({ code: Number(`${status}10000`), message: error.message });
    }
    request.log.error({ err: error }, 'trading request failed');
    return reply.code(500).send({ code: ALPACA_CODES.internal, message: 'tickflow failed to answer; the error is in its log' });
  });
}
