import type { FastifyPluginAsync } from 'fastify';
import { accountRoutes } from './account.ts';
import { activityRoutes } from './activities.ts';
import { assetRoutes } from './assets.ts';
import { authenticate } from './auth.ts';
import { clockV3Routes } from './clock-v3.ts';
import { useAlpacaErrors } from './errors.ts';
import { acceptEmptyJson } from './json-body.ts';
import { marketRoutes } from './market.ts';
import type { TradingRouteOptions } from './options.ts';
import { orderRoutes } from './orders.ts';
import { portfolioHistoryRoutes } from './portfolio-history.ts';
import { positionRoutes } from './positions.ts';
import { streamRoutes } from './stream.ts';

export type { TradingRouteOptions } from './options.ts';

/** Alpaca's Trading API v2 over the TradingGateway (README.md): the /v2 routes and the `/stream` WebSocket. */
export const alpacaRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, options) => {
  useAlpacaErrors(app);
  acceptEmptyJson(app);
  // Every /v2 route is the account's; `/stream` authenticates with its first message instead.
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/v2/') || request.url.startsWith('/v3/')) await authenticate(options.gateway, request);
  });
  await app.register(accountRoutes, options);
  await app.register(orderRoutes, options);
  await app.register(positionRoutes, options);
  await app.register(marketRoutes, options);
  await app.register(clockV3Routes, options);
  await app.register(assetRoutes, options);
  await app.register(activityRoutes, options);
  await app.register(portfolioHistoryRoutes, options);
  await app.register(streamRoutes, options);
};
