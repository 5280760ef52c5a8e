import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemType, type Problem } from '../problem.ts';

/**
 * Every error leaves as `application/problem+json`: schema violations as 400 naming the parameter,
 * HttpProblems as they say, anything else as a 500 that is logged and says nothing internal.
 */
export const problems = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError | HttpProblem | TickflowError, request, reply) => {
    let problem: Problem;
    if (error instanceof HttpProblem) {
      problem = { type: problemType(error.status), title: error.title, status: error.status, detail: error.message, instance: request.url };
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(error.retryAfterSeconds)));
    } else if (error instanceof TickflowError && error.code === ERROR_CODES.STORE_INVALID_QUERY) {
      problem = { type: problemType(400), title: 'Bad Request', status: 400, detail: error.message, instance: request.url };
    } else if ((error as FastifyError).validation) {
      problem = { type: problemType(400), title: 'Bad Request', status: 400, detail: describeValidation(error as FastifyError), instance: request.url };
    } else if (typeof (error as FastifyError).statusCode === 'number' && (error as FastifyError).statusCode! < 500) {
      const status = (error as FastifyError).statusCode!;
      const detail = (error as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? `the body must be application/json (got ${request.headers['content-type'] ?? 'no Content-Type'})` : error.message;
      problem = { type: problemType(status), title: titleOf(status), status, detail, instance: request.url };
      const retryAfter = reply.getHeader('retry-after');
      if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
    } else {
      request.log.error({ err: error }, 'request failed');
      problem = { type: problemType(500), title: 'Internal Server Error', status: 500, detail: 'tickflow failed to answer; the error is in its log', instance: request.url };
    }
    return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ type: problemType(404), title: 'Not Found', status: 404, detail: `no route ${request.method} ${request.url.split('?')[0]}; see /docs`, instance: request.url } satisfies Problem),
  );
});

/** `querystring/limit must be <= 1000` → `query parameter "limit" must be <= 1000`. */
function describeValidation(error: FastifyError): string {
  return (error.validation ?? [])
    .map((issue) => {
      const { missingProperty, additionalProperty } = issue.params as { missingProperty?: string; additionalProperty?: string };
      const field = missingProperty ?? additionalProperty;
      const path = issue.instancePath.replace(/^\//, '');
      const parameter = path && field ? `${path}/${field}` : path || field || '';
      const where = error.validationContext === 'querystring' ? 'query parameter' : (error.validationContext ?? 'input');
      const allowed = (issue.params as { allowedValues?: unknown[] }).allowedValues;
      const message = issue.keyword === 'required' ? 'is required' : issue.keyword === 'additionalProperties' ? 'is not a known field' : allowed ? `must be one of ${allowed.join(', ')}` : issue.message;
      return `${where} "${parameter}" ${message}`;
    })
    .join('; ');
}

function titleOf(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests' }[status] ?? 'Error';
}
