import type { FillInput } from '../../model/fill.ts';
import { fixedFromNumber } from '../../model/fixed-point.ts';
import type { TradeEligibility } from '../../model/trade-eligibility.ts';
import type { Trade } from '../../model/trade.ts';
import type { AuctionKind, PrintClassifier } from './print-classifier.ts';

/** A trade as the fill model reads it: exact price and size, and what it may do. */
export interface Print {
  readonly symbol: string;
  readonly price: bigint;
  /** 0 when the feed sends no sizes (forex). */
  readonly size: bigint;
  readonly tsEvent: number;
  readonly eligibility: TradeEligibility;
  readonly auction: AuctionKind | null;
  /** What a fill against it names as its lineage (built when asked: most prints fill nothing). */
  readonly input: FillInput;
}

/** `ref` names the trade; a function when naming it costs something. */
export function toPrint(trade: Trade, ref: string | (() => string), classifier: PrintClassifier): Print {
  let input: FillInput | undefined;
  return {
    symbol: trade.symbol,
    price: fixedFromNumber(trade.price),
    size: fixedFromNumber(trade.size),
    tsEvent: trade.tsEvent,
    eligibility: classifier.eligibility(trade),
    auction: classifier.auction(trade),
    get input() {
      return (input ??= { ref: typeof ref === 'string' ? ref : ref(), price: trade.price, size: trade.size, tsEvent: trade.tsEvent });
    },
  };
}

/** A print rebuilt from what an order remembered of it (an auction candidate). */
export function fromInput(symbol: string, input: FillInput, eligibility: TradeEligibility = 'full', auction: AuctionKind | null = null): Print {
  return { symbol, price: fixedFromNumber(input.price), size: fixedFromNumber(input.size), tsEvent: input.tsEvent, eligibility, auction, input };
}
