import type { Bus } from '../../bus/bus.ts';
import { KafkaBus } from '../../bus/kafka/kafka-bus.ts';
import { MemoryBus } from '../../bus/memory/memory-bus.ts';
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../../logger.ts';
import type { RunnerMetrics } from '../../observability/metrics.ts';
import { TransactionalRunner } from '../../processors/runner/kafka/transactional-runner.ts';
import type { Processor } from '../../processors/runner/processor.ts';
import { ProcessorRunner } from '../../processors/runner/processor-runner.ts';
import { PlainStatefulProcessor } from '../../processors/runner/plain-stateful-processor.ts';
import { stateTopicName } from '../../topics.ts';
import type { Runner } from '../../processors/runner/runner.ts';
import type { ProcessorSpec } from './processor-factory.ts';
import { KAFKA_BUS_DEFAULTS } from '../../bus/kafka/options.ts';

export type BusKind = 'memory' | 'kafka';

export interface RunnerContext {
  readonly groupId: string;
  readonly startFrom?: 'latest';
  /** See `runsInBackground`. */
  readonly background?: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: RunnerMetrics;
}

/**
 * A bus and the way processors run on it: the one place where the embedded and the Kafka modes
 * differ. A plain processor runs the same on both; a stateful one is published plainly on the
 * embedded bus (its state lives and dies with the process) and in Kafka transactions together with
 * its state and input offsets on Kafka (exactly once).
 */
export interface BusWiring {
  readonly kind: BusKind;
  readonly bus: Bus;
  runner(spec: ProcessorSpec, context: RunnerContext): Runner;
}

export function wireBus(config: Config, kind: BusKind): BusWiring {
  return kind === 'kafka' ? kafkaWiring(config) : memoryWiring(config);
}

function memoryWiring(config: Config): BusWiring {
  const bus = new MemoryBus({ defaultPartitions: config.partitions });
  return {
    kind: 'memory',
    bus,
    runner: (spec, context) => plainRunner(bus, spec.kind === 'plain' ? spec.processor : new PlainStatefulProcessor(spec.processor, bus.producer()), context),
  };
}

function kafkaWiring(config: Config): BusWiring {
  const bus = createKafkaBus(config);
  return {
    kind: 'kafka',
    bus,
    runner(spec, context) {
      if (spec.kind === 'plain') return plainRunner(bus, spec.processor, context);
      const { processor } = spec;
      const runner = new TransactionalRunner({
        bus,
        processor,
        groupId: context.groupId,
        stateTopic: stateTopicName(config.topicPrefix, processor.name),
        instanceId: config.instanceId,
        clock: context.clock,
        logger: context.logger,
      });
      if (context.metrics) runner.instrument(context.metrics);
      return Object.assign(runner, { processorStats: () => processor.stats?.() ?? {} });
    },
  };
}

/** The Kafka bus with tickflow's producer and consumer settings. */
export function createKafkaBus(config: Config): KafkaBus {
  // 60 retries 500 ms apart ride out a broker restart (~30 s) without failing a send; the idempotent
  // producer resends with the same sequence numbers, so a retried batch is never written twice.
  return new KafkaBus({
    brokers: config.kafkaBrokers,
    clientId: config.kafkaClientId,
    compression: config.kafkaCompression,
    retries: 60,
    retryDelayMs: 500,
    sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    heartbeatIntervalMs: Math.min(KAFKA_BUS_DEFAULTS.heartbeatIntervalMs, Math.floor(config.kafkaSessionTimeoutMs / 3)),
    security: config.kafkaSecurity,
  });
}

function plainRunner(bus: Bus, processor: Processor, context: RunnerContext): Runner {
  const runner = new ProcessorRunner({
    bus,
    processor,
    groupId: context.groupId,
    ...(context.startFrom ? { startFrom: context.startFrom } : {}),
    ...(context.background ? { background: true } : {}),
    clock: context.clock,
    logger: context.logger,
    ...(context.metrics ? { metrics: context.metrics } : {}),
  });
  return Object.assign(runner, { processorStats: () => processor.stats?.() ?? {} });
}
