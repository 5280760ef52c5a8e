/** What the simulator reports and the faults it can be told to inject: shared by its server and its HTTP routes. */
export interface SimulatorStats {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** WebSocket upgrade requests, accepted or not. */
  readonly upgrades: number;
  readonly rejectedUpgrades: number;
  /** Subscriptions over all open connections. */
  readonly subscriptions: number;
  readonly framesSent: number;
  readonly tradesSent: number;
  readonly pingsSent: number;
  readonly malformedSent: number;
  readonly droppedConnections: number;
  readonly quoteRequests: number;
  readonly rateLimited: number;
  /** Unix ms until which the simulator sends nothing, `null` when it is not silent. */
  readonly silentUntil: number | null;
}

export interface SimulatorFaults {
  /** Ends every open connection: `close` sends a 1001 close frame (default), `terminate` cuts the TCP socket. Returns how many. */
  dropConnections(mode?: 'close' | 'terminate'): number;
  /** Sends nothing at all (no trades, no pings, no errors) for `ms`. */
  goSilent(ms: number): void;
  /** Sends `count` broken frames (default 1) to every connection: truncated JSON, non-JSON, an unknown type, an invalid trade. */
  sendMalformed(count?: number): number;
  /** Sends `frame` as is to every connection. */
  sendRaw(frame: string): number;
}
