import type { FastifyPluginAsync } from 'fastify';
import { docs } from './common.ts';
import { notFound, unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { alpacaAsset, assetId } from './serialize.ts';

/** `GET /v2/assets`, `GET /v2/assets/{symbol or id}`: every symbol tickflow streams. */
export const assetRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { gateway }) => {
  app.get<{ Querystring: { status?: string; asset_class?: string } }>('/v2/assets', { schema: docs('Tradable symbols: status=active, asset_class=us_equity|crypto|forex') }, async (request) => {
    const { status, asset_class: assetClass } = request.query;
    if (status !== undefined && status !== 'active' && status !== 'inactive') throw unprocessable('status must be active or inactive');
    if (status === 'inactive') return [];
    return gateway
      .instruments()
      .filter((instrument) => assetClass === undefined || instrument.assetClass === assetClass)
      .map(alpacaAsset);
  });

  app.get<{ Params: { symbol: string } }>('/v2/assets/:symbol', { schema: docs('One asset by symbol (URL-encoded) or asset id') }, async (request) => {
    const wanted = request.params.symbol;
    const instrument = gateway.instruments().find((candidate) => candidate.symbol === wanted || assetId(candidate.symbol) === wanted);
    if (!instrument) throw notFound(`asset not found: ${wanted}`);
    return alpacaAsset(instrument);
  });
};
