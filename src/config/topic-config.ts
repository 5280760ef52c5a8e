import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { TOPIC_KINDS, topicNameProblems, type TopicKind, type TopicOverrides } from '../topics.ts';

const topicName = z.string().trim().regex(/^[A-Za-z0-9._-]+$/, 'a Kafka topic name: letters, digits and . _ - only').optional();

/** `TICKFLOW_TOPIC_<KIND>`: one topic's name in place of its default (the prefix still applies). */
export const TOPIC_SETTINGS = {
  TICKFLOW_TOPIC_RAW: topicName,
  TICKFLOW_TOPIC_METRICS: topicName,
  TICKFLOW_TOPIC_PRICE_EVENTS: topicName,
  TICKFLOW_TOPIC_SIGNALS: topicName,
  TICKFLOW_TOPIC_ALERTS: topicName,
  TICKFLOW_TOPIC_DEAD_LETTER: topicName,
  TICKFLOW_TOPIC_ORDERS: topicName,
  TICKFLOW_TOPIC_EXECUTIONS: topicName,
  /** The seed market-data service's names, read as the variables they stand for (`SEED_ALIASES`). */
  KAFKA_BOOTSTRAP_SERVERS: z.string().optional(),
  KAFKA_PRICE_EVENTS_TOPIC: topicName,
};

type TopicVariable = Exclude<keyof typeof TOPIC_SETTINGS, keyof typeof SEED_ALIASES>;

export const TOPIC_VARIABLES: Readonly<Record<TopicKind, TopicVariable>> = {
  raw: 'TICKFLOW_TOPIC_RAW',
  metrics: 'TICKFLOW_TOPIC_METRICS',
  priceEvents: 'TICKFLOW_TOPIC_PRICE_EVENTS',
  signals: 'TICKFLOW_TOPIC_SIGNALS',
  alerts: 'TICKFLOW_TOPIC_ALERTS',
  deadLetter: 'TICKFLOW_TOPIC_DEAD_LETTER',
  orders: 'TICKFLOW_TOPIC_ORDERS',
  executions: 'TICKFLOW_TOPIC_EXECUTIONS',
};

/** Seed variable → the tickflow variable it stands for. */
export const SEED_ALIASES = { KAFKA_BOOTSTRAP_SERVERS: 'KAFKA_BROKERS', KAFKA_PRICE_EVENTS_TOPIC: 'TICKFLOW_TOPIC_PRICE_EVENTS' } as const;

/**
 * Fills each tickflow variable from its seed alias when only the alias is set. Both set to different
 * values is a ConfigError naming both: neither silently wins.
 */
export function applySeedAliases(settings: Record<string, string | undefined>): void {
  const problems: string[] = [];
  for (const [alias, variable] of Object.entries(SEED_ALIASES)) {
    const given = settings[alias];
    if (given === undefined || given.trim() === '') continue;
    const own = settings[variable];
    if (own === undefined || own.trim() === '') settings[variable] = given;
    else if (listed(own) !== listed(given)) problems.push(`  ${alias}: set to ${JSON.stringify(given)} while ${variable} is ${JSON.stringify(own)}; set only one of them`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** The names set one by one, checked against each other and Kafka's rules once prefixed. */
export function topicOverridesFrom(raw: { readonly [variable in TopicVariable]?: string | undefined }, prefix: string): TopicOverrides {
  const overrides: Partial<Record<TopicKind, string>> = {};
  for (const kind of TOPIC_KINDS) {
    const name = raw[TOPIC_VARIABLES[kind]];
    if (name !== undefined) overrides[kind] = name;
  }
  const problems = topicNameProblems(prefix, overrides).map(({ kind, clashesWith, problem }) => {
    const variables = clashesWith ? `${TOPIC_VARIABLES[clashesWith]}, ${TOPIC_VARIABLES[kind]}` : TOPIC_VARIABLES[kind];
    return `  ${variables}: ${problem}${prefix === '' ? '' : ` (with TICKFLOW_TOPIC_PREFIX ${JSON.stringify(prefix)})`}`;
  });
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return overrides;
}

/** A comma-separated value as a canonical list, so `a:1, b:2` and `a:1,b:2` are the same setting. */
function listed(value: string): string {
  return value.split(',').map((part) => part.trim()).filter(Boolean).join(',');
}
