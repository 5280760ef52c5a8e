const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The body of `POST /v2/orders` from the ticket's fields, or `{ error }` naming what is wrong before
 * anything is sent. Crypto trades around the clock, so its orders are `gtc`; the others `day`.
 * @param {{ symbol: string | null, side: string, type: string, qty: string, limitPrice: string, assetClass: string | null }} fields
 */
export function orderRequest({ symbol, side, type, qty, limitPrice, assetClass }) {
  if (!symbol) return { error: 'select a symbol first' };
  if (side !== 'buy' && side !== 'sell') return { error: 'side must be buy or sell' };
  if (type !== 'market' && type !== 'limit') return { error: 'type must be market or limit' };
  const quantity = String(qty ?? '').trim();
  if (!DECIMAL.test(quantity) || Number(quantity) <= 0) return { error: 'qty must be a positive number' };
  const body = { symbol, side, type, qty: quantity, time_in_force: assetClass === 'crypto' ? 'gtc' : 'day' };
  if (type === 'market') return { body };
  const price = String(limitPrice ?? '').trim();
  if (!DECIMAL.test(price) || Number(price) <= 0) return { error: 'a limit order needs a positive limit price' };
  return { body: { ...body, limit_price: price } };
}

/** What the ticket says once an order is accepted: `buy 0.01 BINANCE:BTCUSDT market: accepted (new)`. */
export function describeOrder(order) {
  const price = order.limit_price ? ` @ ${order.limit_price}` : '';
  return `${order.side} ${order.qty} ${order.symbol} ${order.type}${price}: ${order.status}`;
}
