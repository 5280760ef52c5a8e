import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { closeServer } from '../../api/close-server.ts';
import { buildApp } from '../../api/app.ts';
import { FrontDoor } from '../../api/front-door.ts';
import { systemClock } from '../../clock.ts';
import { TickflowMetrics } from '../../observability/metrics.ts';
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
import { needsStore } from './processor-factory.ts';
import type { ProcessPlan } from './process-plan.ts';
import { topicSpecs } from './topic-specs.ts';
import { partTopics, topicKindsOf } from './part-topics.ts';
import { partsOfPlan } from './process-parts.ts';
import type { TopicSpec } from '../../bus/bus.ts';

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

/**
 * On Kafka, the topics this process's parts use (what it may be granted: a least-privilege principal
 * cannot even describe the others); on the embedded bus, every topic.
 */
function topicsToEnsure(plan: ProcessPlan, bus: BusKind): TopicSpec[] {
  const specs = topicSpecs(plan.config);
  if (bus === 'memory') return specs;
  const names = topicNames(plan.config.topicPrefix, plan.config.topicOverrides);
  const used = new Set([...topicKindsOf(partsOfPlan(plan))].map((kind) => names[kind]));
  return specs.filter((spec) => used.has(spec.name));
}

/** The composition root: builds every part a plan names, wired once, for either bus. */
export async function assemble(plan: ProcessPlan): Promise<Assembly> {
  const { config, logger } = plan;
  const lifecycle = new Lifecycle(logger);
  const topics = topicNames(config.topicPrefix, config.topicOverrides);
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
      return (topicsEnsured ??= wiring.bus.ensureTopics(topicsToEnsure(plan, wiring.kind)));
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
      const service = await TradingService.open({ store: store.trading, producer, topics: partTopics('trading-service', topics).writes, symbols: config.symbols, clock: plan.clock ?? systemClock, logger: logger.child({ component: 'trading' }), offsetsOutliveProcess: plan.bus === 'kafka' });
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
        ...(plan.http === 'full' ? { schemas: { topics } } : {}),
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
