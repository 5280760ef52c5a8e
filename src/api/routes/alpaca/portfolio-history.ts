import type { FastifyPluginAsync } from 'fastify';
import type { EquityPoint } from '../../../trading/gateway.ts';
import { accountOf } from './auth.ts';
import { docs } from './common.ts';
import { unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { parseChoice, parseTimeParameter } from './parse.ts';

const TIMEFRAMES = { '1Min': 60_000, '5Min': 300_000, '15Min': 900_000, '1H': 3_600_000, '1D': 86_400_000 } as const;
type Timeframe = keyof typeof TIMEFRAMES;
const PERIOD_UNITS: Readonly<Record<string, number>> = { D: 86_400_000, W: 7 * 86_400_000, M: 30 * 86_400_000, A: 365 * 86_400_000 };

type HistoryQuery = Partial<Record<'period' | 'timeframe' | 'start' | 'end', string>>;

function periodMs(period: string | undefined): number {
  if (period === undefined || period === '') return 30 * 86_400_000;
  const match = /^(\d{1,4})([DWMA])$/.exec(period);
  if (!match) throw unprocessable(`period must be a number and a unit D, W, M or A, e.g. 1D, 2W, 1M, 1A (got ${JSON.stringify(period)})`);
  return Number(match[1]) * PERIOD_UNITS[match[2]!]!;
}

/** The last point of each bucket of `step` ms, stamped with the bucket's start (as Alpaca stamps its bars). */
function sample(points: readonly EquityPoint[], step: number): EquityPoint[] {
  const out: EquityPoint[] = [];
  for (const point of points) {
    const bucket = { ...point, timestamp: Math.floor(point.timestamp / step) * step };
    if (out.at(-1)?.timestamp === bucket.timestamp) out[out.length - 1] = bucket;
    else out.push(bucket);
  }
  return out;
}

/** `GET /v2/account/portfolio/history`: the equity the trading service sampled (every minute and at each close). */
export const portfolioHistoryRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { gateway, now = Date.now }) => {
  app.get<{ Querystring: HistoryQuery }>('/v2/account/portfolio/history', { schema: docs('Equity and P&L over time: period (1D, 1W, 1M, 1A), timeframe (1Min, 5Min, 15Min, 1H, 1D), start, end') }, async (request) => {
    const accountId = accountOf(request);
    const { query } = request;
    const timeframe = parseChoice<Timeframe>('timeframe', query.timeframe, Object.keys(TIMEFRAMES) as Timeframe[], '15Min');
    const start = parseTimeParameter('start', query.start);
    const end = parseTimeParameter('end', query.end);
    const span = periodMs(query.period);
    const to = end ?? (start !== undefined ? start + span : now());
    const from = start ?? to - span;
    if (to < from) throw unprocessable('end is before start');
    const points = sample(await gateway.equityHistory(accountId, from, to), TIMEFRAMES[timeframe]);
    const first = points[0];
    const baseValue = first ? Number(first.equity) - Number(first.profitLoss) : null;
    return {
      timestamp: points.map((point) => Math.floor(point.timestamp / 1000)),
      equity: points.map((point) => Number(point.equity)),
      profit_loss: points.map((point) => Number(point.profitLoss)),
      profit_loss_pct: points.map((point) => Number(point.profitLossPct)),
      base_value: baseValue,
      timeframe,
    };
  });
};
