import { ALL_SYMBOLS, type StreamChannel } from './protocol.ts';

/**
 * symbol → channel → clients, so a record is offered only to the clients subscribed to its symbol
 * and channel, never checked against every client. `*` is kept as a symbol of its own and joined
 * in at lookup; a client subscribed to both `*` and the symbol gets the record once.
 */
export class SubscriptionIndex<C> {
  readonly #bySymbol = new Map<string, Map<StreamChannel, Set<C>>>();

  add(symbol: string, channel: StreamChannel, client: C): void {
    let byChannel = this.#bySymbol.get(symbol);
    if (!byChannel) this.#bySymbol.set(symbol, (byChannel = new Map()));
    let clients = byChannel.get(channel);
    if (!clients) byChannel.set(channel, (clients = new Set()));
    clients.add(client);
  }

  remove(symbol: string, channel: StreamChannel, client: C): void {
    const byChannel = this.#bySymbol.get(symbol);
    const clients = byChannel?.get(channel);
    if (!byChannel || !clients) return;
    clients.delete(client);
    if (clients.size === 0) byChannel.delete(channel);
    if (byChannel.size === 0) this.#bySymbol.delete(symbol);
  }

  /** Calls `visit` once for every client subscribed to `symbol` (or `*`) on `channel`. */
  forEach(symbol: string, channel: StreamChannel, visit: (client: C) => void): void {
    const everything = this.#bySymbol.get(ALL_SYMBOLS)?.get(channel);
    const exact = symbol === ALL_SYMBOLS ? undefined : this.#bySymbol.get(symbol)?.get(channel);
    if (everything) for (const client of everything) visit(client);
    if (exact) for (const client of exact) if (!everything?.has(client)) visit(client);
  }
}
