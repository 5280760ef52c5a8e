import { divRound, minFixed, mulFixed, parseFixed } from '../../model/fixed-point.ts';
import type { RegulatoryFeesConfig } from '../../model/account.ts';
import type { OrderSide } from '../../model/order.ts';

const CENT = 10_000_000n;
const MILLION = 1_000_000n;

/** Rounded up to the next cent, as brokers pass these fees on. */
export function ceilToCent(amount: bigint): bigint {
  return divRound(amount, CENT, 'ceil') * CENT;
}

/**
 * Fees US regulators charge on sales of US equities (buys pay none): the SEC's Section 31 fee on the
 * value sold and FINRA's Trading Activity Fee per share sold (capped per trade), each rounded up to the
 * cent. Other asset classes pay none.
 */
export function regulatoryFee(config: RegulatoryFeesConfig | null, side: OrderSide, assetClass: string, qty: bigint, value: bigint): bigint {
  if (config === null || side !== 'sell' || assetClass !== 'us_equity') return 0n;
  const sec = ceilToCent(divRound(value * parseFixed(config.secFeePerMillion)!, MILLION * 1_000_000_000n, 'ceil'));
  const taf = ceilToCent(minFixed(mulFixed(qty, parseFixed(config.tafPerShare)!, 'ceil'), parseFixed(config.tafMaximum)!));
  return sec + taf;
}
