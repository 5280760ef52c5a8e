import { Admin } from '@platformatic/kafka';
import { absorbConnectionErrors } from './connection-errors.ts';
import type { KafkaTopicSpec } from './kafka-bus.ts';
import { isTopicExistsError } from './kafka-errors.ts';
import { probeSecurity } from './security-probe.ts';
import { clientConnection, PLAINTEXT, type KafkaSecurityOptions } from './security.ts';
import { topicConfigs } from './topic-configs.ts';

/** Kafka's resource type for topics in DescribeConfigs. */
const TOPIC_RESOURCE = 2;

export interface TopicDescription {
  readonly name: string;
  readonly partitions: ReadonlyArray<{ readonly partition: number; readonly leader: number; readonly replicas: readonly number[]; readonly isr: readonly number[] }>;
  /** Topic-level settings that differ from the broker's defaults, plus retention and cleanup policy. */
  readonly configs: Readonly<Record<string, string | null>>;
}

const SHOWN_CONFIGS = ['retention.ms', 'cleanup.policy', 'message.timestamp.type', 'compression.type', 'min.insync.replicas'];

/** Topic administration for `tickflow topics`: create (idempotently), list, describe. */
export class TopicAdmin {
  readonly #admin: Admin;
  readonly #brokers: readonly string[];
  readonly #security: KafkaSecurityOptions;

  constructor(options: { readonly brokers: readonly string[]; readonly clientId: string; readonly security?: KafkaSecurityOptions }) {
    this.#brokers = options.brokers;
    this.#security = options.security ?? PLAINTEXT;
    this.#admin = new Admin({ clientId: `${options.clientId}-topics`, ...clientConnection(this.#brokers, this.#security), retries: 3 });
    absorbConnectionErrors(this.#admin);
  }

  /** Fails at once, naming the setting to fix, when the brokers refuse the connection's security (see probeSecurity). */
  checkSecurity(): Promise<void> {
    return probeSecurity(this.#admin, this.#brokers, this.#security);
  }

  /** Creates every missing topic; returns which were created and which existed already. */
  async create(specs: readonly KafkaTopicSpec[]): Promise<Array<{ name: string; created: boolean }>> {
    const results: Array<{ name: string; created: boolean }> = [];
    for (const spec of specs) {
      try {
        await this.#admin.createTopics({ topics: [spec.name], partitions: spec.partitions, replicas: -1, configs: topicConfigs(spec) });
        results.push({ name: spec.name, created: true });
      } catch (error) {
        if (!isTopicExistsError(error)) throw error;
        results.push({ name: spec.name, created: false });
      }
    }
    return results;
  }

  async list(): Promise<string[]> {
    return (await this.#admin.listTopics()).sort();
  }

  async describe(names: readonly string[]): Promise<TopicDescription[]> {
    if (names.length === 0) return [];
    const metadata = await this.#admin.metadata({ topics: [...names], forceUpdate: true });
    const configs = await this.#admin.describeConfigs({
      resources: names.map((name) => ({ resourceType: TOPIC_RESOURCE, resourceName: name, configurationKeys: SHOWN_CONFIGS })),
    });
    return names.map((name) => {
      const topic = metadata.topics.get(name);
      const described = configs.find((config) => config.resourceName === name);
      return {
        name,
        partitions: (topic?.partitions ?? []).map((partition, index) => ({ partition: index, leader: partition.leader, replicas: partition.replicas, isr: partition.isr })),
        configs: Object.fromEntries((described?.configs ?? []).map((config) => [config.name, config.value ?? null])),
      };
    });
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}
