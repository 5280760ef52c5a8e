import { createHash } from 'node:crypto';
import type { TradingSignal } from '../../model/signal.ts';

/** Alpaca's older limit on `client_order_id` (today's is `CLIENT_ORDER_ID_MAX`, 128): ids fit both. */
export const SIGNAL_ORDER_ID_MAX = 48;
const HASH_CHARS = 16;
const STRATEGY_CHARS = SIGNAL_ORDER_ID_MAX - HASH_CHARS - 1;

/**
 * The `client_order_id` of the order a trader places for a signal: the strategy id (cut to 31
 * characters), `-`, and 16 hex digits of SHA-256 over the trader, the strategy and the signal's
 * identity (symbol, side, event time and lineage: what the signals processor names a signal by).
 * The same signal delivered again gives the same id, and the engine refuses a client order id an
 * account already used (422 `duplicate`): a redelivered signal never makes a second order.
 */
export function signalOrderId(traderId: string, signal: TradingSignal): string {
  const identity = JSON.stringify([
    traderId,
    signal.strategy,
    signal.symbol,
    signal.side,
    signal.tsEvent,
    signal.lineage.map((input) => [input.topic, input.partition, input.offset]),
  ]);
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, HASH_CHARS);
  return `${signal.strategy.slice(0, STRATEGY_CHARS)}-${hash}`;
}
