import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError, ResponseError } from '@platformatic/kafka';
import { KafkaAccessDenied } from '../../../src/bus/access-denied.ts';
import { deniedOr } from '../../../src/bus/kafka/authorization-failures.ts';
import { ERROR_CODES } from '../../../src/errors.ts';

/** What @platformatic/kafka rejects with when a response carries `code` (its own error classes, as a broker answer builds them). */
function answered(code: number): ResponseError {
  return new ResponseError(0, 9, { '/topics/0': [code, null] }, {});
}

describe('a Kafka access denial', () => {
  it('names the operation, the resource and the command that prints the grants', () => {
    const denied = deniedOr(answered(29), { operation: 'WRITE', topics: ['trading-signals'] });
    assert.ok(denied instanceof KafkaAccessDenied);
    assert.equal(denied.code, ERROR_CODES.BUS_ACCESS_DENIED);
    assert.equal(denied.canRetry, false);
    assert.equal(denied.forPart('signals').message, "Kafka denied WRITE on topic 'trading-signals' to this client: grant it (see `tickflow acls print signals`)");
  });

  it('tells a group, a transactional id and the cluster from a topic by the protocol error', () => {
    const attempt = { operation: 'READ', topics: ['raw-market-data', 'aggregated-metrics'], group: 'tickflow-signals', transactionalId: 'tickflow-aggregator-h1' } as const;
    assert.equal((deniedOr(answered(30), attempt) as Error).message, "Kafka denied READ on group 'tickflow-signals' to this client: grant it (see `tickflow acls print`)");
    assert.equal((deniedOr(answered(53), attempt) as Error).message, "Kafka denied WRITE on transactional id 'tickflow-aggregator-h1' to this client: grant it (see `tickflow acls print`)");
    assert.equal((deniedOr(answered(31), attempt) as Error).message, 'Kafka denied IDEMPOTENT_WRITE on the cluster to this client: grant it (see `tickflow acls print`)');
    assert.equal((deniedOr(new ProtocolError('TOPIC_AUTHORIZATION_FAILED'), attempt) as Error).message, "Kafka denied READ on topic 'raw-market-data' or 'aggregated-metrics' to this client: grant it (see `tickflow acls print`)");
  });

  it('leaves every other error as it is', () => {
    const other = answered(3);
    assert.equal(deniedOr(other, { operation: 'WRITE', topics: ['t'] }), other);
    const fenced = new ProtocolError('INVALID_PRODUCER_EPOCH');
    assert.equal(deniedOr(fenced, { operation: 'WRITE', transactionalId: 'x' }), fenced);
  });
});
