import { ConfigError } from '../errors.ts';
import type { ClientDeliveryObserver, ClientFanoutStats } from '../observability/metrics.ts';
import { HubClient, type ClientCounters, type ClientLimits, type ClientSocket, type ClientStats, type HubTurn } from './hub-client.ts';
import type { MessageRateLimits } from './message-rate.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { channelOf, type DeliveryChannel, type Endpoint, type NotifyRecord } from './protocol.ts';
import { SubscriptionIndex } from './subscription-index.ts';
import { TextFrame } from './text-frame.ts';

export interface NotificationHubOptions {
  /** Messages a client may have queued once its socket buffer is full (`TICKFLOW_WS_BUFFER`); default 1,000. */
  readonly buffer?: number;
  /** A client's socket is written to while its `bufferedAmount` is below this; default 256 KiB. */
  readonly maxBufferedBytes?: number;
  /** Symbols one `/ws/stream` client may subscribe to (`*` counts as one); default 1,000. */
  readonly maxSymbolsPerClient?: number;
  /** A client whose socket buffer and queue hold more bytes than this is closed with 4009; default 4 MiB. */
  readonly maxOutstandingBytes?: number;
  /** A client with messages queued whose socket took none of them for this long (ms) is closed with 4009; default 10 s. */
  readonly maxUnreadMs?: number;
  /** Messages (and pings) a client may send: `perSecond` on average, `burst` at once; default 10/s, bursts of 50. */
  readonly clientMessages?: MessageRateLimits;
  /**
   * The delivery observer (`TickflowMetrics.clientDelivered`): called once per record fanned out to
   * at least one client's socket, when its frames were handed to the sockets (after the turn's
   * uncork), and once per queued record when it is finally written to a lagging client.
   */
  readonly onDelivered?: ClientDeliveryObserver;
  /** Fan-out work per event-loop turn in `deliverBatch` before it yields (setImmediate); default 10 ms. */
  readonly turnBudgetMs?: number;
  /** Under overload, a trade that waited longer than this in the hub's backlog is shed (not sent to anyone); default 500 ms. */
  readonly maxLagMs?: number;
}

export const NOTIFICATION_HUB_DEFAULTS = {
  buffer: 1_000,
  maxBufferedBytes: 256 * 1024,
  maxSymbolsPerClient: 1_000,
  maxOutstandingBytes: 4 * 1024 * 1024,
  maxUnreadMs: 10_000,
  clientMessages: { perSecond: 10, burst: 50 },
  turnBudgetMs: 10,
  maxLagMs: 500,
} as const;

/** While the hub stays behind, clients are told about shed trades at most this often (and when it has caught up). */
const SHED_NOTICE_MS = 1_000;

/** How the hub copes with more fan-out than one event-loop turn's budget (see PROTOCOL.md, Overload). */
export interface NotificationHubOverload {
  /** Records handed to the hub and not fanned out yet. */
  readonly backlog: number;
  /** Turns the fan-out yielded the event loop in, with work left. */
  readonly deferredTurns: number;
  /** Trades shed for every client because they waited past `maxLagMs`. */
  readonly shedTrades: number;
  /** Bars and window metrics replaced in the backlog by a newer one of the same key. */
  readonly backlogConflated: number;
  /** The longest a record fanned out from the backlog had waited there, in ms. */
  readonly maxWaitMs: number;
}

export type NotificationHubStats = ClientFanoutStats;

/** A record handed to the hub that it could not fan out within its turn yet. */
interface BacklogEntry {
  record: NotifyRecord;
  /** Conflation key of a bar or window metrics; `null` for everything else. */
  readonly key: string | null;
  /** `performance.now()` when the record was handed to the hub. */
  readonly at: number;
}

/**
 * The clients of one process and the way records reach them. `deliver` hands a record to every
 * interested client and returns at once: it never awaits a socket, so no client can slow the
 * pipeline or another client down (see HubClient for the per-client bound).
 *
 * `deliverBatch` is the bus path: it fans a batch out in turns, each with every touched client's
 * socket corked once and uncorked once at its end (a turn's frames for one client: one writev),
 * and bounds each turn's work by `turnBudgetMs`: past it, the rest waits in the hub's backlog and
 * the fan-out continues after the event loop had its turn (setImmediate). Under sustained
 * overload, trades that waited past `maxLagMs` are shed and queued bars and metrics conflated.
 */
export class NotificationHub {
  readonly #limits: ClientLimits;
  readonly #onDelivered: ClientDeliveryObserver | undefined;
  readonly #index = new SubscriptionIndex<HubClient>();
  readonly #clients: Record<Endpoint, Set<HubClient>> = { notifications: new Set(), stream: new Set() };
  readonly #totals: ClientCounters = { delivered: 0, dropped: 0, conflated: 0 };
  readonly #turn: HubTurn = { corked: null, observeEachWrite: false, sendPerClient: false };
  readonly #turnBudgetMs: number;
  readonly #maxLagMs: number;
  /**
   * Records handed to the hub while it was still fanning out earlier ones (overload only: in normal
   * operation a batch is fanned out in the turn it arrives and this stays empty). Whenever it is
   * not empty, `#continue` is scheduled or running.
   */
  readonly #backlog = new KeyedQueue<BacklogEntry>();
  /** Records written in the current turn, observed once it is uncorked. */
  #observed: { record: NotifyRecord; channel: DeliveryChannel }[] = [];
  /** Set while `#continue` fans out the backlog through `deliver`, which must not queue those records again. */
  #draining = false;
  #scheduled = false;
  /** What ending a turn (uncorking: the writev calls and their callbacks) took lately, in ms: taken off the next turn's fan-out budget. */
  #endCostMs = 0;
  /** Shed trades per symbol that their subscribers have not been told about yet. */
  #shed = new Map<string, number>();
  #lastShedNotice = 0;
  #overload = { deferredTurns: 0, shedTrades: 0, backlogConflated: 0, maxWaitMs: 0 };
  #closedBy = { slow: 0, unread: 0, rate: 0 };
  #ids = 0;

  constructor(options: NotificationHubOptions = {}) {
    const buffer = options.buffer ?? NOTIFICATION_HUB_DEFAULTS.buffer;
    const maxBufferedBytes = options.maxBufferedBytes ?? NOTIFICATION_HUB_DEFAULTS.maxBufferedBytes;
    const maxSymbols = options.maxSymbolsPerClient ?? NOTIFICATION_HUB_DEFAULTS.maxSymbolsPerClient;
    const maxOutstandingBytes = options.maxOutstandingBytes ?? NOTIFICATION_HUB_DEFAULTS.maxOutstandingBytes;
    const maxUnreadMs = options.maxUnreadMs ?? NOTIFICATION_HUB_DEFAULTS.maxUnreadMs;
    const messages = options.clientMessages ?? NOTIFICATION_HUB_DEFAULTS.clientMessages;
    const integers = { buffer, maxBufferedBytes, maxSymbols, maxOutstandingBytes, maxUnreadMs, 'clientMessages.burst': messages.burst };
    for (const [name, value] of Object.entries(integers)) {
      if (!Number.isInteger(value) || value < 1) throw new ConfigError(`NotificationHub: ${name} must be a positive integer (got ${value})`);
    }
    if (!Number.isFinite(messages.perSecond) || messages.perSecond <= 0) throw new ConfigError(`NotificationHub: clientMessages.perSecond must be a positive number (got ${messages.perSecond})`);
    this.#limits = { buffer, maxBufferedBytes, maxSymbols, maxOutstandingBytes, maxUnreadMs, messages };
    this.#onDelivered = options.onDelivered;
    this.#turnBudgetMs = options.turnBudgetMs ?? NOTIFICATION_HUB_DEFAULTS.turnBudgetMs;
    this.#maxLagMs = options.maxLagMs ?? NOTIFICATION_HUB_DEFAULTS.maxLagMs;
    for (const [name, value] of Object.entries({ turnBudgetMs: this.#turnBudgetMs, maxLagMs: this.#maxLagMs })) {
      if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`NotificationHub: ${name} must be a positive number (got ${value})`);
    }
  }

  /**
   * Observe every write instead of once per record: the behaviour before batching, ~15 % of the
   * fan-out's cost; for comparisons only (bench/fanout.ts's "before" until shared frames).
   */
  get observeEachWrite(): boolean {
    return this.#turn.observeEachWrite;
  }

  set observeEachWrite(value: boolean) {
    this.#turn.observeEachWrite = value;
  }

  /**
   * Every message through each client's `socket.send`, framed per client by ws, instead of one
   * frame per record written to all its clients; for bench/fanout.ts's before/after comparison only.
   */
  get sendPerClient(): boolean {
    return this.#turn.sendPerClient;
  }

  set sendPerClient(value: boolean) {
    this.#turn.sendPerClient = value;
  }

  /** Registers a connected socket; call `disconnect` when it closes. */
  connect(endpoint: Endpoint, socket: ClientSocket): HubClient {
    const client = new HubClient({
      id: ++this.#ids,
      endpoint,
      socket,
      limits: this.#limits,
      index: this.#index,
      totals: this.#totals,
      onDelivered: this.#onDelivered,
      turn: this.#turn,
      onClose: (closed, reason) => {
        this.#closedBy[reason]++;
        this.#clients[closed.endpoint].delete(closed);
      },
    });
    this.#clients[endpoint].add(client);
    return client;
  }

  disconnect(client: HubClient): void {
    client.detach();
    this.#clients[client.endpoint].delete(client);
  }

  /**
   * Hands `record` to every client that wants it. Synchronous; never throws because of a client.
   * While the hub has a backlog (overload), the record joins it, behind the records before it.
   */
  deliver(record: NotifyRecord): void {
    if (this.#backlog.size > 0 && !this.#draining) {
      this.#enqueue(record, performance.now());
      return;
    }
    const channel = channelOf(record);
    let frame: TextFrame | null = null;
    const encoded = (): TextFrame => (frame ??= TextFrame.json(record));
    let written = false;
    if (channel === 'signals' || channel === 'alerts') {
      for (const client of this.#clients.notifications) written = client.offer(record, encoded(), channel, null) || written;
    } else {
      const key = conflationKey(record);
      this.#index.forEach(record.symbol, channel, (client) => {
        written = client.offer(record, encoded(), channel, key) || written;
      });
    }
    if (!written || !this.#onDelivered || this.#turn.observeEachWrite) return;
    if (this.#turn.corked !== null) this.#observed.push({ record, channel });
    else this.#onDelivered(record, channel);
  }

  /**
   * Hands a bus batch to the clients, in order, as `deliver` would one by one, but in corked turns
   * of at most `turnBudgetMs` (see the class comment). Returns at once; what did not fit in this
   * turn continues after the event loop had its turn. Each record goes through `deliver`.
   */
  deliverBatch(records: readonly NotifyRecord[]): void {
    const now = performance.now();
    if (this.#backlog.size > 0 || this.#turn.corked !== null) {
      for (const record of records) this.#enqueue(record, now);
      this.#schedule();
      return;
    }
    const deadline = now + this.#fanOutBudget();
    let next = 0;
    this.#beginTurn();
    try {
      // The clock is read every 8 records: a record costs microseconds per client.
      while (next < records.length && ((next & 7) !== 0 || performance.now() < deadline)) this.deliver(records[next++]!);
    } finally {
      this.#endTurn();
    }
    if (next === records.length) return;
    for (; next < records.length; next++) this.#enqueue(records[next]!, now);
    this.#overload.deferredTurns++;
    this.#schedule();
  }

  /** The overload state: backlog, deferred turns, shed trades (see PROTOCOL.md, Overload). */
  overload(): NotificationHubOverload {
    return { backlog: this.#backlog.size, ...this.#overload };
  }

  /** Lets every client write what its socket can take now (the heartbeat calls it). */
  flush(): void {
    for (const clients of Object.values(this.#clients)) for (const client of clients) client.flush();
  }

  stats(): NotificationHubStats {
    return {
      notificationClients: this.#clients.notifications.size,
      streamClients: this.#clients.stream.size,
      ...this.#totals,
      slowClosed: this.#closedBy.slow,
      unreadClosed: this.#closedBy.unread,
      rateClosed: this.#closedBy.rate,
    };
  }

  /** Queues the record behind the backlog; a bar or window metrics replaces a queued one with the same key in place. */
  #enqueue(record: NotifyRecord, at: number): void {
    const key = conflationKey(record);
    const queued = key === null ? undefined : this.#backlog.get(key);
    if (queued) {
      queued.record = record;
      this.#overload.backlogConflated++;
    } else {
      this.#backlog.push({ record, key, at });
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#backlog.size === 0) return;
    this.#scheduled = true;
    setImmediate(this.#continue);
  }

  /** One turn of backlog: fan out until the budget is spent, shedding the trades that waited too long. */
  readonly #continue = (): void => {
    this.#scheduled = false;
    const started = performance.now();
    const deadline = started + this.#fanOutBudget();
    let now = started;
    let handled = 0;
    this.#beginTurn();
    this.#draining = true;
    try {
      while (this.#backlog.size > 0 && now < deadline) {
        const entry = this.#backlog.shift()!;
        const waited = now - entry.at;
        if (entry.record.type === 'trade' && waited > this.#maxLagMs) {
          this.#overload.shedTrades++;
          this.#shed.set(entry.record.symbol, (this.#shed.get(entry.record.symbol) ?? 0) + 1);
        } else {
          if (waited > this.#overload.maxWaitMs) this.#overload.maxWaitMs = waited;
          this.deliver(entry.record);
        }
        if ((++handled & 7) === 0) now = performance.now();
      }
    } finally {
      this.#draining = false;
      this.#endTurn();
    }
    if (this.#backlog.size > 0) {
      this.#overload.deferredTurns++;
      this.#schedule();
    }
  };

  /** The turn's budget less what ending it (uncorking) costs: the whole turn stays within `turnBudgetMs`. */
  #fanOutBudget(): number {
    return Math.max(this.#turnBudgetMs / 4, this.#turnBudgetMs - this.#endCostMs);
  }

  #beginTurn(): void {
    this.#turn.corked = [];
  }

  /** Tells clients about shed trades (when due), uncorks every socket the turn touched, then observes. */
  #endTurn(): void {
    const started = performance.now();
    if (this.#shed.size > 0 && (this.#backlog.size === 0 || started - this.#lastShedNotice >= SHED_NOTICE_MS)) {
      this.#lastShedNotice = started;
      this.#tellShed();
    }
    const corked = this.#turn.corked ?? [];
    this.#turn.corked = null;
    for (const client of corked) client.uncork();
    const observed = this.#observed;
    this.#observed = [];
    for (const { record, channel } of observed) this.#onDelivered?.(record, channel);
    this.#endCostMs = 0.8 * this.#endCostMs + 0.2 * (performance.now() - started);
  }

  /** Each `/ws/stream` client subscribed to the shed trades' symbols gets one `lagging` with its count. */
  #tellShed(): void {
    const perClient = new Map<HubClient, number>();
    for (const [symbol, count] of this.#shed) {
      this.#index.forEach(symbol, 'trades', (client) => void perClient.set(client, (perClient.get(client) ?? 0) + count));
    }
    this.#shed = new Map();
    for (const [client, count] of perClient) client.noteShed(count);
  }

  /** Per-client counters, for diagnostics and tests. */
  clients(): ClientStats[] {
    return [...this.#clients.notifications, ...this.#clients.stream].map((client) => client.stats());
  }
}

/** Bars and window metrics conflate per symbol, channel and interval; trades never. */
function conflationKey(record: NotifyRecord): string | null {
  if (record.type === 'bar') return `bars\u0000${record.symbol}\u0000${record.interval}`;
  if (record.type === 'window-metrics') return `metrics\u0000${record.symbol}\u0000${record.window}`;
  return null;
}
