import type { IncomingHttpHeaders } from 'node:http';
import { constantTimeEqual } from '../constant-time.ts';

/** Subprotocols that carry the token: `bearer.<token>` (browsers cannot set headers on a WebSocket). */
const BEARER_PROTOCOL = 'bearer.';

/**
 * The token a client presented: `Authorization: Bearer <t>`, else a `bearer.<t>` subprotocol in
 * `Sec-WebSocket-Protocol`; `null` when it presented none.
 */
export function presentedToken(headers: IncomingHttpHeaders): string | null {
  const bearer = bearerToken(headers);
  if (bearer !== null) return bearer;
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const protocol of protocols.split(',')) {
      const trimmed = protocol.trim();
      if (trimmed.startsWith(BEARER_PROTOCOL)) return trimmed.slice(BEARER_PROTOCOL.length);
    }
  }
  return null;
}

/** The token of `Authorization: Bearer <t>`, or `null` without one. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  const match = typeof authorization === 'string' ? /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization) : null;
  return match ? match[1]! : null;
}

/** A constant-time check against the expected token. */
export function tokenMatcher(expected: string): (presented: string | null) => boolean {
  return (presented) => presented !== null && constantTimeEqual(presented, expected);
}
