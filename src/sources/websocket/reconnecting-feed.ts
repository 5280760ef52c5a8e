import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import { ConfigError, ERROR_CODES, TickflowError } from '../../errors.ts';
import { deadLetter } from '../../model/dead-letter.ts';
import type { Gap, GapReason } from '../../model/gap.ts';
import { systemClock, type Clock } from '../../clock.ts';
import { redactSecrets, silentLogger, type Logger } from '../../logger.ts';
import type { Source, SourceSink, SourceStatus } from '../source.ts';
import { fullJitterDelay } from '../../backoff.ts';
import type { FeedVenue } from './feed-venue.ts';

export interface ReconnectTuning {
  /** First reconnect delay ceiling; doubles per consecutive failure (full jitter below it). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** A connection that stayed open this long resets the backoff to `backoffBaseMs`. */
  readonly healthyAfterMs?: number;
  /** No frame at all (pings included) for this long → the socket is dead: terminate and reconnect. */
  readonly staleAfterMs?: number;
  readonly handshakeTimeoutMs?: number;
  /** How long `close()` waits for the socket and the sink before giving up on them. */
  readonly closeTimeoutMs?: number;
}

export const RECONNECT_DEFAULTS: Required<ReconnectTuning> = {
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  healthyAfterMs: 30_000,
  // Finnhub pings every 1–2 minutes; 2.5 minutes without a frame means the socket is gone.
  staleAfterMs: 150_000,
  handshakeTimeoutMs: 10_000,
  closeTimeoutMs: 5_000,
};

export interface ReconnectingFeedOptions extends ReconnectTuning {
  /** `Source.name` and the `feed` field of every log line. */
  readonly name: string;
  readonly venue: FeedVenue;
  readonly symbols: readonly string[];
  readonly logger?: Logger;
  /** Stamps `tsRecv` and gap times. Timers (backoff, watchdog) run on real time regardless. */
  readonly clock?: Clock;
  /** Source of jitter; injectable for tests. */
  readonly random?: () => number;
}

export interface FeedStatus extends SourceStatus {
  /** The URL with its secrets masked. */
  readonly url: string;
  readonly subscribed: number;
  /** Whether the socket is paused because the sink has not yet accepted the previous records. */
  readonly paused: boolean;
  /** The last error the venue reported in-band (e.g. a refused subscription); not fatal. */
  readonly lastVenueError: string | null;
  /** Why the last connection attempt failed before it opened (refused, timed out, HTTP 503); `null` once connected. */
  readonly lastConnectError: string | null;
}

type State = 'idle' | 'running' | 'closing' | 'closed' | 'failed';

type WorkItem =
  | { readonly kind: 'frame'; readonly raw: string; readonly tsRecv: number }
  | { readonly kind: 'gap'; readonly reason: GapReason; readonly symbols: readonly string[]; readonly ts: number };

interface AttemptOutcome {
  readonly fatal: TickflowError | null;
}

/**
 * A venue-agnostic WebSocket `Source` that stays connected: exponential backoff with full jitter,
 * resubscription on every connect, a stale-socket watchdog, backpressure (the socket is paused while
 * the sink has not accepted the previous records) and in-band `Gap` records per subscribed symbol on
 * every disconnect, stale socket and shutdown. Everything venue-specific comes from a `FeedVenue`.
 *
 * Frames and gaps pass through one FIFO queue, so a gap always follows the last trade of the socket
 * it closes, and records reach the sink in the order the venue sent them.
 */
export class ReconnectingFeed implements Source {
  readonly name: string;
  readonly done: Promise<void>;

  readonly #venue: FeedVenue;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #tuning: Required<ReconnectTuning>;
  readonly #symbols: Set<string>;

  #state: State = 'idle';
  #sink: SourceSink | null = null;
  #ws: WebSocket | null = null;
  #connected = false;
  #loop: Promise<void> = Promise.resolve();
  #closing: Promise<void> | null = null;
  #resolveDone!: () => void;
  #rejectDone!: (error: Error) => void;
  #firstAttempt: PromiseWithResolvers<void> = Promise.withResolvers();

  /** Consecutive failed connections since the last healthy one; drives the backoff. */
  #failures = 0;
  #attempts = 0;
  #rejects = 0;
  #records = 0;
  #lastMessageAt: number | null = null;
  #fatalError: string | null = null;
  #lastVenueError: string | null = null;
  #lastConnectError: string | null = null;
  readonly #noticesThisConnection = new Set<string>();

  /** Monotonic time of the last sign of life, for the watchdog (immune to wall-clock steps). */
  #lastActivity = 0;
  #watchdog: NodeJS.Timeout | null = null;
  #staleFired = false;
  #backoffTimer: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;

  readonly #queue: WorkItem[] = [];
  #draining: Promise<void> | null = null;

  constructor(options: ReconnectingFeedOptions) {
    this.name = options.name;
    this.#venue = options.venue;
    this.#log = (options.logger ?? silentLogger()).child({ feed: options.name });
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#tuning = { ...RECONNECT_DEFAULTS, ...definedOnly(options) };
    this.#symbols = new Set(options.symbols);
    for (const [key, value] of Object.entries(this.#tuning)) {
      if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${options.name}: ${key} must be a number ≥ 0, got ${value}`);
    }
    if (this.#tuning.backoffMaxMs < this.#tuning.backoffBaseMs) throw new ConfigError(`${options.name}: backoffMaxMs must be ≥ backoffBaseMs`);
    if (this.#tuning.staleAfterMs === 0) throw new ConfigError(`${options.name}: staleAfterMs must be > 0`);
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // `done` rejects on a fatal error whether or not anyone awaits it yet; the status carries it too.
    this.done.catch(() => {});
  }

  async start(sink: SourceSink): Promise<void> {
    if (this.#state !== 'idle') throw new TickflowError(ERROR_CODES.USAGE, `${this.name}: start() called twice`);
    this.#sink = sink;
    this.#state = 'running';
    this.#loop = this.#run().catch((error: unknown) => this.#fail(asError(error)));
    // Resolve once the first connection attempt has settled, so callers see `connected` or a failure.
    await this.#firstAttempt.promise;
  }

  /** `reconnects` counts connection attempts after the first one, so a retry loop shows as it happens. */
  status(): FeedStatus {
    return {
      name: this.name,
      connected: this.#connected,
      reconnects: Math.max(0, this.#attempts - 1),
      rejects: this.#rejects,
      records: this.#records,
      lastMessageAt: this.#lastMessageAt,
      fatalError: this.#fatalError,
      url: this.#venue.redactedUrl,
      subscribed: this.#symbols.size,
      paused: this.#draining !== null,
      lastVenueError: this.#lastVenueError,
      lastConnectError: this.#lastConnectError,
    };
  }

  /** Symbols the feed subscribes to, in subscription order. */
  symbols(): string[] {
    return [...this.#symbols];
  }

  /** Adds symbols; sent at once when connected and on every reconnect. */
  subscribe(symbols: readonly string[]): void {
    const added = symbols.filter((symbol) => !this.#symbols.has(symbol));
    for (const symbol of added) this.#symbols.add(symbol);
    if (added.length > 0 && this.#connected) this.#send(this.#venue.subscribeMessages(added));
  }

  unsubscribe(symbols: readonly string[]): void {
    const removed = symbols.filter((symbol) => this.#symbols.delete(symbol));
    if (removed.length > 0 && this.#connected) this.#send(this.#venue.unsubscribeMessages(removed));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #run(): Promise<void> {
    while (this.#state === 'running') {
      const outcome = await this.#connectOnce();
      this.#firstAttempt.resolve();
      if (this.#state !== 'running') return;
      if (outcome.fatal) {
        this.#fail(outcome.fatal);
        return;
      }
      const delay = fullJitterDelay(this.#failures, this.#tuning.backoffBaseMs, this.#tuning.backoffMaxMs, this.#random);
      this.#failures++;
      this.#log.info({ delayMs: delay, failures: this.#failures }, 'reconnecting');
      await this.#sleep(delay);
    }
  }

  /** One connection, from dialling to its close. Resolves when the socket has closed. */
  #connectOnce(): Promise<AttemptOutcome> {
    this.#attempts++;
    const url = this.#venue.redactedUrl;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#venue.connectUrl(), { handshakeTimeout: this.#tuning.handshakeTimeoutMs });
    } catch (error) {
      return Promise.resolve({ fatal: new ConfigError(`${this.name}: cannot connect to ${url}: ${this.#scrub(asError(error).message)}`) });
    }
    this.#ws = ws;
    this.#staleFired = false;
    this.#log.info({ url, attempt: this.#attempts }, 'connecting');

    return new Promise((resolve) => {
      let openedAt: number | null = null;
      let fatal: TickflowError | null = null;
      let cause: string | null = null;

      ws.on('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        fatal = this.#venue.upgradeFailure(status);
        cause = `HTTP ${status} on upgrade`;
        ws.terminate();
      });
      ws.on('open', () => {
        openedAt = performance.now();
        this.#onOpen(ws);
      });
      ws.on('message', (data) => this.#onFrame(ws, data));
      // Protocol-level pings are liveness too (Finnhub sends JSON pings, other venues do not).
      ws.on('ping', () => this.#touch());
      ws.on('pong', () => this.#touch());
      ws.on('error', (error) => {
        cause ??= this.#scrub(error.message);
      });
      ws.on('close', (code, reason) => {
        if (this.#ws === ws) this.#ws = null;
        const wasOpen = openedAt !== null;
        if (wasOpen) this.#onClosed(code, this.#scrub(reason.toString()), performance.now() - (openedAt as number));
        if (!wasOpen) this.#lastConnectError = cause ?? `closed with code ${code}`;
        if (!fatal && !wasOpen && this.#state === 'running') this.#log.warn({ url, cause }, 'connection failed');
        resolve({ fatal });
      });
    });
  }

  #onOpen(ws: WebSocket): void {
    if (this.#state !== 'running') {
      ws.terminate();
      return;
    }
    this.#connected = true;
    this.#lastConnectError = null;
    this.#noticesThisConnection.clear();
    this.#touch();
    this.#log.info({ url: this.#venue.redactedUrl, symbols: this.#symbols.size }, 'connected');
    // Venues forget subscriptions with the socket: resubscribe everything on every connect.
    this.#send(this.#venue.subscribeMessages([...this.#symbols]));
    if (this.#draining) ws.pause();
    const every = Math.max(10, Math.min(1_000, this.#tuning.staleAfterMs / 5));
    this.#watchdog = setInterval(() => this.#checkStale(ws), every);
    this.#firstAttempt.resolve();
  }

  #onClosed(code: number, reason: string, openForMs: number): void {
    this.#connected = false;
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
    if (openForMs >= this.#tuning.healthyAfterMs) this.#failures = 0;
    if (this.#state !== 'running') return;
    const gapReason: GapReason = this.#staleFired ? 'stale' : 'disconnect';
    this.#log.warn({ code, reason, openForMs: Math.round(openForMs), gap: gapReason }, 'disconnected');
    this.#enqueueGaps(gapReason);
  }

  #onFrame(ws: WebSocket, data: RawData): void {
    if (this.#state !== 'running' || ws !== this.#ws) return;
    const tsRecv = this.#clock.now();
    this.#lastMessageAt = tsRecv;
    this.#touch();
    this.#enqueue({ kind: 'frame', raw: rawText(data), tsRecv });
  }

  #touch(): void {
    this.#lastActivity = performance.now();
  }

  #checkStale(ws: WebSocket): void {
    // A socket paused for backpressure receives nothing by our own doing: that is not staleness.
    if (ws !== this.#ws || !this.#connected || this.#draining) return;
    const silentMs = performance.now() - this.#lastActivity;
    if (silentMs < this.#tuning.staleAfterMs) return;
    this.#staleFired = true;
    this.#log.warn({ silentMs: Math.round(silentMs), staleAfterMs: this.#tuning.staleAfterMs }, 'no frame received in time: socket is stale, reconnecting');
    ws.terminate();
  }

  #enqueueGaps(reason: GapReason): void {
    if (this.#symbols.size === 0) return;
    this.#enqueue({ kind: 'gap', reason, symbols: [...this.#symbols], ts: this.#clock.now() });
  }

  #enqueue(item: WorkItem): void {
    this.#queue.push(item);
    if (this.#draining) return;
    // Backpressure: hold the socket while the sink works, let it read again once the queue is empty.
    this.#ws?.pause();
    this.#draining = this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      for (let item = this.#queue.shift(); item !== undefined; item = this.#queue.shift()) await this.#process(item);
    } catch (error) {
      this.#queue.length = 0;
      this.#fail(asError(error), 'the sink failed');
    } finally {
      this.#draining = null;
      // Time spent paused is not silence on the venue's part: restart the stale clock.
      this.#touch();
      // Also while closing: the socket must still read the venue's close frame.
      if (this.#state === 'running' || this.#state === 'closing') this.#ws?.resume();
    }
  }

  async #process(item: WorkItem): Promise<void> {
    const sink = this.#sink as SourceSink;
    if (item.kind === 'gap') {
      const gaps: Gap[] = item.symbols.map((symbol) => ({
        type: 'gap',
        source: this.#venue.source,
        symbol,
        reason: item.reason,
        tsEvent: item.ts,
        tsRecv: item.ts,
      }));
      await sink.records(gaps);
      return;
    }
    let outcome;
    try {
      outcome = this.#venue.mapFrame(item.raw, item.tsRecv, { subscribed: this.#symbols.size });
    } catch (error) {
      outcome = { records: [], deadLetters: [deadLetter(this.#venue.source, `mapper failed: ${asError(error).message}`, item.raw, item.tsRecv)] };
    }
    if (outcome.notice) {
      const { code, message } = outcome.notice;
      this.#lastVenueError = message;
      // Venues repeat a refusal per symbol (Finnhub: one error per symbol over the cap): warn once per connection.
      const repeated = this.#noticesThisConnection.has(message);
      this.#noticesThisConnection.add(message);
      this.#log[repeated ? 'debug' : 'warn']({ code, subscribed: this.#symbols.size }, message);
    }
    for (const letter of outcome.deadLetters) {
      this.#rejects++;
      this.#log.debug({ reason: letter.reason }, 'dead-lettered input');
      await sink.deadLetter(letter);
    }
    if (outcome.records.length > 0) {
      await sink.records(outcome.records);
      this.#records += outcome.records.length;
    }
  }

  #send(messages: readonly string[]): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (const message of messages) ws.send(message);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        if (this.#backoffTimer) clearTimeout(this.#backoffTimer);
        this.#backoffTimer = null;
        this.#wake = null;
        resolve();
      };
      this.#backoffTimer = setTimeout(this.#wake, ms);
    });
  }

  #fail(error: Error, context?: string): void {
    const message = this.#scrub(context ? `${context}: ${error.message}` : error.message);
    if (this.#state !== 'running') {
      this.#log.error({ error: message }, 'error while stopping');
      return;
    }
    this.#state = 'failed';
    this.#fatalError = message;
    this.#log.error({ code: error instanceof TickflowError ? error.code : undefined }, `stopped for good: ${message}`);
    this.#wake?.();
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#ws?.terminate();
    this.#firstAttempt.resolve();
    this.#rejectDone(error);
  }

  async #shutdown(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'closed';
      this.#resolveDone();
      return;
    }
    if (this.#state === 'failed') {
      await this.#loop;
      return;
    }
    this.#state = 'closing';
    this.#wake?.();
    // A feed that is disconnected already told its consumers with a disconnect gap.
    if (this.#connected) this.#enqueueGaps('shutdown');
    const ws = this.#ws;
    // Frames are ignored from now on; the socket must read again to see the venue's close frame.
    ws?.resume();
    if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000, 'client closing');
    else ws?.terminate();
    const limit = this.#tuning.closeTimeoutMs;
    if (!(await settlesWithin(this.#loop, limit))) {
      this.#log.warn({ closeTimeoutMs: limit }, 'socket did not close in time: terminating');
      ws?.terminate();
      await this.#loop;
    }
    if (this.#draining && !(await settlesWithin(this.#draining, limit))) {
      this.#log.warn({ closeTimeoutMs: limit, queued: this.#queue.length }, 'sink did not accept the last records in time');
    }
    this.#connected = false;
    this.#state = 'closed';
    this.#firstAttempt.resolve();
    this.#log.info({ records: this.#records, reconnects: this.status().reconnects }, 'closed');
    this.#resolveDone();
  }

  /** Masks secrets in text about to be logged, stored or raised. */
  #scrub(text: string): string {
    let clean = redactSecrets(text);
    for (const secret of this.#venue.secrets) if (secret.length > 0) clean = clean.replaceAll(secret, '***');
    return clean;
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function definedOnly(options: ReconnectTuning): ReconnectTuning {
  const picked: Record<string, number> = {};
  for (const key of Object.keys(RECONNECT_DEFAULTS) as (keyof ReconnectTuning)[]) {
    const value = options[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
