import type { FastifyPluginAsync } from 'fastify';
import { accountOf } from './auth.ts';
import { docs } from './common.ts';
import { notFound } from './errors.ts';
import { lastEquity } from './last-equity.ts';
import type { TradingRouteOptions } from './options.ts';
import { alpacaAccount } from './serialize.ts';

/** `GET /v2/account`. */
export const accountRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { gateway, now = Date.now }) => {
  app.get('/v2/account', { schema: docs('The account of the API key: cash, equity, buying power, last_equity (at the previous US close) as decimal strings') }, async (request) => {
    const accountId = accountOf(request);
    const account = await gateway.account(accountId);
    if (!account) throw notFound(`account not found: ${accountId}`);
    return alpacaAccount(account, await lastEquity(gateway, accountId, account.starting_cash, now()));
  });
};
