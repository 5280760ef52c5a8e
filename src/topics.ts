/** The one place topic names are built. A prefix isolates deployments (and tests) sharing a cluster. */
export const TOPIC_KINDS = ['raw', 'metrics', 'priceEvents', 'signals', 'alerts', 'deadLetter', 'orders', 'executions'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

export const DEFAULT_TOPIC_NAMES: Readonly<Record<TopicKind, string>> = {
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

/** Processors that keep their state in a compacted topic of their own (`stateTopicName`). */
export const STATE_TOPIC_PROCESSORS = ['aggregator'] as const;

export type Topics = Readonly<Record<TopicKind, string>>;

/** Names set one by one, in place of the defaults; the prefix still applies to them. */
export type TopicOverrides = Readonly<Partial<Record<TopicKind, string>>>;

/** Kafka's own rule for a topic name (and `.`/`..` are reserved). */
const LEGAL_TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export function topicNames(prefix = '', overrides: TopicOverrides = {}): Topics {
  const names = {} as Record<TopicKind, string>;
  for (const kind of TOPIC_KINDS) names[kind] = `${prefix}${overrides[kind] ?? DEFAULT_TOPIC_NAMES[kind]}`;
  return names;
}

/** The compacted topic a stateful processor keeps its state in (Kafka only). */
export function stateTopicName(prefix: string, processor: string): string {
  return `${prefix}${processor}-state`;
}

export interface TopicNameProblem {
  readonly kind: TopicKind;
  /** The kind already on the same topic. */
  readonly clashesWith?: TopicKind;
  readonly problem: string;
}

/**
 * Why the names `topicNames(prefix, overrides)` builds cannot be used, by kind: not a legal Kafka
 * topic name, two kinds on one topic, or a kind on a processor's state topic. Empty when they can.
 */
export function topicNameProblems(prefix: string, overrides: TopicOverrides): TopicNameProblem[] {
  const names = topicNames(prefix, overrides);
  const problems: TopicNameProblem[] = [];
  const owner = new Map<string, TopicKind>();
  const stateTopics = new Set(STATE_TOPIC_PROCESSORS.map((processor) => stateTopicName(prefix, processor)));
  for (const kind of TOPIC_KINDS) {
    const name = names[kind];
    const earlier = owner.get(name);
    if (!LEGAL_TOPIC_NAME.test(name) || name === '.' || name === '..') problems.push({ kind, problem: `${JSON.stringify(name)} is not a Kafka topic name (1 to 249 of letters, digits and . _ -)` });
    else if (earlier) problems.push({ kind, clashesWith: earlier, problem: `${JSON.stringify(name)} is already the ${earlier} topic` });
    else if (stateTopics.has(name)) problems.push({ kind, problem: `${JSON.stringify(name)} is a processor's state topic` });
    owner.set(name, earlier ?? kind);
  }
  return problems;
}
