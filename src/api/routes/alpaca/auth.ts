import type { FastifyRequest } from 'fastify';
import type { TradingGateway } from '../../../trading/gateway.ts';
import { unauthorized } from './errors.ts';

export const KEY_ID_HEADER = 'apca-api-key-id';
export const SECRET_HEADER = 'apca-api-secret-key';

/** The account of the request's `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`, or Alpaca's 401. Neither header is ever logged or echoed. */
export async function accountOf(gateway: TradingGateway, request: FastifyRequest): Promise<string> {
  const keyId = request.headers[KEY_ID_HEADER];
  const secret = request.headers[SECRET_HEADER];
  if (typeof keyId !== 'string' || typeof secret !== 'string' || keyId === '' || secret === '') throw unauthorized();
  const accountId = await gateway.authenticate(keyId, secret);
  if (accountId === null) throw unauthorized();
  return accountId;
}
