import type { AclOperationName } from '../../bus/access-denied.ts';
import type { Config } from '../../config/config.ts';
import { transactionalIdFor } from '../../processors/runner/kafka/transactional-runner.ts';
import { stateTopicName, topicNames } from '../../topics.ts';
import { PART_TOPICS, stateTopicsOf, type PartName, type TopicUse } from '../compose/part-topics.ts';
import { partsOfPlan, RUNNABLE, runPlanFor, type Runnable } from '../compose/process-parts.ts';
import { groupPatternFor, type ProcessorName } from '../compose/processor-factory.ts';
import { topicSpecs } from '../compose/topic-specs.ts';

/** What `tickflow acls print` covers: every `tickflow run` part, and `tickflow topics create`. */
export const ACL_PARTS = [...RUNNABLE, 'topics'] as const;
export type AclPart = (typeof ACL_PARTS)[number];

export type AclResourceType = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID';

/** One Kafka ACL binding to allow: a resource (or every one whose name starts with `name`) and the operations on it. */
export interface AclGrant {
  readonly part: AclPart;
  readonly resourceType: AclResourceType;
  readonly patternType: 'LITERAL' | 'PREFIXED';
  readonly name: string;
  readonly operations: readonly AclOperationName[];
  /** What the part does with it, for people reading the list. */
  readonly why: string;
}

const OPERATION_ORDER: readonly AclOperationName[] = ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'IDEMPOTENT_WRITE'];

/**
 * Exactly what the process `tickflow run <part>` (or `tickflow topics create`) is refused without,
 * from the definitions it is wired by: the topics its parts read and write (PART_TOPICS), its
 * consumer groups, its state topics and transactional ids. Nothing to create: a process creates
 * the topics it uses only when it may, else they must exist (`tickflow topics create`). On Kafka 3.0
 * and later, WRITE on a topic lets the idempotent producer start (no IDEMPOTENT_WRITE on the cluster).
 */
export function aclsFor(part: AclPart, config: Pick<Config, 'topicPrefix' | 'topicOverrides' | 'traders' | 'partitions' | 'retentionMs'>): AclGrant[] {
  const grants = part === 'topics' ? topicCreation(config) : runGrants(part, config);
  return merged(grants);
}

function runGrants(part: Runnable, config: Pick<Config, 'topicPrefix' | 'topicOverrides' | 'traders'>): AclGrant[] {
  const plan = runPlanFor(part, config);
  const names = topicNames(config.topicPrefix, config.topicOverrides);
  const grants: AclGrant[] = [];
  const grant = (resourceType: AclResourceType, name: string, operations: readonly AclOperationName[], why: string, patternType: AclGrant['patternType'] = 'LITERAL') =>
    grants.push({ part, resourceType, patternType, name, operations, why });
  for (const used of partsOfPlan(plan)) {
    const use: TopicUse = PART_TOPICS[used];
    for (const kind of Object.values(use.reads)) grant('TOPIC', names[kind], ['READ', 'DESCRIBE'], `${used} reads`);
    for (const kind of Object.values(use.writes)) grant('TOPIC', names[kind], ['WRITE', 'DESCRIBE'], `${used} writes`);
    if (!isProcessor(used, plan.processors)) continue;
    const group = groupPatternFor(config, used);
    grant('GROUP', group.name, ['READ'], `${used} consumer group${group.prefixed ? ' (one per copy)' : ''}`, group.prefixed ? 'PREFIXED' : 'LITERAL');
    if (!use.stateful) continue;
    grant('TOPIC', stateTopicName(config.topicPrefix, used), ['READ', 'WRITE', 'DESCRIBE'], `${used} state`);
    // The id ends in TICKFLOW_INSTANCE_ID, which differs from copy to copy.
    grant('TRANSACTIONAL_ID', transactionalIdFor(group.name, ''), ['WRITE', 'DESCRIBE'], `${used} transactions (one id per copy)`, 'PREFIXED');
  }
  return grants;
}

function topicCreation(config: Pick<Config, 'topicPrefix' | 'partitions' | 'retentionMs'>): AclGrant[] {
  const names = [...topicSpecs(config).map((spec) => spec.name), ...stateTopicsOf(config.topicPrefix)];
  // DESCRIBE: an existing topic is reported as existing, instead of refused, only to a principal that may describe it.
  return names.map((name) => ({ part: 'topics', resourceType: 'TOPIC', patternType: 'LITERAL', name, operations: ['CREATE', 'DESCRIBE'], why: 'tickflow topics create' }));
}

function isProcessor(part: PartName, processors: readonly ProcessorName[]): part is ProcessorName {
  return (processors as readonly string[]).includes(part);
}

/** One grant per resource, with the union of the operations asked for it. */
function merged(grants: readonly AclGrant[]): AclGrant[] {
  const byResource = new Map<string, AclGrant>();
  for (const grant of grants) {
    const key = `${grant.resourceType} ${grant.patternType} ${grant.name}`;
    const seen = byResource.get(key);
    if (!seen) {
      byResource.set(key, grant);
      continue;
    }
    const operations = OPERATION_ORDER.filter((operation) => seen.operations.includes(operation) || grant.operations.includes(operation));
    byResource.set(key, { ...seen, operations, why: seen.why === grant.why ? seen.why : `${seen.why}; ${grant.why}` });
  }
  return [...byResource.values()];
}
