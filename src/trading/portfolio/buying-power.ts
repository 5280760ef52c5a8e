import type { AccountConfig } from '../../model/account.ts';
import type { Portfolio } from './portfolio.ts';
import type { Valuation } from './valuation.ts';

/**
 * What an account may still commit, before what its open orders hold (`reserved`):
 * - cash account: settled cash (unsettled sale proceeds cannot be spent; no shorting, so no margin);
 * - margin account: multiplier × equity − Σ |position market value|, Reg T's initial margin at
 *   1 / multiplier: with ×2, $100k of equity carries $200k of longs and shorts together.
 * May be negative when prices moved against the account: then it can only reduce its positions.
 */
export function buyingPower(config: Pick<AccountConfig, 'accountType' | 'multiplier'>, portfolio: Portfolio, valuation: Valuation, now: number, reserved: bigint): bigint {
  if (config.accountType === 'cash') return portfolio.settledCash(now) - reserved;
  return BigInt(config.multiplier) * valuation.equity - valuation.exposure - reserved;
}
