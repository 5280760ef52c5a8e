import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import { ERROR_CODES, InternalError, TickflowError } from '../errors.ts';
import { closeWithin, HTTP_CLOSE_GRACE_MS } from './close-server.ts';
import { liveness } from './routes/health.ts';
import { PROBLEM_CONTENT_TYPE, problemType, type Problem } from './problem.ts';

/** Fastify's default, which it applies only to servers it creates itself. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * The HTTP port of a process, open from its first second: a liveness probe must not fail while the
 * store recovers or the topics are created. Until an app is handed over with `serve`, `/healthz`
 * answers 200, `/readyz` 503 saying what is still starting, and every other path 503 problem+json.
 * The app is built on this same server (`serverFactory`), so the handover never closes the port.
 */
export class FrontDoor {
  readonly server: Server;
  #handler: RequestListener;
  #phase = 'starting';
  #stopping = false;
  #closing: Promise<void> | null = null;

  constructor() {
    this.#handler = (request, response) => this.#answerNotReady(request, response);
    this.server = createServer((request, response) => this.#handler(request, response));
    this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  }

  /** Opens the port; one that is taken or cannot be listened on stops start-up naming PORT (before anything else started). */
  async listen(host: string, port: number): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen({ host, port }, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${code ?? (error as Error).message})`;
      throw new TickflowError(ERROR_CODES.CONFIG_INVALID, `PORT ${port} on ${host} ${reason}: stop what holds it, or set PORT to another port`, { cause: error });
    }
  }

  /** What `/readyz` names as not ready yet, e.g. `opening the store`. */
  starting(phase: string): void {
    this.#phase = phase;
  }

  /** For `Fastify({ serverFactory })`: the app's requests are held back until `serve()`. */
  readonly serverFactory: NonNullable<FastifyServerOptions['serverFactory']> = (handler) => {
    this.#appHandler = handler;
    return this.server;
  };

  #appHandler: RequestListener | null = null;

  /** From now on the app answers every request (call once the app is ready and what it serves started). */
  serve(): void {
    if (!this.#appHandler) throw new InternalError('no app was built on this front door');
    this.#handler = this.#appHandler;
  }

  /** Back to answering 503 while the app and what it serves stop: `/healthz` stays up until `close()`. */
  stopping(): void {
    this.#stopping = true;
    this.#handler = (request, response) => this.#answerNotReady(request, response);
  }

  /**
   * Closes the port: idle connections at once, requests in flight after `graceMs`, so a client that
   * never finishes its request cannot hold a shutdown. Idempotent.
   */
  close(graceMs: number = HTTP_CLOSE_GRACE_MS): Promise<void> {
    this.#closing ??= this.server.listening
      ? closeWithin(
          this.server,
          new Promise<void>((resolve) => {
            this.server.close(() => resolve());
            this.server.closeIdleConnections();
          }),
          graceMs,
        )
      : Promise.resolve();
    return this.#closing;
  }

  #answerNotReady(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') return send(response, 200, 'application/json', liveness());
    const reason = this.#stopping ? 'shutting down' : `starting: ${this.#phase}`;
    if (path === '/readyz') return send(response, 503, 'application/json', { ready: false, reasons: [reason], dependencies: {}, source: null, consumers: [] });
    const detail = this.#stopping ? 'tickflow is shutting down' : `tickflow is not ready yet (${this.#phase}); try again shortly`;
    const problem: Problem = { type: problemType(503), title: 'Service Unavailable', status: 503, detail, instance: path };
    response.setHeader('retry-after', '1');
    send(response, 503, PROBLEM_CONTENT_TYPE, problem);
  }
}

function send(response: ServerResponse, status: number, type: string, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
