import type { FastifyRequest } from 'fastify';
import type { TradingGateway } from '../../../trading/gateway.ts';
import { unauthorized } from './errors.ts';

export const KEY_ID_HEADER = 'apca-api-key-id';
export const SECRET_HEADER = 'apca-api-secret-key';

const accounts = new WeakMap<FastifyRequest, string>();

/**
 * Checks the request's `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` (an `onRequest` hook: before the
 * body is read, so a bad key is 401 whatever the body). Neither header is ever logged or echoed.
 */
export async function authenticate(gateway: TradingGateway, request: FastifyRequest): Promise<void> {
  const keyId = request.headers[KEY_ID_HEADER];
  const secret = request.headers[SECRET_HEADER];
  if (typeof keyId !== 'string' || typeof secret !== 'string' || keyId === '' || secret === '') throw unauthorized();
  const accountId = await gateway.authenticate(keyId, secret);
  if (accountId === null) throw unauthorized();
  accounts.set(request, accountId);
}

/** The account `authenticate` found for this request. */
export function accountOf(request: FastifyRequest): string {
  const accountId = accounts.get(request);
  if (accountId === undefined) throw unauthorized();
  return accountId;
}
