import type { CommandResult } from '../../../trading/engine/command-result.ts';
import { rejectionError } from './errors.ts';

/** The value of a command that took effect, or the Alpaca error its rejection stands for. */
export function valueOf<T>(result: CommandResult<T>): T {
  if (!result.ok) throw rejectionError(result.code, result.message);
  return result.value;
}

/** What every /v2 route's schema carries for the OpenAPI document. */
export const TRADING_TAG = ['trading'];

export const ALPACA_ERROR_SCHEMA = {
  type: 'object',
  properties: { code: { type: 'integer' }, message: { type: 'string' } },
} as const;

export const AUTH_SECURITY = [{ alpacaKeyId: [], alpacaSecretKey: [] }];

/** Documentation only: every /v2 route reads its input itself, so bad input is Alpaca's 422 naming the field. */
export function docs(summary: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    summary,
    tags: TRADING_TAG,
    security: AUTH_SECURITY,
    response: { 401: ALPACA_ERROR_SCHEMA, 403: ALPACA_ERROR_SCHEMA, 404: ALPACA_ERROR_SCHEMA, 422: ALPACA_ERROR_SCHEMA },
    ...extra,
  };
}
