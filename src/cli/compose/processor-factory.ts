import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Bus } from '../../bus/bus.ts';
import type { Config } from '../../config/config.ts';
import type { AggregatorSettings } from '../../processors/aggregator/aggregator-settings.ts';
import { ArchiveProcessor } from '../../processors/archive/archive-processor.ts';
import type { EligibilityRule } from '../../model/trade-eligibility.ts';
import { RecordLogger } from '../../processors/logger/record-logger.ts';
import { StorageProcessor } from '../../processors/storage/storage-processor.ts';
import { MovingAverageProcessor } from '../../processors/moving-averages/moving-average-processor.ts';
import type { Store } from '../../store/store.ts';
import { createKinesisSink } from '../../processors/kinesis/kinesis-sink.ts';
import { ConfigError } from '../../errors.ts';
import type { Processor } from '../../processors/runner/processor.ts';
import { stateTopicName, type Topics } from '../../topics.ts';
import type { KafkaBus } from '../../bus/kafka/kafka-bus.ts';
import { StatefulAggregator } from '../../processors/aggregator/stateful-aggregator.ts';
import { TransactionalRunner } from '../../processors/runner/kafka/transactional-runner.ts';
import { PlainStatefulProcessor } from '../../processors/runner/plain-stateful-processor.ts';
import type { Logger } from '../../logger.ts';
import type { Clock } from '../../clock.ts';
import { SignalsProcessor } from '../../processors/signals/signals-processor.ts';
import { AlertsProcessor } from '../../processors/alerts/alerts-processor.ts';
import { NotifyProcessor, notifyGroupId } from '../../processors/notify/notify-processor.ts';
import type { NotificationHub } from '../../notify/notification-hub.ts';

export const PROCESSOR_NAMES = ['aggregator', 'signals', 'alerts', 'storage', 'archive', 'moving-averages', 'notify', 'kinesis', 'logger'] as const;
export type ProcessorName = (typeof PROCESSOR_NAMES)[number];

export interface ProcessorContext {
  readonly config: Config;
  readonly bus: Bus;
  readonly topics: Topics;
  readonly clock: Clock;
  /**
   * Close bars on event time (replays) instead of the clock; signals are then stamped with their
   * input's receive time: in a replay, time is the recording's.
   */
  readonly barsOnEventTime?: boolean;
  readonly barEligibility?: EligibilityRule;
  /** Where the archive writes; default `<data dir>/archive`. */
  readonly archiveDir?: string;
  /** For `storage`, `moving-averages` and `alerts`. */
  readonly store?: Store;
  /** For `notify`: the hub whose WebSocket clients the processor feeds. */
  readonly notifyHub?: NotificationHub;
  readonly logger?: Logger;
}

export function createProcessor(name: ProcessorName, context: ProcessorContext): Processor {
  const { config, bus, topics } = context;
  switch (name) {
    case 'aggregator':
      return new PlainStatefulProcessor(new StatefulAggregator(aggregatorSettings(context)), bus.producer());
    case 'archive':
      return new ArchiveProcessor({
        dir: context.archiveDir ?? join(config.dataDir, 'archive'),
        topics: [topics.raw, topics.metrics, topics.signals, topics.alerts, topics.deadLetter],
        batchSize: config.archiveBatch,
        flushMs: config.archiveFlushMs,
        clock: context.clock,
        dedupe: bus.kind === 'kafka',
      });
    case 'storage':
      return new StorageProcessor({
        store: requireStore(context, name),
        rawTopic: topics.raw,
        metricsTopic: topics.metrics,
        signalsTopic: topics.signals,
        batchSize: config.storeBatch,
        flushMs: config.storeFlushMs,
        clock: context.clock,
        deadLetters: { producer: bus.producer(), topic: topics.deadLetter },
      });
    case 'moving-averages': {
      const store = requireStore(context, name);
      return new MovingAverageProcessor({
        input: topics.priceEvents,
        windows: config.movingAverageWindows,
        saveMovingAverages: async (rows) => void (await store.upsertMovingAverages(rows.map((row) => ({ ...row, kind: row.kind === 'sma' ? 'SMA' : 'EMA' })))),
      });
    }
    case 'kinesis':
      if (!config.kinesis) throw new ConfigError('the kinesis processor needs KINESIS_STREAM (and AWS_REGION, KINESIS_ENDPOINT as needed)');
      return createKinesisSink(config.kinesis, { topics: [topics.raw], ...(context.logger ? { logger: context.logger.child({ processor: 'kinesis' }) } : {}) });
    case 'signals':
      return new SignalsProcessor({
        inputs: { raw: topics.raw, metrics: topics.metrics },
        output: topics.signals,
        deadLetters: topics.deadLetter,
        producer: bus.producer(),
        strategies: config.strategies,
        clock: context.clock,
        stampWithInputTime: context.barsOnEventTime ?? false,
        ...loggerFor(context, name),
      });
    case 'alerts':
      return new AlertsProcessor({
        input: topics.raw,
        output: topics.alerts,
        deadLetters: topics.deadLetter,
        producer: bus.producer(),
        store: requireStore(context, name),
        clock: context.clock,
        reloadMs: config.alertsReloadMs,
        ...loggerFor(context, name),
      });
    case 'notify': {
      if (!context.notifyHub) throw new Error('the notify processor needs a notification hub');
      return new NotifyProcessor({
        topics: { raw: topics.raw, metrics: topics.metrics, signals: topics.signals, alerts: topics.alerts },
        hub: context.notifyHub,
        ...loggerFor(context, name),
      });
    }
    case 'logger':
      return new RecordLogger([topics.raw, topics.metrics, topics.priceEvents, topics.signals, topics.alerts, topics.deadLetter]);
  }
}

function loggerFor(context: ProcessorContext, processor: string): { logger?: Logger } {
  return context.logger ? { logger: context.logger.child({ processor }) } : {};
}

/**
 * The consumer group a processor reads in. Every processor kind shares one group, so its copies
 * split the partitions; the notification service is the exception: each copy delivers every record
 * to its own WebSocket clients, so each reads in a group of its own, from the live end.
 */
export function consumerFor(config: Pick<Config, 'topicPrefix' | 'instanceId'>, name: string): { groupId: string; startFrom?: 'latest' } {
  if (name === 'notify') return { groupId: notifyGroupId(config.topicPrefix, `${config.instanceId}-${process.pid}-${randomUUID().slice(0, 8)}`), startFrom: 'latest' };
  return { groupId: groupIdFor(config, name) };
}

function requireStore(context: ProcessorContext, processor: string): Store {
  if (!context.store) throw new Error(`the ${processor} processor needs a store`);
  return context.store;
}

function aggregatorSettings({ config, topics, clock, barsOnEventTime, barEligibility }: ProcessorContext): AggregatorSettings {
  return {
    input: topics.raw,
    output: topics.metrics,
    deadLetters: topics.deadLetter,
    windowSize: config.windowSize,
    publishEvery: config.publishEvery,
    barLatenessMs: config.barLatenessMs,
    closeBarsOnEventTime: barsOnEventTime ?? false,
    clock,
    ...(barEligibility ? { eligibility: barEligibility } : {}),
  };
}

/** The aggregator for the Kafka bus: exactly once, its state in a compacted topic (see TransactionalRunner). */
export function createTransactionalAggregator(
  context: ProcessorContext & { readonly bus: KafkaBus; readonly logger: Logger },
): TransactionalRunner & { processorStats(): Readonly<Record<string, number>> } {
  const { config, bus, clock } = context;
  const processor = new StatefulAggregator(aggregatorSettings(context));
  const runner = new TransactionalRunner({
    bus,
    processor,
    groupId: groupIdFor(config, processor.name),
    stateTopic: stateTopicName(config.topicPrefix, processor.name),
    instanceId: config.instanceId,
    clock,
    logger: context.logger.child({ processor: processor.name }),
  });
  return Object.assign(runner, { processorStats: () => processor.stats() });
}

/** Consumer group of a processor: one group per processor kind, isolated by the topic prefix. */
export function groupIdFor(config: Pick<Config, 'topicPrefix'>, name: string): string {
  return `${config.topicPrefix}tickflow-${name}`;
}
