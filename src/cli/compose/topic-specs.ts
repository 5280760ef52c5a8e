import type { TopicSpec } from '../../bus/bus.ts';
import type { Config } from '../../config/config.ts';
import { TOPIC_KINDS, topicNames } from '../../topics.ts';

/** Every topic tickflow uses, with the configured partitions and retention. */
export function topicSpecs(config: Pick<Config, 'topicPrefix' | 'partitions' | 'retentionMs'> & Partial<Pick<Config, 'topicOverrides'>>): TopicSpec[] {
  const names = topicNames(config.topicPrefix, config.topicOverrides);
  return TOPIC_KINDS.map((kind) => ({ name: names[kind], partitions: config.partitions, retentionMs: config.retentionMs }));
}
