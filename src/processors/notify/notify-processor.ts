import type { BusRecord } from '../../bus/bus.ts';
import { ConfigError } from '../../errors.ts';
import type { Processor } from '../runner/processor.ts';
import type { Logger } from '../../logger.ts';
import type { NotificationHub } from '../../notify/notification-hub.ts';
import type { NotifyRecord } from '../../notify/protocol.ts';
import { validateNotifyRecord, type NotifyTopicKind } from '../../notify/record-guards.ts';

export interface NotifyProcessorOptions {
  readonly topics: { readonly raw: string; readonly metrics: string; readonly signals: string; readonly alerts: string };
  readonly hub: NotificationHub;
  readonly logger?: Logger;
}

/**
 * The consumer group of one notify instance. Every instance delivers every record to its own
 * clients, so each reads in a group of its own (never shared, or the instances would split the
 * partitions and each client would see a part), starting at `latest`: a client is live, history
 * is served over REST.
 */
export function notifyGroupId(prefix: string, instanceId: string): string {
  return `${prefix}tickflow-notify-${instanceId}`;
}

/**
 * Feeds the notification hub from the bus: trades (raw topic; gaps are not for clients), bars and
 * window metrics, signals and alerts. Quotes and quote bars are valid but not streamed (`ignored`). Delivery to browsers is best effort, live and at most once:
 * each batch is handed to the hub in one `deliverBatch` (corked per client, in turns of bounded
 * work; it never waits for a socket) and returned as done at once,
 * so a restart does not replay old notifications, and a slow or absent client never holds back a
 * commit. Invalid records are counted and logged, not dead-lettered: their producer's own
 * consumers (storage, signals) already do that.
 */
export class NotifyProcessor implements Processor {
  readonly name = 'notify';
  readonly topics: readonly string[];
  readonly #kinds: ReadonlyMap<string, NotifyTopicKind>;
  readonly #hub: NotificationHub;
  readonly #logger: Logger | undefined;
  #received = 0;
  #handed = 0;
  #ignored = 0;
  #rejected = 0;

  constructor(options: NotifyProcessorOptions) {
    const { raw, metrics, signals, alerts } = options.topics;
    this.#kinds = new Map<string, NotifyTopicKind>([
      [raw, 'raw'],
      [metrics, 'metrics'],
      [signals, 'signals'],
      [alerts, 'alerts'],
    ]);
    if (this.#kinds.size !== 4) throw new ConfigError('NotifyProcessor: the raw, metrics, signals and alerts topics must be four different topics');
    this.topics = [raw, metrics, signals, alerts];
    this.#hub = options.hub;
    this.#logger = options.logger;
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    const records: NotifyRecord[] = [];
    for (const busRecord of batch) {
      this.#received++;
      const kind = this.#kinds.get(busRecord.topic);
      const record = kind ? validateNotifyRecord(kind, busRecord.value) : `not a notify topic`;
      if (record === null) {
        this.#ignored++;
      } else if (typeof record === 'string') {
        this.#rejected++;
        this.#logger?.warn({ topic: busRecord.topic, partition: busRecord.partition, offset: busRecord.offset, key: busRecord.key, reason: record }, 'invalid record not delivered to WebSocket clients');
      } else {
        this.#handed++;
        records.push(record);
      }
    }
    if (records.length > 0) this.#hub.deliverBatch(records);
    return batch;
  }

  stats(): Readonly<Record<string, number>> {
    const hub = this.#hub.stats();
    const { backlog, deferredTurns, shedTrades, backlogConflated } = this.#hub.overload();
    return { received: this.#received, handed: this.#handed, ignored: this.#ignored, rejected: this.#rejected, ...hub, backlog, deferredTurns, shedTrades, backlogConflated };
  }
}
