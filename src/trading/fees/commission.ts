import { divRound, maxFixed, minFixed, mulFixed, parseFixed } from '../../model/fixed-point.ts';
import type { FeeModelConfig } from '../../model/account.ts';

/** What an order has filled so far and what this fill adds (fixed point). */
export interface CommissionBasis {
  readonly qtyBefore: bigint;
  readonly valueBefore: bigint;
  readonly paidBefore: bigint;
  readonly qty: bigint;
  readonly value: bigint;
  readonly liquidity: 'maker' | 'taker';
}

const BPS_DENOMINATOR = 10_000n;
const PERCENT_DENOMINATOR = 100n;

/**
 * The commission of one fill:
 * - `zero`: nothing (Alpaca's own commission-free pricing);
 * - `per-share`: priced on the order as a whole, like the broker schedules it models (the minimum is per
 *   order, not per partial fill): `min(max(perShare × qty, minimum), maximumPercent % × value)` on the
 *   order's filled total, less what earlier fills of the order already paid;
 * - `percent`: maker or taker basis points of the fill's value, rounded up to the billionth.
 */
export function commission(model: FeeModelConfig, basis: CommissionBasis): bigint {
  switch (model.model) {
    case 'zero':
      return 0n;
    case 'per-share': {
      const qty = basis.qtyBefore + basis.qty;
      const value = basis.valueBefore + basis.value;
      const perShare = mulFixed(parseFixed(model.perShare)!, qty, 'ceil');
      const cap = divRound(value * parseFixed(model.maximumPercent)!, PERCENT_DENOMINATOR * 1_000_000_000n, 'floor');
      const total = minFixed(maxFixed(perShare, parseFixed(model.minimum)!), cap);
      return maxFixed(total - basis.paidBefore, 0n);
    }
    case 'percent': {
      const bps = parseFixed(basis.liquidity === 'maker' ? model.makerBps : model.takerBps)!;
      return divRound(basis.value * bps, BPS_DENOMINATOR * 1_000_000_000n, 'ceil');
    }
  }
}
