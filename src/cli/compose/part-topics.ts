import { stateTopicName, type TopicKind, type Topics } from '../../topics.ts';

/** The topics a part uses, each under the role the part gives it. */
export interface TopicUse {
  readonly reads: Readonly<Record<string, TopicKind>>;
  readonly writes: Readonly<Record<string, TopicKind>>;
  /** Kept in a compacted state topic with Kafka transactions (the TransactionalRunner). */
  readonly stateful?: true;
}

/**
 * What every part of tickflow reads and writes on the bus: the one list the processors are built from
 * (processor-factory.ts), the topics a Kafka process makes sure of, and the grants `tickflow acls print`
 * derives. A part missing here, or a topic a part uses without it being listed, is a bug.
 */
export const PART_TOPICS = {
  /** The feed (or a replay) publishing through the pipeline's sink. */
  ingest: { reads: {}, writes: { raw: 'raw', deadLetter: 'deadLetter' } },
  aggregator: { reads: { input: 'raw' }, writes: { output: 'metrics', deadLetters: 'deadLetter' }, stateful: true },
  signals: { reads: { raw: 'raw', metrics: 'metrics' }, writes: { output: 'signals', deadLetters: 'deadLetter' } },
  alerts: { reads: { input: 'raw' }, writes: { output: 'alerts', deadLetters: 'deadLetter' } },
  /** The processor feeding the tape to the trading service. */
  trading: { reads: { raw: 'raw' }, writes: {} },
  /** The paper-trading service beside the `trading` processor: accepted orders and trade updates. */
  'trading-service': { reads: {}, writes: { orders: 'orders', executions: 'executions' } },
  trader: { reads: { input: 'signals' }, writes: {} },
  strategy: { reads: { raw: 'raw', metrics: 'metrics', executions: 'executions' }, writes: {} },
  storage: { reads: { raw: 'raw', metrics: 'metrics', signals: 'signals' }, writes: { deadLetters: 'deadLetter' } },
  archive: { reads: { raw: 'raw', metrics: 'metrics', signals: 'signals', alerts: 'alerts', deadLetter: 'deadLetter' }, writes: {} },
  'moving-averages': { reads: { input: 'priceEvents' }, writes: {} },
  notify: { reads: { raw: 'raw', metrics: 'metrics', signals: 'signals', alerts: 'alerts' }, writes: {} },
  kinesis: { reads: { raw: 'raw' }, writes: {} },
  logger: { reads: { raw: 'raw', metrics: 'metrics', priceEvents: 'priceEvents', signals: 'signals', alerts: 'alerts', deadLetter: 'deadLetter' }, writes: {} },
  /** The /v1 API's latest-price service: the REST quotes it fetches, as price events. */
  prices: { reads: {}, writes: { priceEvents: 'priceEvents' } },
} as const satisfies Record<string, TopicUse>;

export type PartName = keyof typeof PART_TOPICS;

type Named<Roles> = { readonly [Role in keyof Roles]: string };

/** A part's topics by role, with the deployment's names (prefix included). */
export function partTopics<P extends PartName>(part: P, topics: Topics): { readonly reads: Named<(typeof PART_TOPICS)[P]['reads']>; readonly writes: Named<(typeof PART_TOPICS)[P]['writes']> } {
  const use: TopicUse = PART_TOPICS[part];
  const named = (roles: TopicUse['reads']) => Object.fromEntries(Object.entries(roles).map(([role, kind]) => [role, topics[kind]]));
  return { reads: named(use.reads), writes: named(use.writes) } as ReturnType<typeof partTopics<P>>;
}

/** The parts keeping their state in a compacted topic of their own on Kafka. */
export function statefulParts(): PartName[] {
  return (Object.keys(PART_TOPICS) as PartName[]).filter((part) => (PART_TOPICS[part] as TopicUse).stateful);
}

/** The state topics of every stateful part (Kafka only), with the deployment's prefix. */
export function stateTopicsOf(prefix: string): string[] {
  return statefulParts().map((part) => stateTopicName(prefix, part));
}

/** Every topic kind the parts read or write, once each. */
export function topicKindsOf(parts: readonly PartName[]): Set<TopicKind> {
  const kinds = new Set<TopicKind>();
  for (const part of parts) {
    const use: TopicUse = PART_TOPICS[part];
    for (const kind of [...Object.values(use.reads), ...Object.values(use.writes)]) kinds.add(kind);
  }
  return kinds;
}
