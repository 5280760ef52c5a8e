import type { AlertFiring } from '../model/alert.ts';
import type { Bar } from '../model/bar.ts';
import type { WindowMetrics } from '../model/metrics.ts';
import type { TradingSignal } from '../model/signal.ts';
import type { Trade } from '../model/trade.ts';

/**
 * The WebSocket protocol's vocabulary (PROTOCOL.md in this directory): the two endpoints, the
 * channels of `/ws/stream`, the records the hub delivers and the messages a client may send.
 */
export type Endpoint = 'notifications' | 'stream';

export const STREAM_CHANNELS = ['bars', 'metrics', 'trades'] as const;
export type StreamChannel = (typeof STREAM_CHANNELS)[number];

/** What the metrics observer is told a record was delivered on. */
export type DeliveryChannel = StreamChannel | 'signals' | 'alerts';

export type StreamRecord = Trade | Bar | WindowMetrics;
export type NotificationRecord = TradingSignal | AlertFiring;
export type NotifyRecord = StreamRecord | NotificationRecord;

/** `*` subscribes to every symbol. */
export const ALL_SYMBOLS = '*';

/** The subprotocol every client may ask for; the server answers with it. */
export const SUBPROTOCOL = 'tickflow.v1';

export function channelOf(record: NotifyRecord): DeliveryChannel {
  switch (record.type) {
    case 'trade':
      return 'trades';
    case 'bar':
      return 'bars';
    case 'window-metrics':
      return 'metrics';
    case 'signal':
      return 'signals';
    case 'alert':
      return 'alerts';
  }
}

export interface SubscriptionOp {
  readonly op: 'subscribe' | 'unsubscribe';
  readonly symbols: readonly string[];
  readonly channels: readonly StreamChannel[];
}

/** Printable ASCII without spaces: `AAPL`, `BRK.B`, `OANDA:EUR_USD`, `^GSPC`, `*`. */
const SYMBOL = /^[\x21-\x7e]{1,64}$/;

/**
 * Parses one client message on `/ws/stream`. Returns the operation, or the text of the error message
 * the client gets (the socket stays open either way).
 */
export function parseClientMessage(text: string): SubscriptionOp | string {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return 'not JSON: every message is one JSON object, e.g. {"op":"subscribe","symbols":["AAPL"]}';
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'a message must be a JSON object with an "op"';
  const { op, symbols, channels } = message as Record<string, unknown>;
  if (op !== 'subscribe' && op !== 'unsubscribe') return `unknown op ${JSON.stringify(op) ?? 'undefined'}: must be "subscribe" or "unsubscribe"`;
  if (!Array.isArray(symbols) || symbols.length === 0) return `"symbols" must be a non-empty array of symbols (or ["*"])`;
  for (const symbol of symbols) {
    if (typeof symbol !== 'string' || !SYMBOL.test(symbol)) return `bad symbol ${JSON.stringify(symbol)?.slice(0, 80)}: 1 to 64 printable characters, no spaces`;
  }
  let chosen: readonly StreamChannel[] = STREAM_CHANNELS;
  if (channels !== undefined) {
    if (!Array.isArray(channels) || channels.length === 0) return `"channels" must be a non-empty array of ${STREAM_CHANNELS.join(', ')}`;
    for (const channel of channels) {
      if (!(STREAM_CHANNELS as readonly unknown[]).includes(channel)) return `unknown channel ${JSON.stringify(channel)?.slice(0, 80)}: must be one of ${STREAM_CHANNELS.join(', ')}`;
    }
    chosen = [...new Set(channels as StreamChannel[])];
  }
  return { op, symbols: [...new Set(symbols as string[])], channels: chosen };
}

/** Symbols per channel that a subscribe added or an unsubscribe removed; channels with none are absent. */
export type SubscriptionChange = { [channel in StreamChannel]?: string[] };

/** Server → client control messages (the records themselves travel as they are). */
export type ServerMessage =
  | { readonly type: 'hello'; readonly endpoint: Endpoint; readonly instance: string; readonly heartbeatMs: number }
  /** The answer to a subscribe or unsubscribe: what it changed (not the whole set, which can be large) and how many symbols are subscribed now. */
  | { readonly type: 'subscribed'; readonly added: SubscriptionChange; readonly removed: SubscriptionChange; readonly symbols: number }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'lagging'; readonly dropped: number };
