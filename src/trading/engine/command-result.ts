/**
 * Why a command changed nothing. The API answers with Alpaca's status codes: `invalid`, `duplicate`
 * and `not_open` 422; `forbidden`, `insufficient_buying_power` and `insufficient_qty` 403;
 * `not_found` 404.
 */
export type RejectionCode = 'invalid' | 'duplicate' | 'not_open' | 'forbidden' | 'insufficient_buying_power' | 'insufficient_qty' | 'not_found';

export interface Rejection {
  readonly ok: false;
  readonly code: RejectionCode;
  readonly message: string;
}

export type CommandResult<T> = { readonly ok: true; readonly value: T } | Rejection;

export const reject = (code: RejectionCode, message: string): Rejection => ({ ok: false, code, message });
export const accept = <T>(value: T): CommandResult<T> => ({ ok: true, value });
