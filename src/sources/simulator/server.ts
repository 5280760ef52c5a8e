import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { ConfigError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import { FINNHUB_SYMBOL_LIMIT_MSG, type FinnhubErrorFrame, type FinnhubQuote } from '../finnhub/messages.ts';
import { alphaVantageRoute, type AlphaVantageSimulatorOptions } from './alpha-vantage-route.ts';
import { simulatorHttpHandler } from './http-routes.ts';
import type { SimulatorFaults, SimulatorStats } from './simulator-controls.ts';
import { DEFAULT_SIMULATOR_SYMBOLS, SimulatedMarket } from './market.ts';
import { RateLimiter } from './rate-limit.ts';

export interface FinnhubSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /**
   * Accepted tokens. Default: any non-empty token except those in `REJECTED_TOKENS` (`bad`), so a
   * real key works unchanged and `bad` shows the 401 path.
   */
  readonly tokens?: readonly string[];
  /** Symbols that trade and have quotes (default `DEFAULT_SIMULATOR_SYMBOLS`); others get only pings. */
  readonly symbols?: readonly string[];
  /** Trades per second over all subscribed symbols (default 50). */
  readonly tradesPerSecond?: number;
  /** How often a batch frame goes out (default 250 ms). */
  readonly frameIntervalMs?: number;
  /** Default 60 000 ms, as Finnhub (every 1–2 minutes). */
  readonly pingIntervalMs?: number;
  /** Symbols one connection may subscribe to (default 50, the free plan's cap). */
  readonly symbolLimit?: number;
  /** Chance that a trade is repeated identically (default 0.02). */
  readonly duplicateRate?: number;
  /** Seed of the market; default random (see `seed` on the result). */
  readonly seed?: number;
  /** REST limits per token: default 30 calls/s and 60 calls/min (the free plan). */
  readonly restCallsPerSecond?: number;
  readonly restCallsPerMinute?: number;
  /** Alpha Vantage GLOBAL_QUOTE at `GET /query` (same tokens, same market): its limits per key. */
  readonly alphaVantage?: AlphaVantageSimulatorOptions;
  readonly logger?: Logger;
  /** Called with every frame sent to a client, for tests and debugging. */
  readonly tap?: (frame: string) => void;
}

export const SIMULATOR_DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  tradesPerSecond: 50,
  frameIntervalMs: 250,
  pingIntervalMs: 60_000,
  symbolLimit: 50,
  duplicateRate: 0.02,
  restCallsPerSecond: 30,
  restCallsPerMinute: 60,
};

type Settings = typeof SIMULATOR_DEFAULTS;

/** Tokens the simulator refuses when no `tokens` list is given. */
export const REJECTED_TOKENS: readonly string[] = ['bad'];

export type { SimulatorFaults, SimulatorStats } from './simulator-controls.ts';

export interface FinnhubSimulator {
  /** WebSocket base URL, e.g. `ws://127.0.0.1:PORT`; clients append `?token=`. */
  readonly url: string;
  /** REST base URL, e.g. `http://127.0.0.1:PORT/api/v1`. */
  readonly restUrl: string;
  readonly port: number;
  readonly seed: number;
  readonly faults: SimulatorFaults;
  /** A snapshot of the counters. */
  readonly stats: SimulatorStats;
  close(): Promise<void>;
}

interface Client {
  readonly token: string;
  readonly symbols: Set<string>;
}

const MALFORMED_FRAMES: ReadonlyArray<(now: number) => string> = [
  () => '{"type":"trade","data":[{"s":"AAPL","p":1',
  () => 'this is not json',
  () => '{"type":"quote","data":[]}',
  (now) => JSON.stringify({ type: 'trade', data: [{ s: 'AAPL', p: -1, t: now, v: 1 }] }),
];

/**
 * Starts a local server that behaves like Finnhub (see the protocol notes): WebSocket trades at
 * `ws://host:port/?token=`, `GET /api/v1/quote`, and fault injection, also over HTTP for a running
 * simulator: `POST /sim/drop[?mode=terminate]`, `POST /sim/silence?ms=`, `POST /sim/malformed?count=`,
 * `GET /sim/stats`.
 */
export async function createFinnhubSimulator(options: FinnhubSimulatorOptions = {}): Promise<FinnhubSimulator> {
  const simulator = new Simulator(options);
  await simulator.listen();
  return simulator;
}

class Simulator implements FinnhubSimulator {
  readonly seed: number;
  readonly faults: SimulatorFaults;
  readonly #settings: Settings;
  readonly #tokens: ReadonlySet<string> | null;
  readonly #log: Logger;
  readonly #tap: ((frame: string) => void) | undefined;
  readonly #market: SimulatedMarket;
  readonly #limiter: RateLimiter;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #clients = new Map<WebSocket, Client>();
  readonly #byToken = new Map<string, WebSocket>();
  readonly #counters = {
    upgrades: 0,
    rejectedUpgrades: 0,
    framesSent: 0,
    tradesSent: 0,
    pingsSent: 0,
    malformedSent: 0,
    droppedConnections: 0,
    quoteRequests: 0,
    rateLimited: 0,
  };
  #silentUntil = 0;
  #carry = 0;
  #malformedIndex = 0;
  #timers: NodeJS.Timeout[] = [];
  #port = 0;
  #closing: Promise<void> | null = null;

  constructor(options: FinnhubSimulatorOptions) {
    const settings: Settings = { ...SIMULATOR_DEFAULTS };
    for (const key of Object.keys(SIMULATOR_DEFAULTS) as (keyof Settings)[]) {
      const value = options[key];
      if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
    }
    validate(settings);
    this.#settings = settings;
    this.#tokens = options.tokens ? new Set(options.tokens) : null;
    this.#log = (options.logger ?? silentLogger()).child({ component: 'finnhub-simulator' });
    this.#tap = options.tap;
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.#market = new SimulatedMarket({ seed: this.seed, symbols: options.symbols ?? DEFAULT_SIMULATOR_SYMBOLS, duplicateRate: settings.duplicateRate });
    this.#limiter = new RateLimiter(settings.restCallsPerSecond, settings.restCallsPerMinute);
    this.faults = {
      dropConnections: (mode = 'close') => this.#drop(mode),
      goSilent: (ms) => {
        this.#silentUntil = Math.max(this.#silentUntil, Date.now() + ms);
        this.#log.info({ ms }, 'going silent');
      },
      sendMalformed: (count = 1) => this.#sendMalformed(count),
      sendRaw: (frame) => this.#broadcast(frame),
    };
    this.#server = createServer(
      simulatorHttpHandler({
        tokenAccepted: (token) => this.#tokenAccepted(token),
        quote: (token, symbol) => this.#quote(token, symbol),
        faults: this.faults,
        stats: () => this.stats,
        alphaVantage: alphaVantageRoute({ ...options.alphaVantage, tokenAccepted: (token) => this.#tokenAccepted(token), quote: (symbol) => this.#market.quote(symbol, Date.now()) }),
      }),
    );
    this.#server.on('upgrade', (request, socket, head) => this.#onUpgrade(request, socket, head));
  }

  get url(): string {
    return `ws://${this.#publicHost()}:${this.#port}`;
  }

  get restUrl(): string {
    return `http://${this.#publicHost()}:${this.#port}/api/v1`;
  }

  get port(): number {
    return this.#port;
  }

  get stats(): SimulatorStats {
    let subscriptions = 0;
    for (const client of this.#clients.values()) subscriptions += client.symbols.size;
    return {
      ...this.#counters,
      connections: this.#clients.size,
      subscriptions,
      silentUntil: this.#silent() ? this.#silentUntil : null,
    };
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#settings.port, this.#settings.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#timers.push(setInterval(() => this.#tick(), this.#settings.frameIntervalMs));
    this.#timers.push(setInterval(() => this.#ping(), this.#settings.pingIntervalMs));
    this.#log.info({ url: this.url, restUrl: this.restUrl, seed: this.seed }, 'Finnhub simulator listening');
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const timer of this.#timers) clearInterval(timer);
      for (const ws of this.#clients.keys()) ws.terminate();
      this.#wss.close();
      this.#server.closeAllConnections();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    })();
    return this.#closing;
  }

  #publicHost(): string {
    const host = this.#settings.host;
    if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
    return host.includes(':') ? `[${host}]` : host;
  }

  #tokenAccepted(token: string): boolean {
    if (token === '') return false;
    return this.#tokens ? this.#tokens.has(token) : !REJECTED_TOKENS.includes(token);
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.#counters.upgrades++;
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (url.pathname !== '/') {
      this.#counters.rejectedUpgrades++;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const token = url.searchParams.get('token') ?? '';
    if (!this.#tokenAccepted(token)) {
      // Finnhub fails the upgrade itself for a bad key: no WebSocket, no JSON error frame.
      this.#counters.rejectedUpgrades++;
      this.#log.info('refused a WebSocket upgrade: missing or unknown token');
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nUnauthorized');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#onConnection(ws, token));
  }

  #onConnection(ws: WebSocket, token: string): void {
    // One connection per key: a new one drops the older.
    const previous = this.#byToken.get(token);
    if (previous) {
      this.#counters.droppedConnections++;
      this.#log.info('a second connection with the same token: dropping the first');
      previous.close(1008, 'another connection with the same token');
    }
    this.#byToken.set(token, ws);
    this.#clients.set(ws, { token, symbols: new Set() });
    ws.on('message', (data) => this.#onClientFrame(ws, data));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.#clients.delete(ws);
      if (this.#byToken.get(token) === ws) this.#byToken.delete(token);
    });
    this.#log.debug({ connections: this.#clients.size }, 'client connected');
  }

  #onClientFrame(ws: WebSocket, data: RawData): void {
    const client = this.#clients.get(ws);
    if (!client) return;
    let frame: { type?: unknown; symbol?: unknown };
    try {
      frame = JSON.parse(String(data)) as typeof frame;
    } catch {
      return; // Finnhub ignores what it cannot read.
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.symbol !== 'string' || frame.symbol === '') return;
    if (frame.type === 'subscribe') {
      if (client.symbols.has(frame.symbol)) return;
      if (client.symbols.size >= this.#settings.symbolLimit) {
        const error: FinnhubErrorFrame = { type: 'error', msg: FINNHUB_SYMBOL_LIMIT_MSG };
        this.#send(ws, JSON.stringify(error));
        return;
      }
      client.symbols.add(frame.symbol);
    } else if (frame.type === 'unsubscribe') {
      client.symbols.delete(frame.symbol);
    }
  }

  #silent(): boolean {
    return Date.now() < this.#silentUntil;
  }

  #send(ws: WebSocket, frame: string): boolean {
    if (this.#silent() || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(frame);
    this.#counters.framesSent++;
    this.#tap?.(frame);
    return true;
  }

  #broadcast(frame: string): number {
    let sent = 0;
    for (const ws of this.#clients.keys()) if (this.#send(ws, frame)) sent++;
    return sent;
  }

  #tick(): void {
    if (this.#silent() || this.#clients.size === 0) return;
    const subscribed = new Set<string>();
    for (const client of this.#clients.values()) for (const symbol of client.symbols) if (this.#market.has(symbol)) subscribed.add(symbol);
    if (subscribed.size === 0) return;
    this.#carry += (this.#settings.tradesPerSecond * this.#settings.frameIntervalMs) / 1000;
    const count = Math.floor(this.#carry);
    this.#carry -= count;
    if (count === 0) return;
    const trades = this.#market.trades([...subscribed], count, Date.now(), this.#settings.frameIntervalMs);
    for (const [ws, client] of this.#clients) {
      const data = trades.filter((trade) => client.symbols.has(trade.s));
      if (data.length > 0 && this.#send(ws, JSON.stringify({ type: 'trade', data }))) this.#counters.tradesSent += data.length;
    }
  }

  #ping(): void {
    this.#counters.pingsSent += this.#broadcast('{"type":"ping"}');
  }

  #quote(token: string, symbol: string): FinnhubQuote | null {
    this.#counters.quoteRequests++;
    if (!this.#limiter.allow(token, Date.now())) {
      this.#counters.rateLimited++;
      return null;
    }
    return this.#market.quote(symbol, Date.now());
  }

  #drop(mode: 'close' | 'terminate'): number {
    const sockets = [...this.#clients.keys()];
    for (const ws of sockets) {
      if (mode === 'terminate') ws.terminate();
      else ws.close(1001, 'simulated server restart');
    }
    this.#counters.droppedConnections += sockets.length;
    this.#log.info({ mode, connections: sockets.length }, 'dropped connections');
    return sockets.length;
  }

  #sendMalformed(count: number): number {
    let sent = 0;
    for (let i = 0; i < count; i++) {
      const make = MALFORMED_FRAMES[this.#malformedIndex++ % MALFORMED_FRAMES.length] as (now: number) => string;
      sent += this.#broadcast(make(Date.now()));
    }
    this.#counters.malformedSent += sent;
    return sent;
  }
}

function validate(settings: Settings): void {
  const problems: string[] = [];
  const { port, tradesPerSecond, frameIntervalMs, pingIntervalMs, symbolLimit, duplicateRate, restCallsPerSecond, restCallsPerMinute } = settings;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) problems.push(`port must be 0–65535, got ${port}`);
  if (!(tradesPerSecond >= 0 && Number.isFinite(tradesPerSecond))) problems.push(`tradesPerSecond must be ≥ 0, got ${tradesPerSecond}`);
  if (!(frameIntervalMs >= 1 && Number.isFinite(frameIntervalMs))) problems.push(`frameIntervalMs must be ≥ 1, got ${frameIntervalMs}`);
  if (!(pingIntervalMs >= 1 && Number.isFinite(pingIntervalMs))) problems.push(`pingIntervalMs must be ≥ 1, got ${pingIntervalMs}`);
  if (!(Number.isInteger(symbolLimit) && symbolLimit >= 0)) problems.push(`symbolLimit must be an integer ≥ 0, got ${symbolLimit}`);
  if (!(duplicateRate >= 0 && duplicateRate <= 1)) problems.push(`duplicateRate must be in [0, 1], got ${duplicateRate}`);
  if (!(restCallsPerSecond >= 1 && restCallsPerMinute >= 1)) problems.push('REST limits must be ≥ 1 call');
  if (typeof settings.host !== 'string' || settings.host === '') problems.push('host must be a non-empty string');
  if (problems.length > 0) throw new ConfigError(`Finnhub simulator: ${problems.join('; ')}`);
}
