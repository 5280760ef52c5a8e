import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Subprotocols that carry the token: `bearer.<token>` (browsers cannot set headers on a WebSocket). */
const BEARER_PROTOCOL = 'bearer.';

/**
 * The token a client presented: `Authorization: Bearer <t>`, else a `bearer.<t>` subprotocol in
 * `Sec-WebSocket-Protocol`; `null` when it presented none.
 */
export function presentedToken(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const protocol of protocols.split(',')) {
      const trimmed = protocol.trim();
      if (trimmed.startsWith(BEARER_PROTOCOL)) return trimmed.slice(BEARER_PROTOCOL.length);
    }
  }
  return null;
}

/**
 * A constant-time check against the expected token. Both sides are hashed first so
 * `timingSafeEqual` compares equal lengths and the comparison time says nothing about the length.
 */
export function tokenMatcher(expected: string): (presented: string | null) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => presented !== null && timingSafeEqual(digest(presented), expectedDigest);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
