import { randomUUID } from 'node:crypto';
import type { Bus } from '../../bus/bus.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import { ConfigError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';
import type { NotificationHub } from '../../notify/notification-hub.ts';
import type { AggregatorSettings } from '../../processors/aggregator/aggregator-settings.ts';
import { StatefulAggregator } from '../../processors/aggregator/stateful-aggregator.ts';
import { AlertsProcessor } from '../../processors/alerts/alerts-processor.ts';
import { ArchiveProcessor } from '../../processors/archive/archive-processor.ts';
import { createKinesisSink } from '../../processors/kinesis/kinesis-sink.ts';
import { RecordLogger } from '../../processors/logger/record-logger.ts';
import { MovingAverageProcessor } from '../../processors/moving-averages/moving-average-processor.ts';
import { NotifyProcessor, notifyGroupId } from '../../processors/notify/notify-processor.ts';
import type { Processor } from '../../processors/runner/processor.ts';
import type { StatefulProcessor } from '../../processors/runner/stateful-processor.ts';
import { SignalsProcessor } from '../../processors/signals/signals-processor.ts';
import { StorageProcessor } from '../../processors/storage/storage-processor.ts';
import type { Store } from '../../store/store.ts';
import type { Topics } from '../../topics.ts';
import { TradingProcessor } from '../../processors/trading/trading-processor.ts';
import { TraderProcessor } from '../../processors/trader/trader-processor.ts';
import { StrategyProcessor, type LiveStrategy } from '../../processors/strategy-runner/strategy-processor.ts';
import type { TradingService } from '../../trading/service/trading-service.ts';
import { tradingAccountResolver } from './default-trading-account.ts';
import { partTopics } from './part-topics.ts';

/** Every processor, upstream to downstream: the order they start in (and stop in, after draining). */
export const PROCESSOR_NAMES = ['aggregator', 'signals', 'alerts', 'trading', 'storage', 'archive', 'moving-averages', 'notify', 'kinesis', 'logger'] as const;
/** `trader` and `strategy` are not run on their own: they run beside `trading` (see `withTraders`, `withStrategy`). */
export type ProcessorName = (typeof PROCESSOR_NAMES)[number] | 'trader' | 'strategy';

/**
 * `names` with the trader right after `trading` when TICKFLOW_TRADERS names any: orders go to the
 * trading service in process, so the trader runs where the service does.
 */
export function withTraders(names: readonly ProcessorName[], config: Pick<Config, 'traders'>): ProcessorName[] {
  if (config.traders.length === 0 || names.includes('trader')) return [...names];
  return names.flatMap((name) => (name === 'trading' ? ['trading', 'trader'] : [name]));
}

/** `names` with the strategy runner right after `trading` (and the trader): it orders through the trading service in process. */
export function withStrategy(names: readonly ProcessorName[]): ProcessorName[] {
  if (names.includes('strategy')) return [...names];
  const after = names.includes('trader') ? 'trader' : 'trading';
  return names.flatMap((name) => (name === after ? [name, 'strategy'] : [name]));
}

/** A processor as built: a plain one commits what it reports durable; a stateful one leaves durability to its runner. */
export type ProcessorSpec = { readonly kind: 'plain'; readonly processor: Processor } | { readonly kind: 'stateful'; readonly processor: StatefulProcessor };

/** What the processors of one process are built from. */
export interface ProcessorContext {
  readonly config: Config;
  readonly bus: Bus;
  readonly topics: Topics;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Close bars on event time (replays) instead of the clock; signals are then stamped with their
   * input's receive time: in a replay, time is the recording's.
   */
  readonly barsOnEventTime: boolean;
  readonly barEligibility?: EligibilityRule;
  /** Where the archive writes. */
  readonly archiveDir: string;
  /** Raw records the archive holds that the ingest journal publishes again after a crash, as JSON: skipped once each. */
  readonly alreadyArchived?: Set<string>;
  /** For `storage`, `moving-averages` and `alerts`. */
  readonly store: Store | null;
  /** For `notify`: the hub whose WebSocket clients the processor feeds. */
  readonly notifyHub: NotificationHub | null;
  /** For `trading`: the paper-trading service the tape is fed to. */
  readonly trading: TradingService | null;
  /** For `strategy`: the user's strategy module and the account it trades. */
  readonly strategy?: LiveStrategy | null;
}

export function createProcessor(name: ProcessorName, context: ProcessorContext): ProcessorSpec {
  const { config, bus, topics } = context;
  const logger = context.logger.child({ processor: name });
  switch (name) {
    case 'aggregator':
      return { kind: 'stateful', processor: new StatefulAggregator(aggregatorSettings(context)) };
    case 'archive':
      return plain(
        new ArchiveProcessor({
          dir: context.archiveDir,
          topics: Object.values(partTopics('archive', topics).reads),
          batchSize: config.archiveBatch,
          flushMs: config.archiveFlushMs,
          dedupe: bus.kind === 'kafka',
          ...(context.alreadyArchived ? { alreadyArchived: { topic: topics.raw, values: context.alreadyArchived } } : {}),
          clock: context.clock,
        }),
      );
    case 'storage': {
      const { reads, writes } = partTopics(name, topics);
      return plain(
        new StorageProcessor({
          store: requireStore(context, name),
          rawTopic: reads.raw,
          metricsTopic: reads.metrics,
          signalsTopic: reads.signals,
          batchSize: config.storeBatch,
          flushMs: config.storeFlushMs,
          deadLetters: { producer: bus.producer(), topic: writes.deadLetters },
          clock: context.clock,
        }),
      );
    }
    case 'moving-averages': {
      const store = requireStore(context, name);
      return plain(
        new MovingAverageProcessor({
          input: partTopics(name, topics).reads.input,
          windows: config.movingAverageWindows,
          saveMovingAverages: async (rows) => void (await store.upsertMovingAverages(rows.map((row) => ({ ...row, kind: row.kind === 'sma' ? 'SMA' : 'EMA' })))),
        }),
      );
    }
    case 'kinesis':
      if (!config.kinesis) throw new ConfigError('the kinesis processor needs KINESIS_STREAM (and AWS_REGION, KINESIS_ENDPOINT as needed)');
      return plain(createKinesisSink(config.kinesis, { topics: Object.values(partTopics(name, topics).reads), logger }));
    case 'signals': {
      const { reads, writes } = partTopics(name, topics);
      return plain(
        new SignalsProcessor({
          inputs: { raw: reads.raw, metrics: reads.metrics },
          output: writes.output,
          deadLetters: writes.deadLetters,
          producer: bus.producer(),
          strategies: config.strategies,
          clock: context.clock,
          stampWithInputTime: context.barsOnEventTime,
          logger,
        }),
      );
    }
    case 'alerts': {
      const { reads, writes } = partTopics(name, topics);
      return plain(
        new AlertsProcessor({
          input: reads.input,
          output: writes.output,
          deadLetters: writes.deadLetters,
          producer: bus.producer(),
          store: requireStore(context, name),
          clock: context.clock,
          reloadMs: config.alertsReloadMs,
          logger,
        }),
      );
    }
    case 'notify':
      if (!context.notifyHub) throw new ConfigError('the notify processor needs a notification hub');
      return plain(
        new NotifyProcessor({
          topics: partTopics(name, topics).reads,
          hub: context.notifyHub,
          logger,
        }),
      );
    case 'trading':
      if (!context.trading) throw new ConfigError('the trading processor needs the trading service (and so a store)');
      return plain(new TradingProcessor({ service: context.trading, rawTopic: partTopics(name, topics).reads.raw, live: !context.barsOnEventTime }));
    case 'trader': {
      if (!context.trading) throw new ConfigError('the trader runs beside the trading processor (the trading service)');
      return plain(
        new TraderProcessor({
          input: partTopics(name, topics).reads.input,
          traders: config.traders,
          gateway: context.trading,
          resolveAccount: tradingAccountResolver(context.trading, config.dataDir),
          live: !context.barsOnEventTime,
          clock: context.clock,
          logger,
        }),
      );
    }
    case 'strategy': {
      if (!context.trading) throw new ConfigError('a strategy runs beside the trading processor (the trading service)');
      if (!context.strategy) throw new ConfigError('the strategy processor needs a strategy (--strategy)');
      const resolve = tradingAccountResolver(context.trading, config.dataDir);
      const { account } = context.strategy;
      return plain(
        new StrategyProcessor({
          topics: partTopics(name, topics).reads,
          strategy: context.strategy.strategy,
          params: context.strategy.params,
          gateway: context.trading,
          resolveAccount: () => resolve(account),
          clock: context.clock,
          logger,
        }),
      );
    }
    case 'logger':
      return plain(new RecordLogger(Object.values(partTopics(name, topics).reads)));
  }
}

/**
 * The live path is the aggregator's metrics and bars and what the notification service pushes to
 * clients; every other processor persists, archives, trades or decides on what that path made, and
 * reads in the background (`ConsumerOptions.background`), so on the embedded bus their batches wait
 * for the aggregator's and notify's instead of delaying them.
 */
export function runsInBackground(name: ProcessorName): boolean {
  return name !== 'aggregator' && name !== 'notify';
}

/** Which processors of `names` need the store. */
export function needsStore(names: readonly ProcessorName[]): boolean {
  return names.some((name) => name === 'storage' || name === 'moving-averages' || name === 'alerts' || name === 'trading');
}

/**
 * The consumer group a processor reads in. Every processor kind shares one group, so its copies
 * split the partitions; the notification service is the exception: each copy delivers every record
 * to its own WebSocket clients, so each reads in a group of its own, from the live end.
 */
export function consumerFor(config: Pick<Config, 'topicPrefix' | 'instanceId'>, name: string): { groupId: string; startFrom?: 'latest' } {
  const group = groupPatternFor(config, name);
  // A live strategy acts on the market from its start on, never on what the topics held before.
  if (name === 'strategy') return { groupId: group.name, startFrom: 'latest' };
  if (group.prefixed) return { groupId: `${group.name}${config.instanceId}-${process.pid}-${randomUUID().slice(0, 8)}`, startFrom: 'latest' };
  return { groupId: group.name };
}

/** The consumer group ids a processor's copies use: one name, or (notify) every id starting with `name`. */
export function groupPatternFor(config: Pick<Config, 'topicPrefix'>, name: string): { name: string; prefixed: boolean } {
  if (name === 'notify') return { name: notifyGroupId(config.topicPrefix, ''), prefixed: true };
  return { name: groupIdFor(config, name), prefixed: false };
}

/** Consumer group of a processor: one group per processor kind, isolated by the topic prefix. */
export function groupIdFor(config: Pick<Config, 'topicPrefix'>, name: string): string {
  return `${config.topicPrefix}tickflow-${name}`;
}

function plain(processor: Processor): ProcessorSpec {
  return { kind: 'plain', processor };
}

function requireStore(context: ProcessorContext, processor: string): Store {
  if (!context.store) throw new ConfigError(`the ${processor} processor needs a store`);
  return context.store;
}

function aggregatorSettings({ config, topics, clock, barsOnEventTime, barEligibility }: ProcessorContext): AggregatorSettings {
  const { reads, writes } = partTopics('aggregator', topics);
  return {
    input: reads.input,
    output: writes.output,
    deadLetters: writes.deadLetters,
    windowSize: config.windowSize,
    publishEvery: config.publishEvery,
    barLatenessMs: config.barLatenessMs,
    closeBarsOnEventTime: barsOnEventTime,
    clock,
    ...(barEligibility ? { eligibility: barEligibility } : {}),
  };
}
