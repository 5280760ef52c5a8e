import { mulFixed } from '../../model/fixed-point.ts';

/**
 * How much of a print one account's orders may take together: `participation` of its size, rounded
 * down (to whole shares for instruments that do not trade in fractions). A print is evidence of that
 * much liquidity at that moment, not of more; taking all of it would be filling as if nobody else
 * traded. Per account, not across accounts: paper accounts do not consume each other's liquidity, and a
 * cap shared across accounts would make fills depend on which accounts share an engine instance.
 * `null` (no cap) for feeds without sizes: there is nothing to take a share of.
 */
export function printCapacity(size: bigint, participationFixed: bigint, wholeUnits: boolean): bigint | null {
  if (size === 0n) return null;
  const share = mulFixed(size, participationFixed, 'floor');
  return wholeUnits ? floorToWhole(share) : share;
}

const ONE = 1_000_000_000n;

export function floorToWhole(qty: bigint): bigint {
  return qty - (((qty % ONE) + ONE) % ONE);
}
