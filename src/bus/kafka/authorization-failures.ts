import { findErrorBy } from '@platformatic/kafka';
import { KafkaAccessDenied } from '../access-denied.ts';

/** What a client asked for when `error` came back: the topics it used and how, its group, its transactional id. */
export interface Attempt {
  readonly operation: 'READ' | 'WRITE' | 'DESCRIBE' | 'CREATE';
  readonly topics?: readonly string[];
  readonly group?: string;
  readonly transactionalId?: string;
}

/**
 * `error` as a KafkaAccessDenied when the broker refused `attempt` for lack of an ACL (protocol errors
 * 29-31 and 53), else `error` itself. A group is always read, a transactional id written, and the
 * cluster asked for idempotent writes: those are the only operations tickflow's clients need on them.
 */
export function deniedOr(error: unknown, attempt: Attempt): unknown {
  if (error instanceof KafkaAccessDenied || !(error instanceof Error)) return error;
  if (attempt.group && findErrorBy(error, 'apiId', 'GROUP_AUTHORIZATION_FAILED')) return new KafkaAccessDenied('READ', { type: 'group', names: [attempt.group] }, { cause: error });
  if (attempt.transactionalId && findErrorBy(error, 'apiId', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')) {
    return new KafkaAccessDenied('WRITE', { type: 'transactional id', names: [attempt.transactionalId] }, { cause: error });
  }
  if (attempt.topics?.length && findErrorBy(error, 'apiId', 'TOPIC_AUTHORIZATION_FAILED')) return new KafkaAccessDenied(attempt.operation, { type: 'topic', names: attempt.topics }, { cause: error });
  if (findErrorBy(error, 'apiId', 'CLUSTER_AUTHORIZATION_FAILED')) return new KafkaAccessDenied('IDEMPOTENT_WRITE', { type: 'cluster' }, { cause: error });
  return error;
}
