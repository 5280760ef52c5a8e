/** The one place topic names are built. A prefix isolates deployments (and tests) sharing a cluster. */
export const TOPIC_KINDS = ['raw', 'metrics', 'priceEvents', 'signals', 'alerts', 'deadLetter', 'orders', 'executions'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

const BASE_NAMES: Record<TopicKind, string> = {
  raw: 'raw-market-data',
  metrics: 'aggregated-metrics',
  priceEvents: 'price-events',
  signals: 'trading-signals',
  alerts: 'alerts',
  deadLetter: 'dead-letter',
  /** Accepted paper-trading commands, keyed by account. */
  orders: 'orders',
  /** Paper-trading trade updates (fills, cancels, …), keyed by account. */
  executions: 'executions',
};

export type Topics = Readonly<Record<TopicKind, string>>;

export function topicNames(prefix = ''): Topics {
  const names = {} as Record<TopicKind, string>;
  for (const kind of TOPIC_KINDS) names[kind] = `${prefix}${BASE_NAMES[kind]}`;
  return names;
}

/** The compacted topic a stateful processor keeps its state in (Kafka only). */
export function stateTopicName(prefix: string, processor: string): string {
  return `${prefix}${processor}-state`;
}
