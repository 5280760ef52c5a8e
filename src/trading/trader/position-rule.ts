import type { SignalSide } from '../../model/signal.ts';

/**
 * Which positions a trader may hold: `long-only` never goes short (a sell signal only closes a
 * long); `long-short` may. One position per symbol: a signal in the direction already held opens
 * nothing more. On the opposite signal the position is closed (`flat`) or, with `long-short` and
 * `reverse`, closed and opened the other way in one order.
 */
export interface PositionRule {
  readonly mode: 'long-only' | 'long-short';
  readonly onOpposite: 'flat' | 'reverse';
}

export const DEFAULT_POSITION_RULE: PositionRule = { mode: 'long-only', onOpposite: 'flat' };

/** What a signal asks of the position, before sizing. */
export type PositionIntent =
  | { readonly action: 'none'; readonly reason: string }
  /** Close the whole position: `qty` > 0, on the signal's side. */
  | { readonly action: 'close'; readonly qty: bigint }
  /**
   * Enter (or add to) a position on the signal's side, after covering `closing` (> 0 for a
   * reversal). `held` is what is already held on that side (> 0 only for a sizing that tops up).
   */
  | { readonly action: 'enter'; readonly closing: bigint; readonly held: bigint };

/**
 * `position` is the signed quantity held (fixed-point; < 0 short). `topsUp`: the sizing aims at a
 * target (`target-percent`), so a signal in the held direction may add up to it.
 */
export function positionIntent(rule: PositionRule, side: SignalSide, position: bigint, topsUp: boolean): PositionIntent {
  const direction = side === 'buy' ? 1n : -1n;
  const held = position * direction;
  if (held > 0n) return topsUp ? { action: 'enter', closing: 0n, held } : { action: 'none', reason: `already ${side === 'buy' ? 'long' : 'short'} (one position per symbol)` };
  if (held < 0n) {
    const qty = -held;
    if (rule.mode === 'long-short' && rule.onOpposite === 'reverse') return { action: 'enter', closing: qty, held: 0n };
    return { action: 'close', qty };
  }
  if (side === 'sell' && rule.mode === 'long-only') return { action: 'none', reason: 'long-only: a sell signal with no position opens nothing' };
  return { action: 'enter', closing: 0n, held: 0n };
}
