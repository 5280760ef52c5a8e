/**
 * A consumer group member as a transaction sees it (Java's ConsumerGroupMetadata): offsets committed
 * in a transaction carry its generation, and the group coordinator refuses them once a rebalance
 * moved on (KIP-447). That is what fences a member that lost its partitions but does not know yet.
 */
export interface KafkaGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** Broker id of the group coordinator. */
  readonly coordinatorId: number;
}
