import type { FillInput } from '../../model/fill.ts';
import { fixedCount, fixedFromNumber } from '../../model/fixed-point.ts';
import type { TradeEligibility } from '../../model/trade-eligibility.ts';
import { tradeId, type Trade } from '../../model/trade.ts';
import type { AuctionKind, PrintClassifier } from './print-classifier.ts';

/** A trade as the fill model reads it: exact price and size, and what it may do. */
export interface Print {
  readonly symbol: string;
  readonly price: bigint;
  /** 0 when the feed sends no sizes (forex). */
  readonly size: bigint;
  /** Price and size as `fixedCount`s (billionths as numbers): what the tape keeps, with no bigint per print. */
  readonly priceCount: number;
  readonly sizeCount: number;
  readonly tsEvent: number;
  readonly eligibility: TradeEligibility;
  readonly auction: AuctionKind | null;
  /** What a fill against it names as its lineage (built when asked: most prints fill nothing). */
  readonly input: FillInput;
}

/** `ref` names the trade (default `source:seq`); a function when naming it costs something. */
export function toPrint(trade: Trade, ref: string | (() => string) | null, classifier: PrintClassifier): Print {
  return new TradePrint(trade, ref, classifier);
}

/** Exact amounts and the lineage are made when first asked for: most prints only mark the tape. */
class TradePrint implements Print {
  readonly symbol: string;
  readonly tsEvent: number;
  readonly eligibility: TradeEligibility;
  readonly auction: AuctionKind | null;
  readonly priceCount: number;
  readonly sizeCount: number;
  readonly #trade: Trade;
  readonly #ref: string | (() => string) | null;
  #price: bigint | undefined;
  #size: bigint | undefined;
  #input: FillInput | undefined;

  constructor(trade: Trade, ref: string | (() => string) | null, classifier: PrintClassifier) {
    this.#trade = trade;
    this.#ref = ref;
    this.symbol = trade.symbol;
    this.tsEvent = trade.tsEvent;
    this.eligibility = classifier.eligibility(trade);
    this.auction = classifier.auction(trade);
    this.priceCount = fixedCount(trade.price);
    this.sizeCount = fixedCount(trade.size);
  }

  get price(): bigint {
    return (this.#price ??= fixedFromNumber(this.#trade.price));
  }

  get size(): bigint {
    return (this.#size ??= fixedFromNumber(this.#trade.size));
  }

  get input(): FillInput {
    const trade = this.#trade;
    return (this.#input ??= { ref: this.#ref === null ? tradeId(trade) : typeof this.#ref === 'string' ? this.#ref : this.#ref(), price: trade.price, size: trade.size, tsEvent: trade.tsEvent });
  }
}

/** A print rebuilt from what an order remembered of it (an auction candidate). */
export function fromInput(symbol: string, input: FillInput, eligibility: TradeEligibility = 'full', auction: AuctionKind | null = null): Print {
  const price = fixedFromNumber(input.price);
  const size = fixedFromNumber(input.size);
  return { symbol, price, size, priceCount: Number(price), sizeCount: Number(size), tsEvent: input.tsEvent, eligibility, auction, input };
}
