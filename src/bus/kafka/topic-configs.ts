import type { TopicSpec } from '../bus.ts';

/** A topic spec with Kafka topic settings, e.g. `{ 'cleanup.policy': 'compact' }` for a state topic. */
export interface KafkaTopicSpec extends TopicSpec {
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * The settings a topic is created with. Every tickflow topic keeps the broker's append time as its
 * records' timestamp: retention counts from when a record arrived, not from the event time a
 * producer may carry (a replay of 2013's tape, stamped with 2013's times, would otherwise be
 * deleted at the broker's next retention check, before any consumer read it).
 */
export function topicConfigs(spec: KafkaTopicSpec): Array<{ name: string; value: string }> {
  const configs: Record<string, string> = { ...spec.configs };
  if (spec.retentionMs !== undefined) configs['retention.ms'] = String(spec.retentionMs);
  configs['message.timestamp.type'] ??= 'LogAppendTime';
  return Object.entries(configs).map(([name, value]) => ({ name, value }));
}
