import { findErrorBy } from '@platformatic/kafka';
import { ERROR_CODES, TickflowError } from '../../errors.ts';

/**
 * The broker no longer counts this client as the member that owns its partitions (a rebalance moved
 * on, or the member was evicted): ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, ...
 * The client marks exactly these protocol errors `needsRejoin`.
 */
export function isMembershipError(error: unknown): boolean {
  return error instanceof Error && findErrorBy(error, 'needsRejoin', true) !== null;
}

export function isUnknownTopicError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // The metadata path reports a missing topic as a UserError "Unknown topic <name>."; produce and
  // fetch report the protocol error itself (code 3).
  return findErrorBy(error, 'apiId', 'UNKNOWN_TOPIC_OR_PARTITION') !== null || /\bUnknown topic\b/.test(messages(error));
}

export function isTopicExistsError(error: unknown): boolean {
  return error instanceof Error && findErrorBy(error, 'apiId', 'TOPIC_ALREADY_EXISTS') !== null;
}

export function unknownTopic(topic: string, cause?: unknown): TickflowError {
  return new TickflowError(ERROR_CODES.BUS_UNKNOWN_TOPIC, `Kafka topic "${topic}" does not exist: create it with Bus.ensureTopics`, { cause });
}

/** The broker or the group did not answer or settle within `timeoutMs`: worth trying again. */
export function busTimeout(message: string): TickflowError {
  return new TickflowError(ERROR_CODES.BUS_TIMEOUT, message, { canRetry: true });
}

export function busClosed(what: string, cause?: unknown): TickflowError {
  return new TickflowError(ERROR_CODES.BUS_CLOSED, `${what}: the Kafka bus is closed`, { cause });
}

/** The message of an error and of everything it wraps (the client nests errors in AggregateErrors). */
function messages(error: Error): string {
  const nested = error instanceof AggregateError ? error.errors.filter((inner): inner is Error => inner instanceof Error) : [];
  const cause = error.cause instanceof Error ? [error.cause] : [];
  return [error.message, ...[...nested, ...cause].map(messages)].join('\n');
}
