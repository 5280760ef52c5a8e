/**
 * The REST quote port: one provider answers "what is the price of `symbol` now?". Every way an
 * answer can go is an outcome, never a rejection, so callers branch on `kind` instead of catching.
 */
export interface QuoteProvider {
  /** Short, stable name: `finnhub`, `alpha_vantage` (QUOTE_PROVIDER_NAMES). The `source` of the prices it finds. */
  readonly name: string;
  /** Never rejects. An aborted `signal` ends the call with `unavailable`. */
  quote(symbol: string, options?: QuoteOptions): Promise<QuoteOutcome>;
}

/** Every provider's bound on one call, body included. */
export const QUOTE_DEFAULTS = { timeoutMs: 5_000 } as const;

export interface QuoteOptions {
  readonly signal?: AbortSignal;
}

export interface QuoteFound {
  readonly kind: 'found';
  readonly provider: string;
  readonly symbol: string;
  /** Always > 0. */
  readonly price: number;
  /** When the price was valid, Unix ms. */
  readonly timestamp: number;
  /** HTTP status and body text as received, for the raw-response store. */
  readonly status: number;
  readonly body: string;
  /** When the answer arrived, Unix ms. */
  readonly fetchedAt: number;
}

/** The provider answered and does not know the symbol (Finnhub's all-zero quote, Alpha Vantage's empty `Global Quote`). */
export interface QuoteNotFound {
  readonly kind: 'not-found';
  readonly provider: string;
  readonly reason: string;
}

export interface QuoteRateLimited {
  readonly kind: 'rate-limited';
  readonly provider: string;
  /** From the `Retry-After` header when there is one, else the provider's default. Whole seconds ≥ 1. */
  readonly retryAfterSeconds: number;
  readonly reason: string;
}

/** The key is missing, wrong, or not entitled to this endpoint. Retrying will not help. */
export interface QuoteUnauthorized {
  readonly kind: 'unauthorized';
  readonly provider: string;
  readonly reason: string;
}

/** Network error, timeout, 5xx, redirect, unparseable or unexpected body. */
export interface QuoteUnavailable {
  readonly kind: 'unavailable';
  readonly provider: string;
  readonly reason: string;
}

export type QuoteOutcome = QuoteFound | QuoteNotFound | QuoteRateLimited | QuoteUnauthorized | QuoteUnavailable;
export type QuoteFailure = Exclude<QuoteOutcome, QuoteFound>;
