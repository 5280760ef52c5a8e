import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets are equal, in time that says nothing about where they differ or how long
 * either is: both are hashed first, so `timingSafeEqual` always compares 32 bytes. The one place
 * tickflow compares a presented credential with the expected one.
 */
export function constantTimeEqual(presented: string | Uint8Array, expected: string | Uint8Array): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function sha256(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}
