import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateOrderReplace, validateOrderRequest, type OrderRequest } from '../../src/model/order.ts';

function orderRequest(fields: Partial<OrderRequest> & Pick<OrderRequest, 'symbol' | 'side'>): OrderRequest {
  return {
    type: 'order-request', qty: fields.notional ? null : '10', notional: null, order_type: 'market', time_in_force: 'day',
    limit_price: null, stop_price: null, trail_price: null, trail_percent: null, extended_hours: false, client_order_id: null, ...fields,
  };
}

describe('validateOrderRequest', () => {
  it('takes a well-formed request as it is', () => {
    const request = orderRequest({ symbol: 'AAPL', side: 'buy', order_type: 'limit', limit_price: '187.31', time_in_force: 'gtc' });
    assert.equal(validateOrderRequest(request), request);
  });

  it('names what is wrong, the way Alpaca enforces it', () => {
    const cases: [Parameters<typeof orderRequest>[0], RegExp][] = [
      [{ symbol: 'AAPL', side: 'buy', qty: '0' }, /qty must be > 0/],
      [{ symbol: 'AAPL', side: 'buy', qty: '-1' }, /qty must be > 0/],
      [{ symbol: 'AAPL', side: 'buy', qty: '1e3' }, /qty must be a decimal string/],
      [{ symbol: 'AAPL', side: 'buy', qty: null }, /exactly one of qty and notional/],
      [{ symbol: 'AAPL', side: 'buy', qty: '1', notional: '100' }, /exactly one of qty and notional/],
      [{ symbol: 'AAPL', side: 'buy', order_type: 'limit' }, /limit_price is required/],
      [{ symbol: 'AAPL', side: 'buy', order_type: 'stop_limit', limit_price: '1' }, /stop_price is required/],
      [{ symbol: 'AAPL', side: 'buy', limit_price: '1' }, /limit_price is not allowed for market/],
      [{ symbol: 'AAPL', side: 'sell', order_type: 'trailing_stop' }, /exactly one of trail_price and trail_percent/],
      [{ symbol: 'AAPL', side: 'sell', order_type: 'trailing_stop', trail_percent: '100' }, /trail_percent must be below 100/],
      [{ symbol: 'AAPL', side: 'buy', qty: null, notional: '100', time_in_force: 'fok' }, /notional orders must be market orders with time_in_force day/],
      [{ symbol: 'AAPL', side: 'buy', extended_hours: true }, /extended_hours orders must be limit orders/],
      [{ symbol: 'AAPL', side: 'buy', order_type: 'stop', stop_price: '1', time_in_force: 'ioc' }, /ioc is only for market and limit/],
      [{ symbol: 'AAPL', side: 'hold' as 'buy' }, /side must be one of buy, sell/],
      [{ symbol: 'bad symbol', side: 'buy' }, /symbol must be/],
      [{ symbol: 'AAPL', side: 'buy', client_order_id: 'x'.repeat(129) }, /client_order_id must be null or 1 to 128/],
    ];
    for (const [fields, message] of cases) assert.match(validateOrderRequest(orderRequest(fields)) as string, message, JSON.stringify(fields));
  });

  it('checks a replace has something to change', () => {
    const none = { type: 'order-replace', qty: null, time_in_force: null, limit_price: null, stop_price: null, trail: null, client_order_id: null };
    assert.match(validateOrderReplace(none) as string, /nothing to replace/);
    assert.match(validateOrderReplace({ ...none, qty: '0' }) as string, /qty must be > 0/);
    assert.equal(typeof validateOrderReplace({ ...none, limit_price: '10' }), 'object');
  });
});
