/* global URLSearchParams, fetch -- browser globals (the lint config is Node's) */

/** A /v2 answer that was not 2xx: its HTTP `status` and Alpaca's `{code, message}` body's message. */
export class TradingApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** What the page says about a failed call: the API's own message, and what a 401 means here. */
export function describeTradingError(error) {
  if (error?.status === 401) return 'not authorized: the key id and secret are not those of a paper account on this server (401)';
  return error?.message ?? String(error);
}

/** The ticket's symbol in a path: `BINANCE:BTCUSDT` as `BINANCE%3ABTCUSDT`. */
export const symbolPath = (symbol) => encodeURIComponent(symbol);

/**
 * Alpaca's Trading API v2 of this origin with a paper account's keys, sent as the APCA-API-KEY-ID /
 * APCA-API-SECRET-KEY headers (never in a URL).
 */
export class TradingApi {
  #keys;

  constructor(keys) {
    this.#keys = keys;
  }

  async #call(method, path, body) {
    const headers = { accept: 'application/json', 'apca-api-key-id': this.#keys.keyId, 'apca-api-secret-key': this.#keys.secret };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) throw new TradingApiError(response.status, parsed?.message ?? `${response.status} ${response.statusText}`);
    return parsed;
  }

  account() {
    return this.#call('GET', '/v2/account');
  }

  positions() {
    return this.#call('GET', '/v2/positions');
  }

  openOrders() {
    return this.#call('GET', '/v2/orders?status=open&limit=100&direction=desc');
  }

  assets() {
    return this.#call('GET', '/v2/assets?status=active');
  }

  /** The day's equity, a point a minute. */
  portfolioHistory() {
    return this.#call('GET', `/v2/account/portfolio/history?${new URLSearchParams({ period: '1D', timeframe: '1Min' })}`);
  }

  /** The newest fills (100, every symbol). */
  fills() {
    return this.#call('GET', `/v2/account/activities?${new URLSearchParams({ activity_types: 'FILL', direction: 'desc', page_size: '100' })}`);
  }

  placeOrder(request) {
    return this.#call('POST', '/v2/orders', request);
  }

  cancelOrder(id) {
    return this.#call('DELETE', `/v2/orders/${encodeURIComponent(id)}`);
  }
}
