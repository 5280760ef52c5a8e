import type { TradingGateway } from '../../../trading/gateway.ts';

export interface TradingRouteOptions {
  readonly gateway: TradingGateway;
  /** Wall time for `GET /v2/clock` and the default ends of calendar and history queries (default `Date.now`). */
  readonly now?: () => number;
  /**
   * Another @fastify/websocket instance already listens for upgrades on this server (the notify
   * routes): `/stream` then takes its upgrades through that one's routing instead of listening too,
   * so no upgrade is routed twice. `buildApp` sets it.
   */
  readonly upgradesRoutedElsewhere?: boolean;
}
