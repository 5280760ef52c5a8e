/**
 * Requests Node's HTTP parser or Fastify's router refuse before any route runs: each must still be
 * answered as `application/problem+json` with a `detail` saying what was wrong, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.ts';
import type { Problem } from '../../../src/api/problem.ts';
import { idleStatus } from '../../support/pipeline-status.ts';
import { within } from '../../support/wait.ts';

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Writes `request` as is on a fresh socket and reads the answer until the server closes (or 5 s). */
function rawRequest(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const settle = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const status = Number(statusLine.split(' ')[1]);
      if (!Number.isInteger(status)) reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const length = Number(headers['content-length'] ?? Number.NaN);
      const body = rest.join('\r\n\r\n');
      resolve({ status, headers, body: Number.isInteger(length) ? Buffer.from(body).subarray(0, length).toString('utf8') : body });
    };
    const timer = setTimeout(settle, 5_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A complete answer with Content-Length: no need to wait for the close of a kept-alive socket.
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && Buffer.byteLength(text.slice(end + 4)) >= Number(length)) settle();
    });
    socket.on('end', settle);
    socket.on('error', () => {});
  });
}

function assertProblem(answer: RawAnswer, status: number, detail: RegExp): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/, `content-type of the ${status}`);
  const problem = JSON.parse(answer.body) as Problem;
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  assert.match(problem.type, new RegExp(`/${status}$`));
  assert.match(problem.detail, detail);
}

describe('malformed requests are answered as problem+json', () => {
  let app: FastifyInstance;
  let port: number;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  before(async () => {
    process.on('warning', onWarning);
    app = await buildApp({ status: idleStatus, dashboard: true, alerts: { store: unusedAlertStore } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(() => within(app.close(), 10_000, 'app.close()'));

  it('builds the app without a deprecation warning on the user\'s terminal', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    assert.deepEqual(warnings.map((warning) => warning.message), []);
  });

  it('a URL longer than the header limit: 431', async () => {
    const answer = await rawRequest(port, `GET /healthz?pad=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: tickflow\r\n\r\n`);
    assertProblem(answer, 431, /headers .*longer than \d+ bytes/);
  });

  it('a header longer than the limit: 431', async () => {
    const answer = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: tickflow\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`);
    assertProblem(answer, 431, /headers .*longer than \d+ bytes/);
  });

  it('an unknown method: 400 naming it as the problem', async () => {
    const answer = await rawRequest(port, 'FROB /healthz HTTP/1.1\r\nHost: tickflow\r\n\r\n');
    assertProblem(answer, 400, /method/);
  });

  it('both Transfer-Encoding and Content-Length: 400 saying so', async () => {
    const answer = await rawRequest(port, 'POST /v1/alerts HTTP/1.1\r\nHost: tickflow\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    assertProblem(answer, 400, /Transfer-Encoding and Content-Length/);
  });

  it('a bad percent-encoding in the path: 400 naming the path', async () => {
    assertProblem(await rawRequest(port, 'GET /web/% HTTP/1.1\r\nHost: tickflow\r\n\r\n'), 400, /"\/web\/%".*percent-encoding/);
    assertProblem(await rawRequest(port, 'GET /v1/alerts/%E0%A4%A HTTP/1.1\r\nHost: tickflow\r\n\r\n'), 400, /percent-encoding/);
  });

  it('a path parameter longer than the router allows: 414', async () => {
    const answer = await rawRequest(port, `GET /v1/alerts/${'x'.repeat(300)} HTTP/1.1\r\nHost: tickflow\r\n\r\n`);
    assertProblem(answer, 414, /path segment .*longer than 100 characters/);
  });

  it('keeps serving after them', async () => {
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  });
});

/** The alert routes are mounted for their `:id` path; no request here reaches the store. */
const unusedAlertStore = new Proxy({} as never, {
  get: () => () => Promise.reject(new Error('the alert store must not be reached')),
});
