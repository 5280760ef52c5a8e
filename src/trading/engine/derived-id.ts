import { createHash } from 'node:crypto';

/**
 * A UUID (version 8: application-defined) derived from `parts` by SHA-256: ids look like Alpaca's
 * (bots may store them in uuid columns) yet the same input always gives the same id, with no random
 * number or clock involved, so a replayed or restored engine names its orders and fills as before.
 */
export function derivedUuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
