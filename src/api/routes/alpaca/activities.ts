import type { FastifyPluginAsync } from 'fastify';
import type { ActivityQuery } from '../../../trading/gateway.ts';
import { accountOf } from './auth.ts';
import { docs } from './common.ts';
import { unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { parseChoice, parseIntegerParameter, parseTimeParameter } from './parse.ts';
import { executionIdOf, feeActivity, fillActivity } from './serialize.ts';

type ActivityType = 'FILL' | 'FEE';
const TYPES: readonly ActivityType[] = ['FILL', 'FEE'];
type ActivitiesQuery = Partial<Record<'activity_types' | 'after' | 'until' | 'date' | 'direction' | 'page_size' | 'page_token', string>>;

function activityTypes(raw: string | undefined): readonly ActivityType[] {
  if (raw === undefined || raw === '') return TYPES;
  const types = raw.split(',').map((type) => type.trim().toUpperCase());
  const unknown = types.find((type) => !(TYPES as readonly string[]).includes(type));
  if (unknown !== undefined) throw unprocessable(`activity_types: tickflow records ${TYPES.join(' and ')} activities only (got ${JSON.stringify(unknown)})`);
  return types as ActivityType[];
}

function activityQuery(types: readonly ActivityType[], query: ActivitiesQuery): ActivityQuery {
  const date = parseTimeParameter('date', query.date);
  const after = date ?? parseTimeParameter('after', query.after);
  const until = date !== undefined ? date + 86_400_000 : parseTimeParameter('until', query.until);
  // A page token names an activity (`<time>::<execution id>` or a FEE's `::fee-<execution id>`).
  const pageToken = query.page_token ? executionIdOf(query.page_token).replace(/^fee-/, '') : undefined;
  return {
    types,
    direction: parseChoice('direction', query.direction, ['asc', 'desc'] as const, 'desc'),
    pageSize: parseIntegerParameter('page_size', query.page_size, 1, 100, 100),
    ...(after !== undefined ? { after } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(pageToken ? { pageToken } : {}),
  };
}

/** `GET /v2/account/activities` and `/v2/account/activities/{type}`: fills (`FILL`) and their fees (`FEE`). */
export const activityRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { gateway }) => {
  const list = async (accountId: string, types: readonly ActivityType[], query: ActivitiesQuery) => {
    const updates = await gateway.activities(accountId, activityQuery(types, query));
    const activities: Record<string, unknown>[] = [];
    for (const update of updates) {
      const fill = types.includes('FILL') ? fillActivity(update) : null;
      const fee = types.includes('FEE') ? feeActivity(update) : null;
      if (fill) activities.push(fill);
      if (fee) activities.push(fee);
    }
    return activities;
  };

  app.get<{ Querystring: ActivitiesQuery }>('/v2/account/activities', { schema: docs('Account activities: FILL and FEE, newest first (direction, after, until, date, page_size ≤ 100, page_token)') }, async (request) => {
    const accountId = accountOf(request);
    return list(accountId, activityTypes(request.query.activity_types), request.query);
  });

  app.get<{ Params: { type: string }; Querystring: ActivitiesQuery }>('/v2/account/activities/:type', { schema: docs('Account activities of one type: FILL or FEE') }, async (request) => {
    const accountId = accountOf(request);
    return list(accountId, activityTypes(request.params.type), request.query);
  });
};
