import { decimalProblem } from './fixed-point.ts';
import { isFiniteNumber, isNonEmptyString } from './guards.ts';
import { ORDER_SIDES, type OrderSide } from './order.ts';

/**
 * One execution of a paper order against one print of the tape: what Alpaca reports as a `FILL`
 * activity (same field names), plus the fee and the lineage. Quantities and money are decimal strings.
 */
export interface Fill {
  readonly type: 'fill';
  /** The execution id (`execution_id` on the trade-updates stream). */
  readonly id: string;
  readonly account_id: string;
  readonly order_id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: string;
  readonly price: string;
  /** Every fee of this fill (commission and regulatory), in dollars. */
  readonly fee: string;
  /** The order's filled quantity after this fill, and what is left of it. */
  readonly cum_qty: string;
  readonly leaves_qty: string;
  /** The account's position in the symbol after this fill (signed: negative is short). */
  readonly position_qty: string;
  /** `maker` when a resting limit order was filled, `taker` otherwise (percent fee models price them apart). */
  readonly liquidity: 'maker' | 'taker';
  /** Event time of the fill, Unix ms. */
  readonly transaction_time: number;
  /** The print(s) it filled against. */
  readonly lineage: readonly FillInput[];
}

/** A print a fill executed against: enough to find it again and to check the fill against it. */
export interface FillInput {
  /** Names the trade: `source:seq` (tradeId), or `topic[partition]@offset` when the processor knows it. */
  readonly ref: string;
  readonly price: number;
  readonly size: number;
  readonly tsEvent: number;
}

/** Checks a fill read from the bus before it is trusted. Returns it, or why not. */
export function validateFill(value: unknown): Fill | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.type !== 'fill') return `unknown record type ${JSON.stringify(r.type)}`;
  for (const field of ['id', 'account_id', 'order_id', 'symbol'] as const) if (!isNonEmptyString(r[field])) return `${field} missing`;
  if (!(ORDER_SIDES as readonly unknown[]).includes(r.side)) return 'side must be "buy" or "sell"';
  if (r.liquidity !== 'maker' && r.liquidity !== 'taker') return 'liquidity must be "maker" or "taker"';
  if (!isFiniteNumber(r.transaction_time)) return 'transaction_time must be a number';
  const problem =
    decimalProblem('qty', r.qty, { positive: true }) ??
    decimalProblem('price', r.price, { positive: true }) ??
    decimalProblem('fee', r.fee, { nonNegative: true }) ??
    decimalProblem('cum_qty', r.cum_qty, { positive: true }) ??
    decimalProblem('leaves_qty', r.leaves_qty, { nonNegative: true }) ??
    decimalProblem('position_qty', r.position_qty);
  if (problem) return problem;
  if (!Array.isArray(r.lineage) || r.lineage.length === 0) return 'lineage must be a non-empty array';
  for (const [index, input] of (r.lineage as unknown[]).entries()) {
    const inputProblem = fillInputProblem(input);
    if (inputProblem) return `lineage[${index}]: ${inputProblem}`;
  }
  return value as Fill;
}

function fillInputProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const input = value as Record<string, unknown>;
  if (!isNonEmptyString(input.ref)) return 'ref missing';
  if (!isFiniteNumber(input.price) || input.price <= 0) return 'price must be a positive number';
  if (!isFiniteNumber(input.size) || input.size < 0) return 'size must be a number ≥ 0';
  if (!isFiniteNumber(input.tsEvent)) return 'tsEvent must be a number';
  return undefined;
}
