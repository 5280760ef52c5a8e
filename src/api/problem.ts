import { ERROR_CODES, TickflowError } from '../errors.ts';

/** An RFC 9457 problem document: what every tickflow HTTP error looks like. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Answers a client may try again later: rate limited, or a provider or dependency down. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** An error a route raises on purpose, carrying the HTTP answer it stands for. */
export class HttpProblem extends TickflowError {
  readonly status: number;
  readonly title: string;
  /** Seconds, for 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, title: string, detail: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(ERROR_CODES.HTTP_PROBLEM, detail, { canRetry: RETRYABLE_STATUSES.has(status), cause: options.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.title = title;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Fastify's name for the status, read by error handlers that know no HttpProblem (the /v2 routes'). */
  get statusCode(): number {
    return this.status;
  }
}

export function problemType(status: number): string {
  return `https://tickflow.dev/problems/${status}`;
}
