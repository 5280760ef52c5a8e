import type { Bus } from '../bus/bus.ts';
import { KafkaBus } from '../bus/kafka/kafka-bus.ts';
import { MemoryBus } from '../bus/memory/memory-bus.ts';
import type { Config } from '../config/config.ts';

export function createBus(config: Config, kind: 'memory' | 'kafka' = config.bus): Bus {
  if (kind === 'memory') return new MemoryBus({ defaultPartitions: config.partitions });
  return new KafkaBus({ brokers: config.kafkaBrokers, clientId: config.kafkaClientId, compression: config.kafkaCompression });
}
