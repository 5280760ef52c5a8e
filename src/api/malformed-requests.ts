import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType, type Problem } from './problem.ts';

/** Longest path parameter the router matches (find-my-way's default); longer ones are a 414. */
const MAX_PARAM_LENGTH = 100;

/**
 * Answers to requests refused before any route runs, as problem+json like every other error:
 * Node's parser (`clientErrorHandler`: oversized headers, an unknown method, Transfer-Encoding with
 * Content-Length) and Fastify's router (`frameworkErrors`: bad percent-encoding, an overlong parameter).
 */
export const MALFORMED_REQUEST_OPTIONS = {
  routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  clientErrorHandler: answerUnparsable,
  frameworkErrors: answerUnroutable,
} satisfies Pick<FastifyServerOptions, 'routerOptions' | 'clientErrorHandler' | 'frameworkErrors'>;

function answerUnroutable(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0] ?? '';
  const [status, detail] =
    error.code === 'FST_ERR_BAD_URL'
      ? [400, `the path ${JSON.stringify(path)} has an invalid percent-encoding (a % must start a UTF-8 byte such as %2F)`]
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? [414, `a path segment of ${JSON.stringify(path.slice(0, 60))}… is longer than ${MAX_PARAM_LENGTH} characters`]
        : [500, 'tickflow failed to route the request; the error is in its log'];
  if (status === 500) request.log.error({ err: error }, 'routing failed');
  void reply.code(status).type(PROBLEM_CONTENT_TYPE).send({ type: problemType(status), title: STATUS_CODES[status] ?? 'Error', status, detail, instance: path } satisfies Problem);
}

/** What Node's parser refused, by its error code: the status and what to tell the client. */
function describeParseError(error: Error & { code?: string; reason?: string }): [number, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, `the request line and headers are longer than ${maxHeaderSize} bytes`];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'the request was not received in time'];
    case 'HPE_INVALID_METHOD':
      return [400, 'the request method is not an HTTP method tickflow knows (GET, POST, PATCH, DELETE, …)'];
    default:
      if (/Transfer-Encoding/i.test(error.reason ?? '') && /Content-Length/i.test(error.reason ?? '')) return [400, 'a request must not carry both Transfer-Encoding and Content-Length'];
      return [400, `the request is not valid HTTP/1.1: ${error.reason ?? error.code ?? 'unparsable'}`];
  }
}

/** The connection cannot carry another request: answer once, then close it (Node's own behaviour, in problem+json). */
function answerUnparsable(this: FastifyInstance, error: Error & { code?: string; reason?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = describeParseError(error);
  this.log.debug({ err: error }, 'unparsable request');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ type: problemType(status), title: STATUS_CODES[status] ?? 'Error', status, detail } satisfies Problem);
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  socket.end(head + body, () => socket.destroy());
}
