import type { Command } from 'commander';
import type { KafkaTopicSpec } from '../../bus/kafka/kafka-bus.ts';
import { TopicAdmin } from '../../bus/kafka/topic-admin.ts';
import { topicConfigs } from '../../bus/kafka/topic-configs.ts';
import { loadConfig, type Config } from '../../config/config.ts';
import { stateTopicSpec } from '../../processors/runner/kafka/transactional-runner.ts';
import { topicSpecs } from '../compose/topic-specs.ts';
import { TOPIC_VARIABLES } from '../../config/topic-config.ts';
import { DEFAULT_TOPIC_NAMES, STATE_TOPIC_PROCESSORS, stateTopicName, TOPIC_KINDS, topicNames } from '../../topics.ts';
import { stateTopicsOf } from '../compose/part-topics.ts';
import { usageError } from '../usage-error.ts';
import { TOPIC_DEFAULTS } from '../../bus/bus.ts';
import { ERROR_CODES, TickflowError } from '../../errors.ts';

interface CreateOptions {
  readonly partitions?: string;
  readonly retentionMs?: string;
}

export function registerTopics(program: Command): void {
  const topics = program.command('topics').description('administer tickflow\'s Kafka topics (KAFKA_BROKERS)');
  topics
    .command('create')
    .description('create every tickflow topic that is missing (existing ones are left as they are)')
    .option('--partitions <n>', `partitions per topic (default TICKFLOW_PARTITIONS, ${TOPIC_DEFAULTS.partitions})`)
    .option('--retention-ms <ms>', `retention (default TICKFLOW_RETENTION_MS, ${TOPIC_DEFAULTS.retentionMs / 86_400_000} days; -1 forever)`)
    .action((options: CreateOptions) => withAdmin((admin, config) => create(admin, config, options)));
  topics
    .command('names')
    .description('the topic name of each kind, as configured (TICKFLOW_TOPIC_PREFIX, TICKFLOW_TOPIC_<KIND>); needs no broker')
    .action(() => printNames(loadConfig()));
  topics
    .command('list')
    .description('list the cluster\'s topics')
    .action(() => withAdmin(async (admin) => void console.log((await admin.list()).join('\n'))));
  topics
    .command('describe')
    .description('partitions, leaders, replicas and retention of tickflow\'s topics (or the ones named)')
    .argument('[topics...]')
    .action((names: string[]) => withAdmin((admin, config) => describe(admin, config, names)));
}

async function withAdmin(task: (admin: TopicAdmin, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const admin = new TopicAdmin({ brokers: config.kafkaBrokers, clientId: config.kafkaClientId, security: config.kafkaSecurity });
  try {
    await admin.checkSecurity();
    await task(admin, config);
  } catch (error) {
    if (error instanceof TickflowError) throw error;
    // The Kafka client's AggregateError of every broker's refusal: one line naming the brokers tried.
    throw new TickflowError(ERROR_CODES.BUS_TIMEOUT, `no Kafka broker of KAFKA_BROKERS (${[config.kafkaBrokers].flat().join(', ')}) answered: ${(error as Error).message}`, { canRetry: true, cause: error });
  } finally {
    await admin.close();
  }
}

async function create(admin: TopicAdmin, config: Config, options: CreateOptions): Promise<void> {
  const partitions = options.partitions === undefined ? config.partitions : Number(options.partitions);
  if (!Number.isInteger(partitions) || partitions < 1) throw usageError(`--partitions must be a whole number ≥ 1 (got ${options.partitions})`);
  const retentionMs = options.retentionMs === undefined ? config.retentionMs : Number(options.retentionMs);
  if (!Number.isInteger(retentionMs) || retentionMs < -1) throw usageError(`--retention-ms must be -1 or a whole number of ms (got ${options.retentionMs})`);
  const specs: KafkaTopicSpec[] = [...topicSpecs({ ...config, partitions, retentionMs }), ...stateTopicsOf(config.topicPrefix).map((name) => stateTopicSpec(name, partitions))];
  const results = await admin.create(specs);
  for (const [index, { name, created }] of results.entries()) {
    const spec = specs[index]!;
    const settings = topicConfigs(spec).map(({ name: key, value }) => `${key}=${value}`).join(', ');
    console.log(`${created ? 'created' : 'exists '}  ${name}${created ? ` (${partitions} partitions, ${settings})` : ''}`);
  }
}

async function describe(admin: TopicAdmin, config: Config, names: readonly string[]): Promise<void> {
  const wanted = names.length > 0 ? names : [...topicSpecs(config).map((spec) => spec.name), ...stateTopicsOf(config.topicPrefix)];
  const existing = new Set(await admin.list());
  const missing = wanted.filter((name) => !existing.has(name));
  for (const topic of await admin.describe(wanted.filter((name) => existing.has(name)))) {
    const settings = Object.entries(topic.configs).map(([key, value]) => `${key}=${value}`).join(' ');
    console.log(`${topic.name}  partitions=${topic.partitions.length}  ${settings}`);
    for (const partition of topic.partitions) console.log(`  ${partition.partition}  leader=${partition.leader}  replicas=${partition.replicas.join(',')}  isr=${partition.isr.join(',')}`);
  }
  for (const name of missing) console.log(`${name}  (missing: run \`tickflow topics create\`)`);
}

function printNames(config: Config): void {
  const names = topicNames(config.topicPrefix, config.topicOverrides);
  const rows = TOPIC_KINDS.map((kind) => [kind, names[kind], TOPIC_VARIABLES[kind], config.topicOverrides[kind] === undefined ? 'default' : `set (default ${DEFAULT_TOPIC_NAMES[kind]})`]);
  rows.push(...STATE_TOPIC_PROCESSORS.map((processor) => [`${processor} state`, stateTopicName(config.topicPrefix, processor), '', 'derived']));
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  '));
}
