import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACL_PARTS, aclsFor, type AclGrant, type AclPart } from '../../../src/cli/acls/kafka-acls.ts';
import { aclJson, kafkaAclsCommands } from '../../../src/cli/acls/acl-formats.ts';
import { consumerFor, groupIdFor } from '../../../src/cli/compose/processor-factory.ts';
import { loadConfig, type Config } from '../../../src/config/config.ts';
import { transactionalIdFor } from '../../../src/processors/runner/kafka/transactional-runner.ts';
import { stateTopicName, TOPIC_KINDS, topicNames, type TopicKind } from '../../../src/topics.ts';

function config(env: Record<string, string> = {}): Config {
  return loadConfig({ TICKFLOW_DATA_DIR: '/tmp/tickflow-acls-test', ...env }, '/nonexistent/.env');
}

const RUN_PARTS = ACL_PARTS.filter((part) => part !== 'topics');

function grantsOf(parts: readonly AclPart[], cfg: Config): AclGrant[] {
  return parts.flatMap((part) => aclsFor(part, cfg));
}

function partsWith(grants: readonly AclGrant[], name: string, operation: AclGrant['operations'][number]): string[] {
  return [...new Set(grants.filter((grant) => grant.name === name && grant.operations.includes(operation)).map((grant) => grant.part))].sort();
}

describe('tickflow acls print', () => {
  it('gives every topic WRITE only to the parts that write it', () => {
    const cfg = config();
    const grants = grantsOf(RUN_PARTS, cfg);
    const writers: Record<TopicKind, string[]> = {
      raw: ['ingest'],
      metrics: ['aggregator'],
      priceEvents: ['api'],
      signals: ['signals'],
      alerts: ['alerts'],
      deadLetter: ['aggregator', 'alerts', 'ingest', 'signals', 'storage'],
      orders: ['trading'],
      executions: ['trading'],
    };
    const names = topicNames();
    for (const kind of TOPIC_KINDS) assert.deepEqual(partsWith(grants, names[kind], 'WRITE'), writers[kind], `WRITE on ${names[kind]}`);
    assert.deepEqual(partsWith(grants, stateTopicName('', 'aggregator'), 'WRITE'), ['aggregator']);
  });

  it('lets the archive only read: its five topics and its group, nothing written or created', () => {
    const grants = aclsFor('archive', config());
    assert.deepEqual(
      grants.map((grant) => `${grant.resourceType} ${grant.patternType} ${grant.name} ${grant.operations.join(',')}`).sort(),
      [
        'GROUP LITERAL tickflow-archive READ',
        'TOPIC LITERAL aggregated-metrics READ,DESCRIBE',
        'TOPIC LITERAL alerts READ,DESCRIBE',
        'TOPIC LITERAL dead-letter READ,DESCRIBE',
        'TOPIC LITERAL raw-market-data READ,DESCRIBE',
        'TOPIC LITERAL trading-signals READ,DESCRIBE',
      ],
    );
  });

  it('puts the prefix on every name it grants', () => {
    const cfg = config({ TICKFLOW_TOPIC_PREFIX: 'desk7-' });
    const grants = grantsOf(ACL_PARTS, cfg);
    assert.ok(grants.length > 40);
    for (const grant of grants) assert.ok(grant.name.startsWith('desk7-'), `${grant.part}: ${grant.name}`);
    const unprefixed = new Set(grantsOf(ACL_PARTS, config()).map((grant) => `desk7-${grant.name}`));
    assert.deepEqual(new Set(grants.map((grant) => grant.name)), unprefixed);
  });

  it('grants the names set one by one (TICKFLOW_TOPIC_<KIND>), not the defaults', () => {
    const cfg = config({ TICKFLOW_TOPIC_PREFIX: 'desk7-', TICKFLOW_TOPIC_SIGNALS: 'trading_signals' });
    const signals = aclsFor('signals', cfg).filter((grant) => grant.resourceType === 'TOPIC' && grant.operations.includes('WRITE'));
    assert.ok(signals.some((grant) => grant.name === 'desk7-trading_signals'), JSON.stringify(signals));
    assert.ok(!grantsOf(ACL_PARTS, cfg).some((grant) => grant.name === 'desk7-trading-signals'));
  });

  it('grants the groups and transactional ids the running processors use', () => {
    const cfg = config({ TICKFLOW_TOPIC_PREFIX: 'p-', TICKFLOW_INSTANCE_ID: 'host-3' });
    const aggregator = aclsFor('aggregator', cfg);
    const transactional = aggregator.find((grant) => grant.resourceType === 'TRANSACTIONAL_ID');
    assert.equal(transactional?.patternType, 'PREFIXED');
    assert.ok(transactionalIdFor(groupIdFor(cfg, 'aggregator'), cfg.instanceId).startsWith(transactional.name));
    assert.deepEqual(transactional.operations, ['WRITE', 'DESCRIBE']);
    assert.ok(aggregator.some((grant) => grant.resourceType === 'GROUP' && grant.patternType === 'LITERAL' && grant.name === consumerFor(cfg, 'aggregator').groupId));

    const notifyGroup = aclsFor('notify', cfg).find((grant) => grant.resourceType === 'GROUP');
    assert.equal(notifyGroup?.patternType, 'PREFIXED');
    assert.ok(consumerFor(cfg, 'notify').groupId.startsWith(notifyGroup.name));
    assert.notEqual(consumerFor(cfg, 'notify').groupId, consumerFor(cfg, 'notify').groupId, 'each notify copy has a group of its own');
  });

  it('asks CREATE only for `tickflow topics create`', () => {
    const cfg = config();
    assert.deepEqual(
      grantsOf(ACL_PARTS, cfg)
        .filter((grant) => grant.operations.includes('CREATE'))
        .map((grant) => grant.part)
        .filter((part, index, all) => all.indexOf(part) === index),
      ['topics'],
    );
    const created = aclsFor('topics', cfg).map((grant) => grant.name);
    for (const kind of TOPIC_KINDS) assert.ok(created.includes(topicNames()[kind]));
    assert.ok(created.includes(stateTopicName('', 'aggregator')));
  });

  it('runs the trader beside trading when TICKFLOW_TRADERS names one: trading then reads the signals', () => {
    const signals = topicNames().signals;
    assert.deepEqual(partsWith(aclsFor('trading', config()), signals, 'READ'), []);
    const traders = config({ TICKFLOW_TRADERS: JSON.stringify([{ id: 'momentum', account: 'default', strategies: ['ma-crossover'], sizing: { rule: 'fixed-notional', notional: 1000 } }]) });
    assert.deepEqual(partsWith(aclsFor('trading', traders), signals, 'READ'), ['trading']);
    assert.ok(aclsFor('trading', traders).some((grant) => grant.resourceType === 'GROUP' && grant.name === groupIdFor(traders, 'trader')));
  });

  it('prints kafka-acls.sh commands and JSON of the same grants', () => {
    const grants = aclsFor('api', config()).map((grant) => ({ ...grant, principal: 'User:api' }));
    const commands = kafkaAclsCommands(grants, { bootstrapServers: 'k1:9093,k2:9093', commandConfig: '/etc/kafka/admin client.properties' }).split('\n');
    assert.equal(commands.length, grants.length);
    assert.ok(commands.includes(`kafka-acls.sh --bootstrap-server k1:9093,k2:9093 --command-config '/etc/kafka/admin client.properties' --add --allow-principal User:api --operation Write --operation Describe --topic price-events`));
    assert.ok(commands.includes(`kafka-acls.sh --bootstrap-server k1:9093,k2:9093 --command-config '/etc/kafka/admin client.properties' --add --allow-principal User:api --operation Read --group tickflow-notify- --resource-pattern-type prefixed`));
    assert.deepEqual(JSON.parse(aclJson(grants)), grants);
  });
});
