/**
 * Wire shapes of Finnhub's WebSocket and REST quote API, shared by the feed and the simulator.
 * See /work/shared/notes/finnhub-protocol.md for where each fact comes from.
 */

/** One trade in a `trade` frame. No trade id exists; `t` is Unix ms and not monotonic. */
export interface FinnhubTradeEntry {
  /** Symbol: `AAPL`, `OANDA:EUR_USD`, `BINANCE:BTCUSDT`. */
  readonly s: string;
  readonly p: number;
  /** Unix milliseconds. */
  readonly t: number;
  /** 0 for forex price updates, fractional for crypto. */
  readonly v: number;
  /** Condition codes as strings; `[]`, `null` (crypto) or absent (older traffic). */
  readonly c?: readonly string[] | null;
}

export interface FinnhubTradeFrame {
  readonly type: 'trade';
  readonly data: readonly FinnhubTradeEntry[];
}

/** Sent roughly every 1–2 minutes; no pong is expected. */
export interface FinnhubPingFrame {
  readonly type: 'ping';
}

export interface FinnhubErrorFrame {
  readonly type: 'error';
  readonly msg: string;
}

export interface FinnhubNewsItem {
  readonly category: string;
  /** Unix seconds. */
  readonly datetime: number;
  readonly headline: string;
  readonly id: number;
  readonly related: string;
  readonly source: string;
  readonly summary: string;
  readonly url: string;
}

export interface FinnhubNewsFrame {
  readonly type: 'news';
  readonly data: readonly FinnhubNewsItem[];
}

export type FinnhubServerFrame = FinnhubTradeFrame | FinnhubPingFrame | FinnhubErrorFrame | FinnhubNewsFrame;

export type FinnhubClientFrameType = 'subscribe' | 'unsubscribe' | 'subscribe-news' | 'unsubscribe-news';

/** What a client sends; Finnhub never acknowledges it. */
export interface FinnhubClientFrame {
  readonly type: FinnhubClientFrameType;
  readonly symbol: string;
}

/** The `msg` of the error frame Finnhub sends when a subscription exceeds the plan's symbol cap. */
export const FINNHUB_SYMBOL_LIMIT_MSG = 'Subscribing to too many symbols';

export const FINNHUB_DEFAULT_WS_URL = 'wss://ws.finnhub.io';

/** Symbols a free key may stream at once, as measured by users (not documented). */
export const FINNHUB_FREE_SYMBOL_LIMIT = 50;

export function clientFrame(type: FinnhubClientFrameType, symbol: string): string {
  const frame: FinnhubClientFrame = { type, symbol };
  return JSON.stringify(frame);
}

/** `GET /api/v1/quote`. An unknown symbol answers 200 with `FINNHUB_EMPTY_QUOTE`. */
export interface FinnhubQuote {
  /** Current price. */
  readonly c: number;
  /** Change from the previous close; `null` for an unknown symbol. */
  readonly d: number | null;
  /** Change in percent; `null` for an unknown symbol. */
  readonly dp: number | null;
  readonly h: number;
  readonly l: number;
  readonly o: number;
  /** Previous close. */
  readonly pc: number;
  /** Unix **seconds**. */
  readonly t: number;
}

export const FINNHUB_EMPTY_QUOTE: FinnhubQuote = { c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 };

/** Text body of Finnhub's HTTP 429. */
export const FINNHUB_RATE_LIMIT_BODY = 'API limit reached. Please try again later. Remaining Limit: 0';
