import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { writeReport } from '../../src/backtest/report/write-report.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { backtestResult } from '../backtest/report/fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-backtests-api-'));
const dir = join(root, 'backtests');
let app: FastifyInstance;
let readOnly: FastifyInstance;

before(async () => {
  await writeReport(backtestResult(), join(dir, 'older-run'));
  await writeReport(backtestResult({ configuration: { ...backtestResult().configuration, strategyName: 'momentum' } }), join(dir, 'newer-run'));
  utimesSync(join(dir, 'older-run'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  utimesSync(join(dir, 'newer-run'), new Date('2026-02-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
  // Not runs: an unfinished directory, a staging directory, a stray file; and a secret beside the runs.
  mkdirSync(join(dir, 'unfinished'));
  mkdirSync(join(dir, '.newer-run.writing-1-abcd'));
  writeFileSync(join(dir, 'notes.txt'), 'x');
  writeFileSync(join(root, 'secret.html'), 'TOP-SECRET-CONTENT');
  mkdirSync(join(dir, 'escape'));
  symlinkSync(join(root, 'secret.html'), join(dir, 'escape', 'report.html'));
  app = await buildApp({ status: idleStatus, backtests: { dir } });
  readOnly = await buildApp({ status: idleStatus, backtests: { dir }, auth: { adminToken: 'admin-token-0123456789', readToken: 'read-token-0123456789' } });
});
after(async () => {
  await app?.close();
  await readOnly?.close();
  rmSync(root, { recursive: true, force: true });
});

function problem(response: LightMyRequestResponse, status: number): string {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  return response.json().detail as string;
}

describe('GET /v1/backtests', () => {
  it('lists the finished runs, most recent first, with their main figures', async () => {
    const response = await app.inject('/v1/backtests');
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().runs, [
      { id: 'newer-run', strategy: 'momentum', from: '2026-01-05', to: '2026-01-08', totalReturn: 0.089, sharpe: 4.145095678, maxDrawdown: -0.1, finishedAt: '2026-02-01T00:00:00.000Z' },
      { id: 'older-run', strategy: 'crossover <test>', from: '2026-01-05', to: '2026-01-08', totalReturn: 0.089, sharpe: 4.145095678, maxDrawdown: -0.1, finishedAt: '2026-01-01T00:00:00.000Z' },
    ]);
  });

  it('an empty list when no backtest ran yet', async () => {
    const empty = await buildApp({ status: idleStatus, backtests: { dir: join(root, 'none') } });
    assert.deepEqual((await empty.inject('/v1/backtests')).json(), { runs: [] });
    await empty.close();
  });

  it('follows the read token', async () => {
    problem(await readOnly.inject('/v1/backtests'), 401);
    problem(await readOnly.inject('/v1/backtests/newer-run/report.html'), 401);
    const allowed = await readOnly.inject({ url: '/v1/backtests/newer-run/report.html', headers: { authorization: 'Bearer read-token-0123456789' } });
    assert.equal(allowed.statusCode, 200);
  });
});

describe('GET /v1/backtests/:id/report.html', () => {
  it('serves the report, sandboxed', async () => {
    const response = await app.inject('/v1/backtests/older-run/report.html');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /^<!doctype html>/);
    assert.match(String(response.headers['content-security-policy']), /sandbox allow-scripts/);
  });

  it('404 for a run that does not exist or has no report', async () => {
    assert.match(problem(await app.inject('/v1/backtests/nope/report.html'), 404), /no backtest report "nope"/);
    problem(await app.inject('/v1/backtests/unfinished/report.html'), 404);
  });

  it('refuses traversal: encoded separators and dot segments are 400, a link out of the directory 404', async () => {
    for (const id of ['..', '..%2F..%2Fsecret.html', '%2E%2E', '.newer-run.writing-1-abcd', 'a%5Cb', '..%5C..', '%00']) {
      const response = await app.inject(`/v1/backtests/${id}/report.html`);
      assert.ok([400, 404].includes(response.statusCode), `${id}: ${response.statusCode}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/, id);
      assert.ok(!response.body.includes('TOP-SECRET'), id);
    }
    assert.match(problem(await app.inject('/v1/backtests/..%2F..%2Fsecret.html/report.html'), 400), /params "id"/);
    problem(await app.inject('/v1/backtests/../secret.html'), 404);
    const linked = await app.inject('/v1/backtests/escape/report.html');
    assert.equal(problem(linked, 404), 'no backtest report "escape"');
  });
});
