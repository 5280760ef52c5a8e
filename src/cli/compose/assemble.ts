import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { closeServer } from '../../api/close-server.ts';
import { buildApp } from '../../api/app.ts';
import { FrontDoor } from '../../api/front-door.ts';
import { systemClock, type Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../../logger.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';
import { TickflowMetrics } from '../../observability/metrics.ts';
import type { LiveStrategy } from '../../processors/strategy-runner/strategy-processor.ts';
import type { Source } from '../../sources/source.ts';
import { createStore } from '../../store/create-store.ts';
import type { Store } from '../../store/store.ts';
import { topicNames, type Topics } from '../../topics.ts';
import { TradingService } from '../../trading/service/trading-service.ts';
import { ensureAdminToken } from '../admin-token.ts';
import { createApiServices } from './api-services.ts';
import { wireBus, type BusKind, type BusWiring } from './bus-wiring.ts';
import { EmbeddedJournal } from './embedded-journal.ts';
import { createFeed, type Feed } from './feed-factory.ts';
import { Lifecycle } from './lifecycle.ts';
import { createNotifyServices } from './notify-services.ts';
import { Pipeline } from './pipeline.ts';
import { needsStore, type ProcessorName } from './processor-factory.ts';
import { topicSpecs } from './topic-specs.ts';

/** What one tickflow process runs: the commands differ only in the plan they hand to `assemble`. */
export interface ProcessPlan {
  readonly config: Config;
  readonly logger: Logger;
  readonly bus: BusKind;
  /** `feed`: live Finnhub with a key, else a simulator; a source of the command's own (a replay); or none. */
  readonly source: 'feed' | Source | null;
  /** Processors in upstream-to-downstream order. */
  readonly processors: readonly ProcessorName[];
  /**
   * `full`: the REST API, the dashboard and (with the notify processor) the WebSocket endpoints, over
   * the store; `operations`: health, readiness, status and metrics only; `null`: no HTTP server.
   */
  readonly http: 'full' | 'operations' | null;
  /** Time as the processors see it; the system clock unless a replay drives its own. */
  readonly clock?: Clock;
  /** Close bars on event time (replays) instead of the clock. */
  readonly barsOnEventTime?: boolean;
  readonly barEligibility?: EligibilityRule;
  /** Where the archive writes; default `<data dir>/archive`. */
  readonly archiveDir?: string;
  /** The process's metrics; by default a registry of its own where there is an HTTP server to serve it (a replay measures nothing). */
  readonly metrics?: TickflowMetrics;
  /** A user's strategy module for the `strategy` processor (`up --strategy`). */
  readonly strategy?: LiveStrategy;
  /** How long shutdown waits for the processors to catch up with this process's source; default 5 s. */
  readonly drainMs?: number;
}

/** A process as assembled: its parts, and one start and one stop for all of them. */
export interface Assembly {
  readonly plan: ProcessPlan;
  readonly wiring: BusWiring;
  readonly topics: Topics;
  readonly pipeline: Pipeline;
  readonly metrics: TickflowMetrics | null;
  readonly store: Store | null;
  /** The live feed, when the plan asked for one. */
  readonly feed: Feed | null;
  readonly source: Source | null;
  readonly app: FastifyInstance | null;
  /** The paper-trading service, when the plan runs the `trading` processor. */
  readonly trading: TradingService | null;
  /** Where the admin token is kept, when this process serves routes that need it (the /v1 API, `/v1/accounts`); never the token. */
  readonly adminTokenWhere: string | null;
  /**
   * Starts every part in order: store, simulator, bus, processors, HTTP, and the source last. The
   * port itself opened in `assemble`, before the store: `/healthz` answers while the rest starts.
   */
  start(): Promise<void>;
  /** Stops every part in reverse: the source first, HTTP, the processors after draining, the bus, the store, and the port last. */
  stop(): Promise<void>;
}

/** The composition root: builds every part a plan names, wired once, for either bus. */
export async function assemble(plan: ProcessPlan): Promise<Assembly> {
  const { config, logger } = plan;
  const lifecycle = new Lifecycle(logger);
  const topics = topicNames(config.topicPrefix);
  const metrics = plan.metrics ?? (plan.http ? new TickflowMetrics() : null);
  try {
    const door = plan.http ? new FrontDoor() : null;
    if (door) {
      await door.listen(config.host, config.port);
      lifecycle.add({ name: 'port', stop: () => door.close() });
      door.starting('opening the store');
    }
    const store = plan.http === 'full' || needsStore(plan.processors) ? await createStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }) : null;
    if (store) lifecycle.add({ name: 'store', stop: () => store.close() });

    door?.starting('starting the feed');
    const feed = plan.source === 'feed' ? await createFeed(config, logger) : null;
    const simulator = feed?.simulator;
    if (simulator) lifecycle.add({ name: 'simulator', stop: () => simulator.close() });
    const source = feed?.source ?? (plan.source === 'feed' ? null : plan.source);

    const wiring = wireBus(config, plan.bus);
    let topicsEnsured: Promise<void> | null = null;
    const ensureTopics = () => {
      door?.starting(`creating the topics on ${wiring.kind === 'kafka' ? `Kafka at ${config.kafkaBrokers.join(',')}` : 'the embedded bus'}`);
      return (topicsEnsured ??= wiring.bus.ensureTopics(topicSpecs(config)));
    };
    lifecycle.add({ name: 'bus', start: ensureTopics, stop: () => wiring.bus.close() });

    const archiveDir = plan.archiveDir ?? join(config.dataDir, 'archive');
    const journal = source && plan.source === 'feed' && plan.bus === 'memory' && config.journal ? await EmbeddedJournal.open(config.dataDir, { dir: archiveDir, rawTopic: topics.raw }, logger) : null;
    if (journal) lifecycle.add({ name: 'journal', stop: () => journal.close() });

    // The single writer of paper trading: restored from the store; it publishes what a crash left in its outbox, so the topics come first.
    let trading: TradingService | null = null;
    if (plan.processors.includes('trading') && store) {
      await ensureTopics();
      door?.starting('restoring paper trading');
      const producer = wiring.bus.producer();
      const service = await TradingService.open({ store: store.trading, producer, topics: { orders: topics.orders, executions: topics.executions }, symbols: config.symbols, clock: plan.clock ?? systemClock, logger: logger.child({ component: 'trading' }), offsetsOutliveProcess: plan.bus === 'kafka' });
      trading = service;
      lifecycle.add({ name: 'trading', stop: async () => { await service.close(); await producer.close(); } });
    }

    const notify = plan.processors.includes('notify') && metrics ? createNotifyServices(config, metrics) : null;
    const pipeline = new Pipeline({
      config,
      wiring,
      topics,
      source,
      processors: plan.processors,
      clock: plan.clock ?? systemClock,
      logger,
      metrics,
      barsOnEventTime: plan.barsOnEventTime ?? false,
      ...(plan.barEligibility ? { barEligibility: plan.barEligibility } : {}),
      archiveDir,
      ...(journal ? { alreadyArchived: journal.alreadyArchived } : {}),
      store,
      notifyHub: notify?.hub ?? null,
      trading,
      ...(plan.strategy ? { strategy: plan.strategy } : {}),
    });
    const startProcessors = () => {
      door?.starting('starting the processors');
      return pipeline.start();
    };
    lifecycle.add({ name: 'processors', start: startProcessors, stop: () => pipeline.stop(plan.drainMs ?? 5_000) });

    let app: FastifyInstance | null = null;
    // Changes on /v1 (alert rules with the full API, accounts with the trading service) need the admin token.
    const admin = plan.http === 'full' || (plan.http && trading) ? ensureAdminToken(config) : null;
    if (plan.http && door) {
      const api = plan.http === 'full' && store ? createApiServices({ config, bus: wiring.bus, topics, store, pipeline, simulator: simulator ?? null, logger }) : null;
      if (api) lifecycle.add({ name: 'api', stop: () => api.close() });
      const server = await buildApp({
        serverFactory: door.serverFactory,
        status: () => pipeline.status(),
        ...(metrics ? { metrics: metrics.registry } : {}),
        dependencies: { bus: () => wiring.bus.ping(), ...(store ? { store: () => store.ping() } : {}) },
        ...(api && store ? { api, alerts: { store }, signals: { store }, backtests: { dir: join(config.dataDir, 'backtests') }, dashboard: true, corsOrigins: config.corsOrigins, rateLimitPerMinute: config.apiRateLimitPerMinute } : {}),
        ...(notify ? { notify: notify.routes } : {}),
        ...(trading ? { trading: { gateway: trading } } : {}),
        ...(trading && admin ? { accounts: { gateway: trading } } : {}),
        auth: { ...(admin ? { adminToken: admin.token } : {}), ...(config.apiReadToken ? { readToken: config.apiReadToken } : {}) },
      });
      app = server;
      lifecycle.add({
        name: 'http',
        start: async () => {
          await server.ready();
          door.serve();
        },
        // New requests get the door's 503 while the app ends its WebSockets and the requests in flight finish.
        stop: async () => {
          door.stopping();
          await closeServer(server);
          await door.close();
        },
      });
    }

    if (source && journal) {
      const sink = journal.sinkFor(pipeline);
      lifecycle.add({ name: 'source', start: async () => { await journal.replay(); await source.start(sink); }, stop: async () => { await source.close(); await journal.flush(); } });
    } else if (source) lifecycle.add({ name: 'source', start: () => source.start(pipeline.sink), stop: () => source.close() });

    return { plan, wiring, topics, pipeline, metrics, store, feed, source, app, trading, adminTokenWhere: admin?.where ?? null, start: () => lifecycle.start(), stop: () => lifecycle.stop() };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}
