import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { topicNames } from '../../src/topics.ts';
import { startCli } from '../support/cli.ts';

const NO_FILE = '/nonexistent/.env';
const namesOf = (env: NodeJS.ProcessEnv) => {
  const config = loadConfig(env, NO_FILE);
  return topicNames(config.topicPrefix, config.topicOverrides);
};

describe('topic names by configuration', () => {
  it('sets each kind by TICKFLOW_TOPIC_<KIND>, the prefix still applying', () => {
    const names = namesOf({
      TICKFLOW_TOPIC_PREFIX: 'desk1.',
      TICKFLOW_TOPIC_RAW: 'ticks',
      TICKFLOW_TOPIC_METRICS: 'windows',
      TICKFLOW_TOPIC_PRICE_EVENTS: 'prices',
      TICKFLOW_TOPIC_SIGNALS: 'trading_signals',
      TICKFLOW_TOPIC_ALERTS: 'alarms',
      TICKFLOW_TOPIC_DEAD_LETTER: 'dlq',
      TICKFLOW_TOPIC_ORDERS: 'paper-orders',
      TICKFLOW_TOPIC_EXECUTIONS: 'paper-fills',
    });
    assert.deepEqual(names, {
      raw: 'desk1.ticks',
      metrics: 'desk1.windows',
      priceEvents: 'desk1.prices',
      signals: 'desk1.trading_signals',
      alerts: 'desk1.alarms',
      deadLetter: 'desk1.dlq',
      orders: 'desk1.paper-orders',
      executions: 'desk1.paper-fills',
    });
  });

  it('keeps the defaults for the kinds not set', () => {
    assert.deepEqual(namesOf({ TICKFLOW_TOPIC_SIGNALS: 'trading_signals' }), { ...topicNames(), signals: 'trading_signals' });
    assert.deepEqual(namesOf({}), topicNames());
  });

  it('accepts the seed names KAFKA_PRICE_EVENTS_TOPIC and KAFKA_BOOTSTRAP_SERVERS', () => {
    const config = loadConfig({ KAFKA_PRICE_EVENTS_TOPIC: 'price_events', KAFKA_BOOTSTRAP_SERVERS: 'kafka-1:9092, kafka-2:9092' }, NO_FILE);
    assert.equal(topicNames(config.topicPrefix, config.topicOverrides).priceEvents, 'price_events');
    assert.deepEqual(config.kafkaBrokers, ['kafka-1:9092', 'kafka-2:9092']);
    const same = loadConfig({ KAFKA_BOOTSTRAP_SERVERS: 'kafka-1:9092,kafka-2:9092', KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' }, NO_FILE);
    assert.deepEqual(same.kafkaBrokers, ['kafka-1:9092', 'kafka-2:9092']);
  });

  it('refuses a seed name and its tickflow name set to different values, naming both', () => {
    assert.throws(() => loadConfig({ KAFKA_BOOTSTRAP_SERVERS: 'a:9092', KAFKA_BROKERS: 'b:9092' }, NO_FILE), { name: 'ConfigError', message: /KAFKA_BOOTSTRAP_SERVERS: set to "a:9092" while KAFKA_BROKERS is "b:9092"; set only one of them/ });
    assert.throws(() => loadConfig({ KAFKA_PRICE_EVENTS_TOPIC: 'a', TICKFLOW_TOPIC_PRICE_EVENTS: 'b' }, NO_FILE), /KAFKA_PRICE_EVENTS_TOPIC: .* while TICKFLOW_TOPIC_PRICE_EVENTS is "b"/);
  });

  it('refuses names Kafka does not take, after the prefix', () => {
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_SIGNALS: 'trading signals' }, NO_FILE), /TICKFLOW_TOPIC_SIGNALS: a Kafka topic name: letters, digits and \. _ - only \(got "trading signals"\)/);
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_RAW: 'r/aw' }, NO_FILE), /TICKFLOW_TOPIC_RAW: a Kafka topic name: letters, digits and \. _ - only \(got "r\/aw"\)/);
    assert.throws(() => loadConfig({ KAFKA_PRICE_EVENTS_TOPIC: 'price events' }, NO_FILE), /KAFKA_PRICE_EVENTS_TOPIC: a Kafka topic name/);
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_PREFIX: 'p'.repeat(200), TICKFLOW_TOPIC_RAW: 'r'.repeat(50) }, NO_FILE), /TICKFLOW_TOPIC_RAW: "p{200}r{50}" is not a Kafka topic name \(1 to 249/);
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_DEAD_LETTER: '..' }, NO_FILE), /TICKFLOW_TOPIC_DEAD_LETTER: "\.\." is not a Kafka topic name/);
  });

  it('refuses two kinds on one topic, naming both variables', () => {
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_RAW: 'alerts' }, NO_FILE), /TICKFLOW_TOPIC_RAW, TICKFLOW_TOPIC_ALERTS: "alerts" is already the raw topic/);
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_PREFIX: 't-', TICKFLOW_TOPIC_ORDERS: 'x', TICKFLOW_TOPIC_EXECUTIONS: 'x' }, NO_FILE), /TICKFLOW_TOPIC_ORDERS, TICKFLOW_TOPIC_EXECUTIONS: "t-x" is already the orders topic \(with TICKFLOW_TOPIC_PREFIX "t-"\)/);
  });

  it('refuses a kind on a processor\'s state topic', () => {
    assert.throws(() => loadConfig({ TICKFLOW_TOPIC_PREFIX: 'p.', TICKFLOW_TOPIC_METRICS: 'aggregator-state' }, NO_FILE), /TICKFLOW_TOPIC_METRICS: "p\.aggregator-state" is a processor's state topic/);
  });

  it('`tickflow topics names` prints the effective names without a broker', async () => {
    const cli = startCli(['topics', 'names'], { TICKFLOW_TOPIC_PREFIX: 'desk1.', TICKFLOW_TOPIC_SIGNALS: 'trading_signals', KAFKA_BROKERS: '127.0.0.1:1' });
    assert.equal(await cli.exited, 0, cli.stderr());
    const lines = cli.stdout().trim().split('\n').map((line) => line.split(/\s{2,}/));
    assert.deepEqual(lines.find((cells) => cells[0] === 'signals'), ['signals', 'desk1.trading_signals', 'TICKFLOW_TOPIC_SIGNALS', 'set (default trading-signals)']);
    assert.deepEqual(lines.find((cells) => cells[0] === 'raw'), ['raw', 'desk1.raw-market-data', 'TICKFLOW_TOPIC_RAW', 'default']);
    assert.deepEqual(lines.find((cells) => cells[0] === 'aggregator state'), ['aggregator state', 'desk1.aggregator-state', 'derived']);
  });
});
