import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { BusRecord, PartitionLag } from '../bus/bus.ts';
import type { IngestMetrics } from '../sources/ingest/bus-sink.ts';
import type { SourceStatus } from '../sources/source.ts';
import { RecordHistogram, type HistogramSeries } from './record-histogram.ts';

/** Seconds, 1 ms to 60 s; slower observations land in +Inf. */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const METRIC_PREFIX = 'tickflow_';

/** The hops measured from the two clocks of a record (see README.md in this directory). */
export type Hop = 'exchange_to_receive' | 'receive_to_bus' | 'bus_to_consumer' | 'exchange_to_processed' | 'exchange_to_client';

/** What a processor runner reports, for one processor. */
export interface RunnerMetrics {
  /** When the runner hands `batch` to its processor. */
  received(batch: readonly BusRecord[]): void;
  /** Once the processor has processed `batch` (the records are not necessarily committed yet). */
  processed(batch: readonly BusRecord[]): void;
}

/**
 * The hook for the WebSocket notification service: `NotificationHub` calls it once per record it
 * fanned out to at least one client's socket (when the frames were handed to the sockets), and
 * once per record queued for a lagging client when it is finally written; not once per write.
 * `channel` names the subscription kind (`trades`, `bars`, …), not the client.
 */
export type ClientDeliveryObserver = (record: { readonly tsEvent: number }, channel: string) => void;

/** What the WebSocket notification service reports at scrape time (`NotificationHub.stats()`). */
export interface ClientFanoutStats {
  readonly notificationClients: number;
  readonly streamClients: number;
  /** Records written to client sockets (one per client). */
  readonly delivered: number;
  /** Trades not sent to a lagging `/ws/stream` client. */
  readonly dropped: number;
  /** Bars and metrics replaced in a lagging client's queue by a newer one. */
  readonly conflated: number;
  /** `/ws/notifications` clients closed with 4008 for falling behind. */
  readonly slowClosed: number;
  /** Clients closed with 4009 for not reading (too many bytes unread, or none taken for too long). */
  readonly unreadClosed: number;
  /** Clients closed with 1008 for sending messages faster than their rate. */
  readonly rateClosed: number;
}

/** How far the notification service is behind under overload (`NotificationHub.overload()`). */
export interface FanoutOverloadStats {
  /** Records handed to the hub and not fanned out yet. */
  readonly backlog: number;
  /** Trades shed for every client because they waited too long in the backlog. */
  readonly shedTrades: number;
}

/** What the scrape-time collectors read: the pipeline's source and runners. */
export interface PipelineProbe {
  source(): SourceStatus | null;
  consumers(): readonly { readonly name: string; lag(): Promise<readonly PartitionLag[]> }[];
}

export interface MetricsOptions {
  /** Wall-clock time in Unix ms; injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
  /** Process metrics (CPU, memory, event loop lag, …); default true. */
  readonly defaultMetrics?: boolean;
}

/**
 * Every tickflow metric, on a Registry of its own (never prom-client's global one). Create one per
 * process at start-up and pass it explicitly: to the Pipeline (`metrics`) and to `buildApp`
 * (`metrics: metrics.registry`).
 *
 * Latencies use the wall clock, never the pipeline's injected clock: a replay's clock follows the
 * recorded data, but how long a hop took is real time.
 */
export class TickflowMetrics {
  readonly registry: Registry;
  readonly #now: () => number;
  #probe: PipelineProbe | null = null;
  #clients: (() => ClientFanoutStats) | null = null;
  #overload: (() => FanoutOverloadStats) | null = null;

  readonly #published: Counter<'topic'>;
  readonly #consumed: Counter<'topic' | 'processor'>;
  readonly #deadLetters: Counter<'origin'>;
  readonly #clockSkew: Counter<'hop'>;
  readonly #exchangeToReceive: HistogramSeries;
  readonly #receiveToBus: HistogramSeries;
  readonly #busToConsumer: RecordHistogram<'processor'>;
  readonly #exchangeToProcessed: RecordHistogram<'processor'>;
  readonly #exchangeToClient: RecordHistogram<'channel'>;
  readonly #exchangeToClientByChannel = new Map<string, HistogramSeries>();

  constructor(options: MetricsOptions = {}) {
    this.#now = options.now ?? Date.now;
    const registry = new Registry();
    this.registry = registry;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    const registers = [registry];
    const probe = (): PipelineProbe | null => this.#probe;

    this.#published = new Counter({ name: 'tickflow_records_published_total', help: 'Records the bus acknowledged, per topic (ingest: raw and dead-letter topics)', labelNames: ['topic'], registers });
    this.#consumed = new Counter({
      name: 'tickflow_records_consumed_total',
      help: 'Records a processor has processed, per input topic and processor (a retried batch counts again)',
      labelNames: ['topic', 'processor'],
      registers,
    });
    this.#deadLetters = new Counter({ name: 'tickflow_dead_letters_total', help: 'Dead letters the ingest sink published, per origin', labelNames: ['origin'], registers });
    this.#clockSkew = new Counter({
      name: 'tickflow_clock_skew_total',
      help: 'Observations where the later clock was behind the earlier one (counted here, recorded as 0 in the histogram)',
      labelNames: ['hop'],
      registers,
    });
    // Observed several times per record: RecordHistogram, not prom-client's (see record-histogram.ts).
    const histogram = <L extends string>(name: string, help: string, labelNames: L[]): RecordHistogram<L> =>
      new RecordHistogram<L>({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers });
    this.#exchangeToReceive = histogram('tickflow_exchange_to_receive_seconds', 'Trade or quote tsRecv - tsEvent, at ingest: venue and network delay (plus clock offset)', []).labels({});
    this.#receiveToBus = histogram('tickflow_receive_to_bus_seconds', 'Bus acknowledgement time - tsRecv, at the ingest sink: parsing, batching, publishing', []).labels({});
    this.#busToConsumer = histogram('tickflow_bus_to_consumer_seconds', 'Time a processor gets a record - the record timestamp, per processor', ['processor']);
    this.#exchangeToProcessed = histogram('tickflow_exchange_to_processed_seconds', 'Time a processor finished a record - its tsEvent, per processor (end to end)', ['processor']);
    this.#exchangeToClient = histogram('tickflow_exchange_to_client_seconds', 'Time a record was written to its WebSocket clients (once per record; a lagging client\'s late write once more) - its tsEvent, per channel', ['channel']);

    new Gauge({
      name: 'tickflow_consumer_lag_records',
      help: 'Records published but not yet committed by a processor, per processor and input topic (read on scrape)',
      labelNames: ['processor', 'topic'],
      registers,
      async collect() {
        this.reset();
        const consumers = probe()?.consumers() ?? [];
        await Promise.all(
          consumers.map(async (consumer) => {
            const partitions = await consumer.lag().catch((): readonly PartitionLag[] => []);
            const byTopic = new Map<string, number>();
            for (const { topic, lag } of partitions) byTopic.set(topic, (byTopic.get(topic) ?? 0) + lag);
            for (const [topic, lag] of byTopic) this.set({ processor: consumer.name, topic }, lag);
          }),
        );
      },
    });
    const sourceGauge = (name: string, help: string, read: (status: SourceStatus) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['source'],
        registers,
        collect() {
          this.reset();
          const status = probe()?.source();
          if (status) this.set({ source: status.name }, read(status));
        },
      });
    };
    sourceGauge('tickflow_feed_connected', '1 while the source is connected (a replay: while it has data), 0 otherwise', (status) => (status.connected ? 1 : 0));
    // Counters kept by the source itself, exposed as they are at scrape time.
    const sourceCounter = (name: string, help: string, read: (status: SourceStatus) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['source'],
        registers,
        collect() {
          this.reset();
          const status = probe()?.source();
          if (status) this.inc({ source: status.name }, read(status));
        },
      });
    };
    sourceCounter('tickflow_feed_reconnects_total', 'Times the source reconnected', (status) => status.reconnects);
    sourceCounter('tickflow_feed_frames_rejected_total', 'Frames or lines the source could not use (each one also dead-lettered)', (status) => status.rejects);
    sourceCounter('tickflow_feed_records_total', 'Records the source read', (status) => status.records);

    // The notification service keeps its own counters (no per-write cost here); read at scrape.
    const clients = (): ClientFanoutStats | null => this.#clients?.() ?? null;
    new Gauge({
      name: 'tickflow_ws_clients',
      help: 'WebSocket clients connected to the notification service, per endpoint',
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.reset();
        const stats = clients();
        if (!stats) return;
        this.set({ endpoint: 'notifications' }, stats.notificationClients);
        this.set({ endpoint: 'stream' }, stats.streamClients);
      },
    });
    const clientCounter = (name: string, help: string, read: (stats: ClientFanoutStats) => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          const stats = clients();
          if (stats) this.inc(read(stats));
        },
      });
    };
    clientCounter('tickflow_ws_records_delivered_total', 'Records written to WebSocket client sockets (one per client)', (stats) => stats.delivered);
    clientCounter('tickflow_ws_trades_dropped_total', 'Trades not sent to a lagging /ws/stream client', (stats) => stats.dropped);
    clientCounter('tickflow_ws_records_conflated_total', 'Bars and window metrics replaced in a lagging /ws/stream client\'s queue by a newer one', (stats) => stats.conflated);
    clientCounter('tickflow_ws_slow_consumers_closed_total', '/ws/notifications clients closed with 4008 for falling behind', (stats) => stats.slowClosed);
    clientCounter('tickflow_ws_unread_clients_closed_total', 'WebSocket clients closed with 4009 for not reading (too many bytes unread, or none taken for too long)', (stats) => stats.unreadClosed);
    clientCounter('tickflow_ws_rate_limited_clients_closed_total', 'WebSocket clients closed with 1008 for sending messages faster than allowed', (stats) => stats.rateClosed);
    const overload = (): FanoutOverloadStats | null => this.#overload?.() ?? null;
    new Gauge({
      name: 'tickflow_ws_backlog_records',
      help: 'Records handed to the notification service and not fanned out yet (non-zero only under overload)',
      registers,
      collect() {
        this.set(overload()?.backlog ?? 0);
      },
    });
    new Counter({
      name: 'tickflow_ws_trades_shed_total',
      help: 'Trades the notification service shed for every client because they waited too long under overload',
      registers,
      collect() {
        this.reset();
        const stats = overload();
        if (stats) this.inc(stats.shedTrades);
      },
    });
  }

  /** Lets the scrape-time collectors read this pipeline (the last one watched wins). */
  watch(probe: PipelineProbe): void {
    this.#probe = probe;
  }

  /** Lets the scrape-time collectors read the notification service (`metrics.watchClients(() => hub.stats())`). */
  watchClients(stats: () => ClientFanoutStats, overload?: () => FanoutOverloadStats): void {
    this.#clients = stats;
    this.#overload = overload ?? null;
  }

  /** For the ingest sink. */
  ingest(): IngestMetrics {
    return {
      published: (topic, records) => {
        this.#published.inc({ topic }, records.length);
        const now = this.#now();
        for (const record of records) {
          // A gap's tsEvent is where trades may be missing, not an exchange timestamp.
          if (record.type !== 'gap') this.#observe(this.#exchangeToReceive, 'exchange_to_receive', record.tsRecv - record.tsEvent);
          this.#observe(this.#receiveToBus, 'receive_to_bus', now - record.tsRecv);
        }
      },
      deadLettered: (topic, origin) => {
        this.#published.inc({ topic });
        this.#deadLetters.inc({ origin });
      },
    };
  }

  /** For the runner of processor `processor`. */
  runner(processor: string): RunnerMetrics {
    const busToConsumer = this.#busToConsumer.labels({ processor });
    const exchangeToProcessed = this.#exchangeToProcessed.labels({ processor });
    return {
      received: (batch) => {
        const now = this.#now();
        for (const record of batch) this.#observe(busToConsumer, 'bus_to_consumer', now - record.timestamp);
      },
      processed: (batch) => {
        const now = this.#now();
        const byTopic = new Map<string, number>();
        for (const record of batch) {
          byTopic.set(record.topic, (byTopic.get(record.topic) ?? 0) + 1);
          const tsEvent = tsEventOf(record.value);
          if (tsEvent !== null) this.#observe(exchangeToProcessed, 'exchange_to_processed', now - tsEvent);
        }
        for (const [topic, count] of byTopic) this.#consumed.inc({ topic, processor }, count);
      },
    };
  }

  /** The hook for the WebSocket notification service: `NotificationHub` calls it once per record fanned out (see ClientDeliveryObserver). */
  readonly clientDelivered: ClientDeliveryObserver = (record, channel) => {
    let series = this.#exchangeToClientByChannel.get(channel);
    if (!series) {
      series = this.#exchangeToClient.labels({ channel });
      this.#exchangeToClientByChannel.set(channel, series);
    }
    this.#observe(series, 'exchange_to_client', this.#now() - record.tsEvent);
  };

  /** Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  #observe(histogram: HistogramSeries, hop: Hop, ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (ms < 0) this.#clockSkew.inc({ hop });
    histogram.observe(Math.max(0, ms) / 1000);
  }
}

/**
 * The record's exchange time when its value carries one: a trade's, the newest trade's of window
 * metrics, a bar's end. Not a gap's: that marks where trades may be missing.
 */
function tsEventOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const { tsEvent, type } = value as { tsEvent?: unknown; type?: unknown };
  if (type === 'gap') return null;
  return typeof tsEvent === 'number' && Number.isFinite(tsEvent) ? tsEvent : null;
}
