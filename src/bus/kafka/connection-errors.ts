import type { Base, ConnectionPoolEventPayload } from '@platformatic/kafka';

/**
 * A connection of @platformatic/kafka may emit 'error' more than once, and only its first emission
 * is sure to be heard: a request waiting for the connection rejects with it, and the pool drops the
 * connection. A broker that ends the connection in the middle of SASL (its TLS alert, when it wants
 * a client certificate) leaves requests queued behind the alert, each failing the connection again;
 * unheard, Node throws those emissions as uncaught exceptions and the process ends. They only repeat
 * the first failure ("Connection closed"), so they are dropped. They never reach the client's own
 * 'error' listeners: each connection gets the listener, once connected or failed.
 */
export function absorbConnectionErrors(client: Base): void {
  const absorb = ({ connection }: ConnectionPoolEventPayload) => connection.on('error', ignore);
  client.on('client:broker:connect', absorb);
  client.on('client:broker:failed', absorb);
}

function ignore(): void {}
