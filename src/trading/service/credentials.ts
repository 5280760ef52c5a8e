import { createHash, randomBytes, randomInt } from 'node:crypto';
import { constantTimeEqual } from '../../constant-time.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/** An API key id as Alpaca's paper keys look: `PK` and 18 base32 characters. */
export function newKeyId(): string {
  return `PK${randomText(BASE32, 18)}`;
}

/** 40 random letters and digits (~238 bits), as long as Alpaca's secrets. */
export function newSecret(): string {
  return randomText(ALPHANUMERIC, 40);
}

/**
 * `sha256$<salt hex>$<digest hex>`. A fast salted hash suffices: the secret is 238 random bits, not a
 * password a person chose, so no dictionary or brute force reaches it, and checking a key on every
 * API request stays cheap (scrypt would cost tens of milliseconds a request).
 */
export function hashSecret(secret: string, salt: Buffer = randomBytes(16)): string {
  return `sha256$${salt.toString('hex')}$${digest(salt, secret).toString('hex')}`;
}

/** Whether `secret` is the one `stored` was made from; compared in constant time. */
export function secretMatches(secret: string, stored: string): boolean {
  const [scheme, saltHex, digestHex] = stored.split('$');
  if (scheme !== 'sha256' || saltHex === undefined || digestHex === undefined) return false;
  const expected = Buffer.from(digestHex, 'hex');
  const actual = digest(Buffer.from(saltHex, 'hex'), secret);
  return constantTimeEqual(actual, expected);
}

function digest(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}
