import type { ClientDeliveryObserver } from '../observability/metrics.ts';
import { frameSinkOf, type FrameSink } from './frame-sink.ts';
import { MessageRate, type MessageRateLimits } from './message-rate.ts';
import { Outbox } from './outbox.ts';
import type { DeliveryChannel, Endpoint, NotifyRecord, ServerMessage, StreamChannel, SubscriptionChange } from './protocol.ts';
import type { SubscriptionIndex } from './subscription-index.ts';
import { TextFrame } from './text-frame.ts';

/** What the hub needs of a socket; `ws`'s WebSocket is one. */
export interface ClientSocket {
  /** Bytes written to the socket but not yet handed to the kernel. */
  readonly bufferedAmount: number;
  readonly readyState: number;
  /** The extensions negotiated (`ws`: `''` for none); shared frames are written only when there are none. */
  readonly extensions?: string;
  send(data: Buffer, options: { binary: boolean }, callback: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  /** Stops reading from the socket (`ws`: pauses the net.Socket underneath). */
  pause?(): void;
  /**
   * The underlying net.Socket (`ws` keeps it there). When present, the hub corks it for a fan-out
   * turn, so the turn's frames for this client leave in one writev; ws has no batching of its own
   * (its maintainers point to `websocket._socket.cork()`/`uncork()`, websockets/ws#1999).
   * Shared frames are written to it too (frame-sink.ts).
   */
  readonly _socket?: (Corkable & Partial<FrameSink>) | null;
}

export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** What the hub shares with its clients about the fan-out turn under way. */
export interface HubTurn {
  /** Clients whose socket is corked in the current turn (uncorked at its end); `null` outside a turn. */
  corked: HubClient[] | null;
  /** Observe every write (the behaviour before batching, for comparison) instead of once per record. */
  observeEachWrite: boolean;
  /** Every message through `socket.send`, framed per client (the behaviour before shared frames, for comparison). */
  sendPerClient: boolean;
}

const OPEN = 1;

/** Close code for a client too far behind on `/ws/notifications` (4000–4999: for applications). */
export const SLOW_CONSUMER_CODE = 4008;
/** Close code for a client that leaves too much unread: past the byte bound, or nothing taken for too long. */
export const NOT_READING_CODE = 4009;
/** Close code for a client that keeps sending past its message rate (RFC 6455: policy violation). */
export const POLICY_VIOLATION_CODE = 1008;

/** Why the hub closed a client, for its counters. */
export type ClientCloseReason = 'slow' | 'unread' | 'rate';

export interface ClientLimits {
  /** Keep writing to the socket while its `bufferedAmount` is below this (bytes). */
  readonly maxBufferedBytes: number;
  /** Past that, messages queued per client; trades beyond it are dropped, notifications close the client. */
  readonly buffer: number;
  readonly maxSymbols: number;
  /** The bound on what waits for the client: its socket's `bufferedAmount` plus its queue's bytes. */
  readonly maxOutstandingBytes: number;
  /** A client with messages queued whose socket took nothing for this long (ms) does not read. */
  readonly maxUnreadMs: number;
  /** The client's own messages (control messages and pings). */
  readonly messages: MessageRateLimits;
}

export interface ClientCounters {
  delivered: number;
  dropped: number;
  conflated: number;
}

export interface ClientStats {
  readonly id: number;
  readonly endpoint: Endpoint;
  readonly delivered: number;
  readonly dropped: number;
  readonly conflated: number;
  readonly queued: number;
  readonly symbols: number;
}

export interface HubClientContext {
  readonly id: number;
  readonly endpoint: Endpoint;
  readonly socket: ClientSocket;
  readonly limits: ClientLimits;
  readonly index: SubscriptionIndex<HubClient>;
  /** The hub's totals, added to as this client's own are. */
  readonly totals: ClientCounters;
  readonly onDelivered: ClientDeliveryObserver | undefined;
  readonly turn: HubTurn;
  /** Called once when the hub closes the client (slow consumer, not reading, over its message rate). */
  readonly onClose: (client: HubClient, reason: ClientCloseReason) => void;
}

/**
 * One connected client: its subscriptions and its bounded way to the socket. Writes go straight to
 * the socket while its `bufferedAmount` is under the bound; past it they queue in the outbox (bars
 * and metrics conflated, trades beyond the bound dropped, notifications beyond it closing the
 * client), and the outbox drains from the socket's write callbacks. Nothing here ever waits.
 * Whatever the queue's rules, a client is closed with 4009 once its socket's buffer and queue hold
 * more than `maxOutstandingBytes`, or once it had messages queued and its socket took none of
 * them for `maxUnreadMs`: a client that sends but never reads is dropped.
 */
export class HubClient {
  readonly id: number;
  readonly endpoint: Endpoint;
  readonly #context: HubClientContext;
  readonly #outbox = new Outbox();
  readonly #subscriptions = new Map<string, Set<StreamChannel>>();
  readonly #counters: ClientCounters = { delivered: 0, dropped: 0, conflated: 0 };
  readonly #rate: MessageRate;
  /** Where shared frames go; `null`: through `socket.send` (see frame-sink.ts for when). */
  readonly #sink: FrameSink | null;
  #closed = false;
  #corked: Corkable | null = null;
  /** When messages began to queue with no write completed since (performance.now()); `null`: the socket takes what it is given. */
  #unreadSince: number | null = null;
  // One bound callback per client, not a closure per send.
  readonly #written = (error?: Error | null): void => {
    if (error) return;
    this.#unreadSince = null;
    this.#drain();
  };

  constructor(context: HubClientContext) {
    this.#context = context;
    this.id = context.id;
    this.endpoint = context.endpoint;
    this.#rate = new MessageRate(context.limits.messages, performance.now());
    this.#sink = frameSinkOf(context.socket);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Offers a record to this client; `message` is its JSON frame, built once for every client. Returns
   * true when it was written to the socket now (the hub then observes its latency once per record),
   * false when it was queued, conflated or dropped.
   */
  offer(record: NotifyRecord, message: TextFrame, channel: DeliveryChannel, key: string | null): boolean {
    if (this.#closed) return false;
    if (this.#writable()) return this.#write(message, record, channel, true);
    const { limits } = this.#context;
    if (key !== null && this.#outbox.conflate(key, message, record)) {
      this.#count('conflated');
      this.#checkUnread();
      return false;
    }
    if (key === null && this.#outbox.size >= limits.buffer) {
      if (this.endpoint === 'notifications') {
        this.#slowClose();
      } else {
        this.#count('dropped');
        this.#outbox.noteDropped();
      }
      return false;
    }
    // A conflatable record with a key not yet queued always gets a place: there are at most
    // symbols × (bar intervals + 1) such keys per client.
    this.#outbox.push({ message, record, channel, key });
    this.#checkUnread();
    return false;
  }

  /**
   * `count` trades this `/ws/stream` client would have got were shed by the hub under overload:
   * counted as dropped and told with a `lagging` notice, merged into the one already pending.
   */
  noteShed(count: number): void {
    if (this.#closed || this.endpoint !== 'stream' || count <= 0) return;
    this.#count('dropped', count);
    if (this.#writable()) this.#write(TextFrame.json({ type: 'lagging', dropped: count }), null, null, true);
    else this.#outbox.noteDropped(count);
  }

  /** Ends the fan-out turn for this client: its corked frames go to the kernel (one writev). */
  uncork(): void {
    const corked = this.#corked;
    if (!corked) return;
    this.#corked = null;
    try {
      corked.uncork();
    } catch {
      // A socket torn down under us: its close event detaches the client.
    }
  }

  /** A control message (hello, subscribed, error): queued behind records, never dropped or conflated. */
  send(message: ServerMessage): void {
    if (this.#closed) return;
    const frame = TextFrame.json(message);
    if (this.#writable()) {
      this.#write(frame, null, null, true);
      return;
    }
    // A client that keeps asking while it does not read is a slow consumer too.
    if (this.#outbox.size >= 2 * this.#context.limits.buffer) {
      this.#slowClose();
      return;
    }
    this.#outbox.push({ message: frame, record: null, channel: null, key: null });
    this.#checkUnread();
  }

  /**
   * Counts one message (or ping) from the client against its rate. False when it must not be
   * acted on: past the rate the first is answered with an `error`, the next ones are ignored, and
   * the `burst`-th refused in a row closes the client with 1008.
   */
  admit(): boolean {
    if (this.#closed) return false;
    const verdict = this.#rate.take(performance.now());
    if (verdict === 'accept') return true;
    const { perSecond, burst } = this.#context.limits.messages;
    if (verdict === 'refuse') {
      this.send({
        type: 'error',
        message: `too many messages: at most ${perSecond}/s (bursts of ${burst}); messages are ignored until you slow down, and ${burst} refused in a row close the connection (1008)`,
      });
    } else if (verdict === 'close') {
      this.#closeAs('rate', POLICY_VIOLATION_CODE, `too many messages: over ${perSecond}/s`);
    }
    return false;
  }

  /** Adds subscriptions and returns what was added; an error message (and nothing changed) past the symbol limit. */
  subscribe(symbols: readonly string[], channels: readonly StreamChannel[]): SubscriptionChange | string {
    const added = symbols.filter((symbol) => !this.#subscriptions.has(symbol)).length;
    const limit = this.#context.limits.maxSymbols;
    if (this.#subscriptions.size + added > limit) {
      return `subscription limit: at most ${limit} symbols per client (${this.#subscriptions.size} subscribed, ${added} more asked)`;
    }
    const change: SubscriptionChange = {};
    for (const symbol of symbols) {
      let subscribed = this.#subscriptions.get(symbol);
      if (!subscribed) this.#subscriptions.set(symbol, (subscribed = new Set()));
      for (const channel of channels) {
        if (subscribed.has(channel)) continue;
        subscribed.add(channel);
        this.#context.index.add(symbol, channel, this);
        (change[channel] ??= []).push(symbol);
      }
    }
    return change;
  }

  /** Removes subscriptions and returns what was removed. */
  unsubscribe(symbols: readonly string[], channels: readonly StreamChannel[]): SubscriptionChange {
    const change: SubscriptionChange = {};
    for (const symbol of symbols) {
      const subscribed = this.#subscriptions.get(symbol);
      if (!subscribed) continue;
      for (const channel of channels) {
        if (!subscribed.delete(channel)) continue;
        this.#context.index.remove(symbol, channel, this);
        (change[channel] ??= []).push(symbol);
      }
      if (subscribed.size === 0) this.#subscriptions.delete(symbol);
    }
    return change;
  }

  /** How many symbols the client is subscribed to (on any channel). */
  get symbols(): number {
    return this.#subscriptions.size;
  }

  /** The whole subscription set, channels sorted. */
  subscriptions(): Record<string, StreamChannel[]> {
    const result: Record<string, StreamChannel[]> = {};
    for (const [symbol, channels] of this.#subscriptions) result[symbol] = [...channels].sort();
    return result;
  }

  /** Writes what the socket can take now and closes the client if it stopped reading (the heartbeat calls it). */
  flush(): void {
    this.#drain();
    this.#checkUnread();
  }

  /** Forgets the client: its subscriptions and queue. Idempotent; the socket is the caller's. */
  detach(): void {
    this.#closed = true;
    this.#outbox.clear();
    for (const [symbol, channels] of this.#subscriptions) for (const channel of channels) this.#context.index.remove(symbol, channel, this);
    this.#subscriptions.clear();
  }

  stats(): ClientStats {
    return { id: this.id, endpoint: this.endpoint, ...this.#counters, queued: this.#outbox.size, symbols: this.#subscriptions.size };
  }

  /** Nothing queued and room in the socket's buffer: a message may go straight to the socket. */
  #writable(): boolean {
    return this.#outbox.size === 0 && this.#context.socket.bufferedAmount < this.#context.limits.maxBufferedBytes;
  }

  #drain(): void {
    const { socket, limits } = this.#context;
    while (!this.#closed && this.#outbox.size > 0 && socket.bufferedAmount < limits.maxBufferedBytes) {
      const entry = this.#outbox.shift();
      if (entry) this.#write(entry.message, entry.record, entry.channel, false);
    }
  }

  /**
   * `direct`: written as it was offered, in the hub's fan-out (which observes the record's latency
   * once, not here); otherwise a queued record written later, observed here per write.
   *
   * The one place a message meets the socket, so the one guard: a socket that throws (torn down
   * under us) costs only this message; its close event detaches the client. Nothing that calls
   * this (the hub's fan-out, write callbacks, the heartbeat's flush, a client message) sees it.
   */
  #write(message: TextFrame, record: NotifyRecord | null, channel: DeliveryChannel | null, direct: boolean): boolean {
    const { socket, onDelivered, turn } = this.#context;
    if (socket.readyState !== OPEN) return false;
    try {
      if (turn.corked !== null && this.#corked === null) this.#cork(socket, turn.corked);
      if (this.#sink !== null && !turn.sendPerClient) this.#sink.write(message.frame, this.#written);
      else socket.send(message.payload, { binary: false }, this.#written);
    } catch {
      return false;
    }
    if (record === null || channel === null) return true;
    this.#count('delivered');
    if (!direct || turn.observeEachWrite) onDelivered?.(record, channel);
    return true;
  }

  /** Corks the underlying socket for the rest of the hub's turn (once per client per turn). */
  #cork(socket: ClientSocket, corked: HubClient[]): void {
    const raw = socket._socket;
    if (!raw || typeof raw.cork !== 'function') return;
    raw.cork();
    this.#corked = raw;
    corked.push(this);
  }

  #count(counter: keyof ClientCounters, n = 1): void {
    this.#counters[counter] += n;
    this.#context.totals[counter] += n;
  }

  /** Closes the client with 4009 when what waits for it is over the byte bound, or its socket took nothing for too long. */
  #checkUnread(): void {
    if (this.#closed) return;
    const { socket, limits } = this.#context;
    const outstanding = socket.bufferedAmount + this.#outbox.bytes;
    if (outstanding > limits.maxOutstandingBytes) {
      this.#closeAs('unread', NOT_READING_CODE, `not reading: ${outstanding} bytes unread, at most ${limits.maxOutstandingBytes}`);
      return;
    }
    if (this.#outbox.size === 0) return;
    const now = performance.now();
    this.#unreadSince ??= now;
    if (now - this.#unreadSince > limits.maxUnreadMs) this.#closeAs('unread', NOT_READING_CODE, `not reading: nothing taken for ${limits.maxUnreadMs} ms`);
  }

  #slowClose(): void {
    this.#closeAs('slow', SLOW_CONSUMER_CODE, 'slow consumer');
  }

  #closeAs(reason: ClientCloseReason, code: number, text: string): void {
    this.detach();
    this.#context.onClose(this, reason);
    // The close frame goes out behind what is already buffered; ws destroys the socket if the
    // closing handshake does not finish within its closeTimeout.
    try {
      this.#context.socket.close(code, text);
      // Nothing more is read from a client closed for flooding or not reading: its close reply is
      // not awaited (ws destroys the socket after closeTimeout) and what it still sends stays in
      // the kernel instead of being parsed.
      if (reason !== 'slow') this.#context.socket.pause?.();
    } catch {
      // Torn down already: detached above, so nothing more is owed to it.
    }
  }
}
