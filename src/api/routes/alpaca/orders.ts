import type { FastifyPluginAsync } from 'fastify';
import type { OrderQuery } from '../../../trading/gateway.ts';
import { accountOf } from './auth.ts';
import { docs, valueOf } from './common.ts';
import { notFound, unprocessable } from './errors.ts';
import type { TradingRouteOptions } from './options.ts';
import { parseChoice, parseIntegerParameter, parseOrderReplace, parseOrderRequest, parseTimeParameter } from './parse.ts';
import { alpacaOrder } from './serialize.ts';

type OrdersQuery = Partial<Record<'status' | 'limit' | 'after' | 'until' | 'direction' | 'symbols' | 'nested' | 'side', string>>;

const ORDER_ID = /^[A-Za-z0-9-]{1,64}$/;

function orderQuery(query: OrdersQuery): OrderQuery & { side?: 'buy' | 'sell' } {
  const after = parseTimeParameter('after', query.after);
  const until = parseTimeParameter('until', query.until);
  const symbols = query.symbols ? query.symbols.split(',').map((symbol) => symbol.trim()).filter((symbol) => symbol !== '') : undefined;
  const side = query.side ? parseChoice('side', query.side, ['buy', 'sell'] as const, 'buy') : undefined;
  return {
    status: parseChoice('status', query.status, ['open', 'closed', 'all'] as const, 'open'),
    limit: parseIntegerParameter('limit', query.limit, 1, 500, 50),
    direction: parseChoice('direction', query.direction, ['asc', 'desc'] as const, 'desc'),
    ...(after !== undefined ? { after } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(symbols && symbols.length > 0 ? { symbols } : {}),
    ...(side ? { side } : {}),
  };
}

/** `POST/GET/DELETE /v2/orders`, `GET/PATCH/DELETE /v2/orders/{id}`, `GET /v2/orders:by_client_order_id`. */
export const orderRoutes: FastifyPluginAsync<TradingRouteOptions> = async (app, { gateway }) => {
  const orderIdOf = (id: string): string => {
    if (!ORDER_ID.test(id)) throw notFound(`order not found: ${JSON.stringify(id)} is not an order id`);
    return id;
  };

  app.post('/v2/orders', { schema: docs('Place an order (Alpaca: POST /v2/orders); 422 for a bad or duplicate order, 403 for insufficient buying power or qty') }, async (request) => {
    const accountId = accountOf(request);
    const order = valueOf(await gateway.submitOrder(accountId, parseOrderRequest(request.body)));
    return alpacaOrder(order);
  });

  app.get<{ Querystring: OrdersQuery }>('/v2/orders', { schema: docs('List orders: status open|closed|all, limit ≤ 500, after, until, direction, symbols, side') }, async (request) => {
    const accountId = accountOf(request);
    const { side, ...query } = orderQuery(request.query);
    if (side === undefined) return (await gateway.orders(accountId, query)).map(alpacaOrder);
    // The gateway has no side filter: the widest page, filtered, then cut to the limit.
    const orders = await gateway.orders(accountId, { ...query, limit: 500 });
    return orders.filter((order) => order.side === side).slice(0, query.limit).map(alpacaOrder);
  });

  app.delete('/v2/orders', { schema: docs('Cancel every open order: 207 with one entry per order') }, async (request, reply) => {
    const accountId = accountOf(request);
    const canceled = valueOf(await gateway.cancelAllOrders(accountId));
    return reply.code(207).send(canceled.map((order) => ({ id: order.id, status: 200, body: alpacaOrder(order) })));
  });

  app.get<{ Querystring: { client_order_id?: string } }>(
    '/v2/orders::by_client_order_id',
    { schema: docs('An order by its client_order_id') },
    async (request) => {
      const accountId = accountOf(request);
      const clientOrderId = request.query.client_order_id;
      if (!clientOrderId) throw unprocessable('client_order_id is required');
      const order = await gateway.orderByClientId(accountId, clientOrderId);
      if (!order) throw notFound(`order not found for client_order_id ${JSON.stringify(clientOrderId)}`);
      return alpacaOrder(order);
    },
  );

  app.get<{ Params: { id: string } }>('/v2/orders/:id', { schema: docs('An order by id, open or not') }, async (request) => {
    const accountId = accountOf(request);
    const order = await gateway.order(accountId, orderIdOf(request.params.id));
    if (!order) throw notFound(`order not found: ${request.params.id}`);
    return alpacaOrder(order);
  });

  app.patch<{ Params: { id: string } }>('/v2/orders/:id', { schema: docs('Replace an open order: the new order, which replaces it') }, async (request) => {
    const accountId = accountOf(request);
    const id = orderIdOf(request.params.id);
    const change = parseOrderReplace(request.body);
    return alpacaOrder(valueOf(await gateway.replaceOrder(accountId, id, change)));
  });

  app.delete<{ Params: { id: string } }>('/v2/orders/:id', { schema: docs('Cancel an open order: 204') }, async (request, reply) => {
    const accountId = accountOf(request);
    valueOf(await gateway.cancelOrder(accountId, orderIdOf(request.params.id)));
    return reply.code(204).send();
  });
};
