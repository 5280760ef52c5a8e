import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { LatestPriceService } from '../prices/latest-price-service.ts';
import type { Logger } from '../logger.ts';
import type { PipelineStatus } from '../observability/pipeline-status.ts';
import type { HistoryStore } from './history-store.ts';
import { MALFORMED_REQUEST_OPTIONS } from './malformed-requests.ts';
import { apiAuth, type ApiAuthOptions } from './plugins/api-auth.ts';
import { problems } from './plugins/problems.ts';
import { strictInput } from './plugins/strict-input.ts';
import { upgradeGuard } from './plugins/upgrade-guard.ts';
import { healthRoutes } from './routes/health.ts';
import { historyRoutes } from './routes/history.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { priceRoutes } from './routes/prices.ts';
import { rawResponseRoutes, type RawResponseRouteOptions } from './routes/raw-responses.ts';
import { symbolRoutes } from './routes/symbols.ts';
import { alertRoutes, type AlertRouteOptions } from './routes/alerts.ts';
import { signalRoutes, type SignalRouteOptions } from './routes/signals.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { notifyRoutes, type NotifyRouteOptions } from '../notify/websocket-routes.ts';
import { alpacaRoutes, type TradingRouteOptions } from './routes/alpaca/index.ts';
import { accountAdminRoutes, type AccountRouteOptions } from './routes/accounts.ts';
import { backtestRoutes, type BacktestRouteOptions } from './routes/backtests.ts';
import { schemaRoutes, type SchemaRouteOptions } from './routes/schemas.ts';

export interface ApiServices {
  readonly store: HistoryStore;
  readonly prices: Pick<LatestPriceService, 'latest'>;
  readonly symbols: readonly string[];
  /** `GET /v1/raw-responses/{id}`: the stored provider answers, with the provider keys to hide in them. */
  readonly rawResponses?: RawResponseRouteOptions;
}

/** Where `tickflow` serves the app, and its per-client limit on provider-backed routes. */
export const API_DEFAULTS = { port: 8080, host: '127.0.0.1', rateLimitPerMinute: 60 } as const;

export interface AppOptions {
  readonly status: () => Promise<PipelineStatus>;
  readonly logger?: Logger;
  /** The /v1 API; without it the app serves health and status only. */
  readonly api?: ApiServices;
  /** Origins allowed to call the API from a browser: a list, `*`, or none (default). */
  readonly corsOrigins?: readonly string[] | '*';
  /** Per-client requests per minute on provider-backed routes (default `API_DEFAULTS.rateLimitPerMinute`; 0: no limit). */
  readonly rateLimitPerMinute?: number;
  /** A symbol with no trade for this long counts as stale in /v1/symbols (default 60 s). */
  readonly staleAfterMs?: number;
  /** Asked on every readiness probe: the bus, the store — each resolves when it answers. */
  readonly dependencies?: Readonly<Record<string, () => Promise<void>>>;
  /** The process's metrics registry (`TickflowMetrics.registry`); with it the app serves `GET /metrics`. */
  readonly metrics?: Registry;
  /** Alert rules over REST (`/v1/alerts`). */
  readonly alerts?: AlertRouteOptions;
  /** Stored trading signals (`/v1/signals`). */
  readonly signals?: SignalRouteOptions;
  /** The notification service's WebSocket endpoints (`/ws/notifications`, `/ws/stream`). */
  readonly notify?: NotifyRouteOptions;
  /** Paper trading in Alpaca's Trading API v2 shape (`/v2/...` and the `/stream` WebSocket). */
  readonly trading?: TradingRouteOptions;
  /** Paper-account administration behind the admin bearer token (`/v1/accounts`). */
  readonly accounts?: AccountRouteOptions;
  /**
   * Credentials (plugins/api-auth.ts): every change on /v1 needs the admin token, and reads the read
   * token when one is set. Without an admin token every change is refused.
   */
  readonly auth?: ApiAuthOptions;
  /** Past backtest runs and their reports (`/v1/backtests`). */
  readonly backtests?: BacktestRouteOptions;
  /** The JSON Schemas of the topics' records (`/v1/schemas`). */
  readonly schemas?: SchemaRouteOptions;
  /** Serve the live dashboard at `/`. */
  readonly dashboard?: boolean;
  /** Build the app on a server that is already listening (a `FrontDoor`'s) instead of one of its own. */
  readonly serverFactory?: FastifyServerOptions['serverFactory'];
}

/** Builds the HTTP app without listening, so tests can `inject()` requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ ...MALFORMED_REQUEST_OPTIONS, ...(options.logger ? { loggerInstance: options.logger } : {}), ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}), ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
  await app.register(problems);
  await app.register(strictInput);
  await app.register(upgradeGuard);
  // Before any route: it decides each route's access as the route is added.
  await app.register(apiAuth, options.auth ?? {});
  await app.register(swagger, {
    openapi: {
      info: { title: 'tickflow', version: '0.1.0', description: 'Real-time market data: latest prices, trades, bars, window metrics, pipeline health.' },
      tags: [{ name: 'prices' }, { name: 'history' }, { name: 'alerts', description: 'Rules: changes need the admin bearer token' }, { name: 'operations' }, { name: 'trading', description: "Paper trading, Alpaca's Trading API v2" }, { name: 'accounts', description: 'Paper-account administration (admin bearer token)' }, { name: 'schemas', description: 'JSON Schemas of the records on every topic' }],
      components: {
        securitySchemes: {
          alpacaKeyId: { type: 'apiKey', in: 'header', name: 'APCA-API-KEY-ID' },
          alpacaSecretKey: { type: 'apiKey', in: 'header', name: 'APCA-API-SECRET-KEY' },
          adminBearer: { type: 'http', scheme: 'bearer', description: 'the admin token: TICKFLOW_ADMIN_TOKEN, or <data dir>/admin-token' },
          readBearer: { type: 'http', scheme: 'bearer', description: 'TICKFLOW_API_READ_TOKEN (or the admin token); needed only when that is set' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    await app.register(cors, { origin: options.corsOrigins === '*' ? '*' : [...options.corsOrigins], methods: ['GET', 'POST', 'PATCH', 'DELETE'] });
  }
  await app.register(rateLimit, { global: false });
  await app.register(healthRoutes, { status: options.status, ...(options.dependencies ? { dependencies: options.dependencies } : {}) });
  if (options.metrics) await app.register(metricsRoutes, { registry: options.metrics });
  if (options.api) {
    const { store, prices, symbols, rawResponses } = options.api;
    await app.register(priceRoutes, { prices, rateLimitPerMinute: options.rateLimitPerMinute ?? API_DEFAULTS.rateLimitPerMinute });
    if (rawResponses) await app.register(rawResponseRoutes, rawResponses);
    await app.register(historyRoutes, { store });
    await app.register(symbolRoutes, { store, status: options.status, configured: symbols, staleAfterMs: options.staleAfterMs ?? 60_000 });
  }
  if (options.alerts) await app.register(alertRoutes, options.alerts);
  if (options.signals) await app.register(signalRoutes, options.signals);
  if (options.notify) await app.register(notifyRoutes, options.notify);
  // With notify, its @fastify/websocket already routes every upgrade: /stream must not route them twice.
  if (options.trading) await app.register(alpacaRoutes, { ...options.trading, upgradesRoutedElsewhere: options.notify !== undefined });
  if (options.accounts) await app.register(accountAdminRoutes, options.accounts);
  if (options.backtests) await app.register(backtestRoutes, options.backtests);
  if (options.schemas) await app.register(schemaRoutes, options.schemas);
  if (options.dashboard) await app.register(dashboardRoutes);
  return app as unknown as FastifyInstance;
}
