/** An RFC 9457 problem document: what every tickflow HTTP error looks like. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error a route raises on purpose, carrying the HTTP answer it stands for. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  /** Seconds, for 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, title: string, detail: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.title = title;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function problemType(status: number): string {
  return `https://tickflow.dev/problems/${status}`;
}
