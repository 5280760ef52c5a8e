import type { FastifyPluginAsync } from 'fastify';
import { SYMBOL_PATTERN } from '../../../model/guards.ts';
import type { ClosePositionOptions } from '../../../trading/engine/trading-engine.ts';
import { accountOf } from './auth.ts';
import { docs, valueOf } from './common.ts';
import { notFound, unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { alpacaOrder, alpacaPosition } from './serialize.ts';

/**
 * A symbol in a path, exactly as tickflow names it (`AAPL`, `BINANCE:BTCUSDT`, URL-encoded or not).
 * Alpaca's own crypto names (`BTC/USD`, `BTCUSD`) are not mapped: they name no venue (README.md).
 */
function symbolOf(raw: string): string {
  if (!SYMBOL_PATTERN.test(raw)) throw notFound(`position not found: ${JSON.stringify(raw)} is not a symbol`);
  return raw;
}

function closeOptions(query: { qty?: string; percentage?: string }): ClosePositionOptions {
  if (query.qty !== undefined && query.percentage !== undefined) throw unprocessable('give only one of qty and percentage');
  const decimal = /^\d+(?:\.\d+)?$/;
  if (query.qty !== undefined) {
    if (!decimal.test(query.qty) || Number(query.qty) <= 0) throw unprocessable(`qty must be a positive decimal number (got ${JSON.stringify(query.qty)})`);
    return { qty: query.qty };
  }
  if (query.percentage !== undefined) {
    if (!decimal.test(query.percentage) || Number(query.percentage) <= 0 || Number(query.percentage) > 100) {
      throw unprocessable(`percentage must be a number in (0, 100] (got ${JSON.stringify(query.percentage)})`);
    }
    return { percentage: query.percentage };
  }
  return {};
}

/** `GET/DELETE /v2/positions`, `GET/DELETE /v2/positions/{symbol}`. */
export const positionRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { gateway }) => {
  const instrument = (symbol: string) => gateway.instruments().find((candidate) => candidate.symbol === symbol) ?? null;

  app.get('/v2/positions', { schema: docs('Open positions, by symbol') }, async (request) => {
    const accountId = accountOf(request);
    return (await gateway.positions(accountId)).map((position) => alpacaPosition(position, instrument(position.symbol)));
  });

  app.delete<{ Querystring: { cancel_orders?: string } }>('/v2/positions', { schema: docs('Close every position with market orders: 207 with one entry per position') }, async (request, reply) => {
    const accountId = accountOf(request);
    const cancel = request.query.cancel_orders;
    if (cancel !== undefined && cancel !== 'true' && cancel !== 'false') throw unprocessable('cancel_orders must be true or false');
    if (cancel === 'true') valueOf(await gateway.cancelAllOrders(accountId));
    const orders = valueOf(await gateway.closeAllPositions(accountId));
    return reply.code(207).send(orders.map((order) => ({ symbol: order.symbol, status: 200, body: alpacaOrder(order) })));
  });

  app.get<{ Params: { symbol: string } }>('/v2/positions/:symbol', { schema: docs('The open position in a symbol (URL-encode BINANCE:BTCUSDT as BINANCE%3ABTCUSDT or not)') }, async (request) => {
    const accountId = accountOf(request);
    const symbol = symbolOf(request.params.symbol);
    const position = await gateway.position(accountId, symbol);
    if (!position) throw notFound(`position does not exist: ${symbol}`);
    return alpacaPosition(position, instrument(symbol));
  });

  app.delete<{ Params: { symbol: string }; Querystring: { qty?: string; percentage?: string } }>(
    '/v2/positions/:symbol',
    { schema: docs('Close a position (all, qty, or percentage) with a market order: the order') },
    async (request) => {
      const accountId = accountOf(request);
      const symbol = symbolOf(request.params.symbol);
      const options = closeOptions(request.query);
      return alpacaOrder(valueOf(await gateway.closePosition(accountId, symbol, options)));
    },
  );
};
