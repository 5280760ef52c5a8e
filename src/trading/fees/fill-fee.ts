import type { AccountConfig } from '../../model/account.ts';
import type { OrderSide } from '../../model/order.ts';
import { commission, type CommissionBasis } from './commission.ts';
import { regulatoryFee } from './regulatory.ts';

export interface FillFee {
  readonly commission: bigint;
  readonly regulatory: bigint;
}

/** Every fee of one fill under an account's fee configuration. */
export function fillFee(account: Pick<AccountConfig, 'fees' | 'regulatoryFees'>, side: OrderSide, assetClass: string, basis: CommissionBasis): FillFee {
  return { commission: commission(account.fees, basis), regulatory: regulatoryFee(account.regulatoryFees, side, assetClass, basis.qty, basis.value) };
}
