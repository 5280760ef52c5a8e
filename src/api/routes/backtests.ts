import { readFile, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { listBacktestRuns, RUN_ID_PATTERN } from '../../backtest/report/backtest-runs.ts';
import { REPORT_FILE_NAMES } from '../../backtest/report/write-report.ts';
import { HttpProblem } from '../problem.ts';
import { ERROR_RESPONSES } from '../schemas.ts';

export interface BacktestRouteOptions {
  /** Where `tickflow backtest` writes its runs: `<TICKFLOW_DATA_DIR>/backtests`. */
  readonly dir: string;
}

/**
 * The report inlines its script and styles and needs nothing else. Sandboxed (an opaque origin):
 * whatever a report holds cannot act as this origin or call the API.
 */
const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; sandbox allow-scripts";

const RUN_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    strategy: { type: 'string' },
    from: { type: ['string', 'null'] },
    to: { type: ['string', 'null'] },
    totalReturn: { type: ['number', 'null'] },
    sharpe: { type: ['number', 'null'] },
    maxDrawdown: { type: ['number', 'null'] },
    finishedAt: { type: 'string' },
  },
} as const;

const notFound = (id: string) => new HttpProblem(404, 'Not Found', `no backtest report ${JSON.stringify(id)}`);

/** Past backtests: the list, and each run's HTML report. */
export const backtestRoutes: FastifyPluginAsync<BacktestRouteOptions> = async (app, { dir }) => {
  const root = resolve(dir);

  app.get(
    '/v1/backtests',
    { schema: { summary: 'Finished backtest runs, most recent first', tags: ['history'], response: { 200: { type: 'object', properties: { runs: { type: 'array', items: RUN_SCHEMA } } }, ...ERROR_RESPONSES } } },
    async () => ({ runs: await listBacktestRuns(root) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/backtests/:id/report.html',
    {
      schema: {
        summary: "A run's self-contained HTML report",
        tags: ['history'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: RUN_ID_PATTERN.source, description: 'a run id from GET /v1/backtests' } } },
        response: ERROR_RESPONSES,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const file = await realpath(join(root, id, REPORT_FILE_NAMES.reportHtml)).catch(() => null);
      // Also after symbolic links: only a file under the backtests directory is served.
      const realRoot = await realpath(root).catch(() => root);
      if (file === null || !file.startsWith(realRoot + sep)) throw notFound(id);
      const body = await readFile(file).catch(() => null);
      if (body === null) throw notFound(id);
      return reply
        .header('content-security-policy', REPORT_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(body);
    },
  );
};
