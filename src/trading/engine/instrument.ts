/** What the engine needs to know of a symbol to accept orders for it (Alpaca's asset, trimmed). */
export interface Instrument {
  readonly symbol: string;
  /** Alpaca's `asset_class`: `us_equity`, `crypto`, `forex`. Regulatory fees apply to `us_equity`. */
  readonly assetClass: string;
  /** The calendar's market name for its sessions. */
  readonly market: string;
  readonly tradable: boolean;
  /** Quantities in fractions (and notional orders) allowed. */
  readonly fractionable: boolean;
  /** Margin accounts may sell it short. */
  readonly shortable: boolean;
}

/** `null` for a symbol tickflow does not know. */
export type InstrumentLookup = (symbol: string) => Instrument | null;
