import type { Bus } from '../../bus/bus.ts';
import { KafkaBus } from '../../bus/kafka/kafka-bus.ts';
import { MemoryBus } from '../../bus/memory/memory-bus.ts';
import type { Config } from '../../config/config.ts';

export function createBus(config: Config, kind: 'memory' | 'kafka' = config.bus): Bus {
  if (kind === 'memory') return new MemoryBus({ defaultPartitions: config.partitions });
  // 60 retries 500 ms apart ride out a broker restart (~30 s) without failing a send; the idempotent
  // producer resends with the same sequence numbers, so a retried batch is never written twice.
  return new KafkaBus({
    brokers: config.kafkaBrokers,
    clientId: config.kafkaClientId,
    compression: config.kafkaCompression,
    retries: 60,
    retryDelayMs: 500,
    sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    heartbeatIntervalMs: Math.min(1_000, Math.floor(config.kafkaSessionTimeoutMs / 3)),
  });
}
