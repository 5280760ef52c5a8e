import { divFixed, FIXED_ONE, fixedFromNumber, mulFixed } from '../../model/fixed-point.ts';

/** How big an entry is. Amounts and percentages as configured (`TICKFLOW_TRADERS`); percentages of equity in (0, 100]. */
export type SizingRule =
  | { readonly rule: 'fixed-qty'; readonly qty: number }
  | { readonly rule: 'fixed-notional'; readonly notional: number }
  | { readonly rule: 'percent-of-equity'; readonly percent: number }
  | { readonly rule: 'target-percent'; readonly percent: number };

export interface SizingInput {
  /** The signal's price, fixed-point. */
  readonly price: bigint;
  /** The account's equity, fixed-point. */
  readonly equity: bigint;
  /** What the account already holds in the entry's direction (≥ 0): only `target-percent` counts it. */
  readonly held: bigint;
  /** Fractions of a share allowed; otherwise quantities are whole shares. */
  readonly fractionable: boolean;
  /** The entry may be a notional order (a buy of a fractionable instrument opening a position). */
  readonly notionalAllowed: boolean;
}

/** An entry: a quantity, or dollars (notional) to buy. Both are fixed-point and > 0. */
export type EntrySize = { readonly qty: bigint } | { readonly notional: bigint };

const CENT = FIXED_ONE / 100n;

/**
 * The size of an entry by `rule`, or `null` when it rounds to nothing (never a 0-quantity order).
 * Rounding is always down, so an entry never exceeds what the rule allows: whole shares unless the
 * instrument is fractionable, notional to the cent.
 */
export function entrySize(rule: SizingRule, input: SizingInput): EntrySize | null {
  switch (rule.rule) {
    case 'fixed-qty':
      return qtyOrNull(roundQty(decimal(rule.qty), input.fractionable));
    case 'fixed-notional':
      return fromNotional(decimal(rule.notional), input);
    case 'percent-of-equity':
      return fromNotional(percentOf(input.equity, rule.percent), input);
    case 'target-percent': {
      if (input.price <= 0n) return null;
      const target = roundQty(divFixed(percentOf(input.equity, rule.percent), input.price, 'floor'), input.fractionable);
      return qtyOrNull(target - input.held);
    }
  }
}

/** A configured number (finite, positive) to fixed-point. */
const decimal = fixedFromNumber;

function percentOf(equity: bigint, percent: number): bigint {
  return equity <= 0n ? 0n : mulFixed(equity, decimal(percent) / 100n, 'floor');
}

function fromNotional(notional: bigint, input: SizingInput): EntrySize | null {
  if (input.notionalAllowed) {
    const cents = notional - (notional % CENT);
    return cents > 0n ? { notional: cents } : null;
  }
  if (input.price <= 0n) return null;
  return qtyOrNull(roundQty(divFixed(notional, input.price, 'floor'), input.fractionable));
}

/** Down to whole shares unless fractionable. */
export function roundQty(qty: bigint, fractionable: boolean): bigint {
  if (qty <= 0n) return 0n;
  return fractionable ? qty : qty - (qty % FIXED_ONE);
}

function qtyOrNull(qty: bigint): EntrySize | null {
  return qty > 0n ? { qty } : null;
}

/** `fixed-qty 10`, `percent-of-equity 5%`: for reasons and logs. */
export function describeSizing(rule: SizingRule): string {
  switch (rule.rule) {
    case 'fixed-qty':
      return `fixed-qty ${rule.qty}`;
    case 'fixed-notional':
      return `fixed-notional $${rule.notional}`;
    case 'percent-of-equity':
    case 'target-percent':
      return `${rule.rule} ${rule.percent}%`;
  }
}
