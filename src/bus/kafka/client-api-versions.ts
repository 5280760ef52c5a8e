import { kListApis, type Base } from '@platformatic/kafka';

/** The last version of AddPartitionsToTxn that clients send; later ones are the brokers' own. */
const ADD_PARTITIONS_TO_TXN_CLIENT_MAX = 3;

/**
 * AddPartitionsToTxn v4 and later are for brokers verifying transactions (KIP-890): Kafka allows
 * them only to principals with ClusterAction on the cluster, which no client should hold.
 * @platformatic/kafka 2.12.1 sends the highest version the broker offers (v5), so on a cluster with
 * ACLs every transaction was refused CLUSTER_AUTHORIZATION_FAILED. Capped at v3, as Kafka's Java
 * producer sends it, it is authorized by WRITE on the transactional id and the topics
 * (test/bus/kafka-client-internals.test.ts checks the hook still exists).
 */
export function sendClientApiVersionsOnly(client: Base): void {
  const listApis = client[kListApis].bind(client);
  client[kListApis] = (callback) =>
    listApis((error, apis) =>
      callback(
        error,
        apis?.map((api) => (api.name === 'AddPartitionsToTxn' ? { ...api, maxVersion: Math.min(api.maxVersion, ADD_PARTITIONS_TO_TXN_CLIENT_MAX) } : api)),
      ),
    );
}
